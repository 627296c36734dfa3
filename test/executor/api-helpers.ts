import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiExecutor, createExecutor, type ApiExecutor, type ExecMode, type Executor } from "../../src/executor/index.js";
import { startSandbox, type Sandbox } from "../../src/sandbox/index.js";
import { kubectlFor } from "../sandbox/helpers.js";

/** A sandbox reached two ways: `kubectl` spawns kubectl only, `api` is the API executor (kubectl as fallback). */
export interface ApiHarness {
  sandbox: Sandbox;
  kubeconfig: string;
  kubectl: Executor;
  api: ApiExecutor;
  /** Pins the API executor's clock (restart annotations); undefined = real time. */
  pinClock(at: Date | undefined): void;
  close(): Promise<void>;
}

const BIG = 1_000_000;

export async function apiHarness(mode: ExecMode = "auto"): Promise<ApiHarness> {
  const sandbox = await startSandbox();
  const dir = await mkdtemp(join(tmpdir(), "rag-k8s-api-test-"));
  const kubeconfig = join(dir, "kubeconfig");
  await sandbox.writeKubeconfig(kubeconfig);
  // Each harness has its own discovery cache: kubectl caches per host:port, and ports are reused.
  const env = { KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dir, "cache"), HOME: dir, PATH: process.env["PATH"] ?? "/usr/bin:/bin" };
  const kubectl = createExecutor({ binaries: { kubectl: kubectlFor(31) }, env, concurrency: 4, maxStdoutChars: BIG, maxStderrChars: BIG, timeoutMs: 60_000 });
  let pinned: Date | undefined;
  const api = createApiExecutor({
    fallback: kubectl,
    mode,
    kubeconfig,
    maxStdoutChars: BIG,
    maxStderrChars: BIG,
    timeoutMs: 60_000,
    now: () => pinned ?? new Date(),
  });
  return {
    sandbox,
    kubeconfig,
    kubectl,
    api,
    pinClock: (at) => void (pinned = at),
    close: async () => {
      api.close();
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Output with what legitimately differs between two runs replaced: ages ("45m", "3d4h", "(46m ago)") and
 * timestamps (RFC 3339, and RFC 1123 as describe prints them) and UIDs: two sandboxes started a moment apart differ in
 * exactly these. Nothing else is normalised.
 */
export function normalise(text: string): string {
  return text
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, "<uid>")
    .replace(/\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}/g, "<time>")
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)/g, "<time>")
    .replace(/(?<![\w.-])(?:\d+[smhdy])+(?![\w.-])/g, "<age>");
}
