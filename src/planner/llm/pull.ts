import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { nodeLlamaCpp } from "./binding.js";
import { messageOf, ModelDownloadError } from "./errors.js";

export interface PullProgress {
  readonly downloadedBytes: number;
  readonly totalBytes: number;
  /** 0–100 */
  readonly percent: number;
}

export interface PullOptions {
  readonly onProgress?: (progress: PullProgress) => void;
  readonly signal?: AbortSignal;
}

const REMOTE_URI = /^(hf:[^/\s]+\/[^/\s]+|https?:\/\/\S+)/;
const HUGGING_FACE = "https://huggingface.co/";
const PROBE_TIMEOUT_MS = 15_000;

/**
 * The downloader retries a refused or unreachable connection for minutes before giving up; one quick request
 * first turns "no network" and "no such file" into an error at once.
 */
async function probe(uri: string, signal: AbortSignal | undefined): Promise<void> {
  const url = uri.startsWith("hf:") ? HUGGING_FACE : uri;
  const timeout = AbortSignal.timeout(PROBE_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(url, { method: "HEAD", redirect: "follow", signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (error) {
    if (timeout.aborted) throw new Error(`${url} did not answer within ${PROBE_TIMEOUT_MS} ms`);
    throw new Error(`cannot reach ${url}: ${messageOf(error)}`);
  }
  // Some file servers refuse HEAD but serve GET.
  if (!response.ok && response.status !== 405) throw new Error(`${url} answered HTTP ${response.status}`);
}

/**
 * Downloads a GGUF model into `cacheDir` (or finds it there already) and returns its local path.
 * `uri` is `hf:<user>/<repo>/<file>.gguf`, `hf:<user>/<repo>:<quant>` or a URL. Needs internet access;
 * nothing else in rag-k8s does.
 */
export async function pullModel(uri: string, cacheDir: string, options: PullOptions = {}): Promise<string> {
  if (!REMOTE_URI.test(uri)) {
    throw new ModelDownloadError(uri, new Error("expected hf:<user>/<repo>/<file>.gguf or an https:// URL"));
  }
  const directory = resolve(cacheDir);
  const { resolveModelFile } = await nodeLlamaCpp();
  try {
    await probe(uri, options.signal);
    await mkdir(directory, { recursive: true });
    return await resolveModelFile(uri, {
      directory,
      cli: false,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress
        ? {
            onProgress: ({ totalSize, downloadedSize }: { totalSize: number; downloadedSize: number }) =>
              options.onProgress?.({
                downloadedBytes: downloadedSize,
                totalBytes: totalSize,
                percent: totalSize > 0 ? Math.min(100, (downloadedSize / totalSize) * 100) : 0,
              }),
          }
        : {}),
    });
  } catch (error) {
    throw new ModelDownloadError(uri, error);
  }
}
