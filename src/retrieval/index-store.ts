import { createHash } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ExactVectorIndex, HnswVectorIndex, buildVectorIndex, hnswAvailable } from "./vector-index.js";
import type { BuildVectorIndexOptions, HnswParams, VectorIndex } from "./vector-index.js";
import { DEFAULT_HNSW } from "./vector-index.js";

/**
 * On-disk vector index: `vectors.bin` = magic, u32 header length, JSON header, raw little-endian Float32 rows;
 * plus `hnsw.bin` (hnswlib's own format) for large sets. The header names the card-set hash and embedder id the
 * vectors belong to and sha256 checksums of both payloads. `vectors.bin` is renamed into place last, so it is
 * the commit point: a crash mid-build leaves the previous index or none, never a half-written one.
 */
const MAGIC = Buffer.from("RAGK8SVI", "ascii");
const FORMAT = 1;
export const VECTORS_FILE = "vectors.bin";
export const HNSW_FILE = "hnsw.bin";

const HeaderSchema = z.object({
  format: z.literal(FORMAT),
  cardSetHash: z.string(),
  embedderId: z.string(),
  dimension: z.number().int().positive(),
  count: z.number().int().nonnegative(),
  ids: z.array(z.string()),
  checksum: z.string(),
  hnsw: z
    .object({ checksum: z.string(), m: z.number().int(), efConstruction: z.number().int(), efSearch: z.number().int(), seed: z.number().int() })
    .optional(),
});
type Header = z.infer<typeof HeaderSchema>;

export interface IndexIdentity {
  readonly cardSetHash: string;
  readonly embedderId: string;
  readonly dimension: number;
}

export interface StoredIndex {
  readonly ids: readonly string[];
  readonly vectors: Float32Array;
  readonly index: VectorIndex;
}

export type LoadResult =
  | { readonly status: "ok"; readonly stored: StoredIndex; readonly warning?: string }
  | { readonly status: "missing" }
  | { readonly status: "stale" | "corrupt"; readonly reason: string };

/** Builds the search structure for `vectors` (exact or HNSW by size) and persists both atomically. */
export function saveIndex(
  dir: string,
  identity: IndexIdentity,
  ids: readonly string[],
  vectors: Float32Array,
  options: BuildVectorIndexOptions = {},
): StoredIndex {
  if (vectors.length !== ids.length * identity.dimension) {
    throw new Error(`expected ${ids.length} × ${identity.dimension} floats, got ${vectors.length}`);
  }
  mkdirSync(dir, { recursive: true });
  const index = buildVectorIndex(vectors, identity.dimension, options);
  const payload = Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength);
  const header: Header = {
    format: FORMAT,
    ...identity,
    count: ids.length,
    ids: [...ids],
    checksum: sha256(payload),
  };
  if (index instanceof HnswVectorIndex) {
    const params: HnswParams = options.hnsw ?? DEFAULT_HNSW;
    const tmp = tempPath(join(dir, HNSW_FILE));
    try {
      index.write(tmp);
      fsyncFile(tmp);
      header.hnsw = { checksum: sha256(readFileSync(tmp)), ...params };
      renameSync(tmp, join(dir, HNSW_FILE));
    } catch (error) {
      rmSync(tmp, { force: true });
      throw error;
    }
  }
  const headerBytes = Buffer.from(JSON.stringify(header), "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  writeAtomic(join(dir, VECTORS_FILE), [MAGIC, length, headerBytes, payload]);
  if (header.hnsw === undefined) rmSync(join(dir, HNSW_FILE), { force: true });
  return { ids, vectors, index };
}

/** Loads the index in `dir` if it was built for `identity`; says why not otherwise (never throws on bad files). */
export function loadIndex(dir: string, identity: IndexIdentity): LoadResult {
  let file: Buffer;
  try {
    file = readFileSync(join(dir, VECTORS_FILE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { status: "missing" };
    return { status: "corrupt", reason: `cannot read ${VECTORS_FILE}: ${(error as Error).message}` };
  }
  const parsed = parseVectorsFile(file);
  if (typeof parsed === "string") return { status: "corrupt", reason: parsed };
  const { header, vectors } = parsed;

  if (header.cardSetHash !== identity.cardSetHash) return { status: "stale", reason: "the card set changed" };
  if (header.embedderId !== identity.embedderId) {
    return { status: "stale", reason: `built with embedder ${header.embedderId}, now ${identity.embedderId}` };
  }
  if (header.dimension !== identity.dimension) return { status: "stale", reason: "the embedding dimension changed" };

  if (header.hnsw === undefined) {
    return { status: "ok", stored: { ids: header.ids, vectors, index: new ExactVectorIndex(vectors, header.dimension) } };
  }
  const hnsw = hnswAvailable();
  if (!hnsw.ok) {
    const index = new ExactVectorIndex(vectors, header.dimension);
    return { status: "ok", stored: { ids: header.ids, vectors, index }, warning: `searching ${header.count} vectors exactly: ${hnsw.reason}` };
  }
  const hnswPath = join(dir, HNSW_FILE);
  try {
    if (sha256(readFileSync(hnswPath)) !== header.hnsw.checksum) throw new Error("checksum mismatch");
    const index = HnswVectorIndex.read(hnswPath, header.dimension, header.hnsw.efSearch);
    if (index.count !== header.count) throw new Error(`holds ${index.count} vectors, header says ${header.count}`);
    return { status: "ok", stored: { ids: header.ids, vectors, index } };
  } catch (error) {
    // The vectors are intact: rebuilding the graph from them is far cheaper than re-embedding.
    const { checksum: _checksum, ...params } = header.hnsw;
    const stored = saveIndex(dir, identity, header.ids, vectors, { hnswThreshold: 0, hnsw: params });
    return { status: "ok", stored, warning: `${HNSW_FILE} was unusable (${(error as Error).message}); rebuilt it from the stored vectors` };
  }
}

function parseVectorsFile(file: Buffer): { header: Header; vectors: Float32Array } | string {
  if (file.length < MAGIC.length + 4 || !file.subarray(0, MAGIC.length).equals(MAGIC)) {
    return `${VECTORS_FILE} is not a rag-k8s vector index`;
  }
  const headerLength = file.readUInt32LE(MAGIC.length);
  const headerEnd = MAGIC.length + 4 + headerLength;
  if (headerEnd > file.length) return `${VECTORS_FILE} is truncated`;
  let header: Header;
  try {
    header = HeaderSchema.parse(JSON.parse(file.subarray(MAGIC.length + 4, headerEnd).toString("utf8")));
  } catch (error) {
    return `${VECTORS_FILE} has an unreadable header: ${(error as Error).message.split("\n")[0]}`;
  }
  const payload = file.subarray(headerEnd);
  if (payload.length !== header.count * header.dimension * 4 || header.ids.length !== header.count) {
    return `${VECTORS_FILE} holds ${payload.length} payload bytes, expected ${header.count * header.dimension * 4}`;
  }
  if (sha256(payload) !== header.checksum) return `${VECTORS_FILE} fails its checksum`;
  // Copy: the payload's offset in the file buffer need not be 4-byte aligned.
  const vectors = new Float32Array(header.count * header.dimension);
  Buffer.from(vectors.buffer).set(payload);
  return { header, vectors };
}

function writeAtomic(path: string, chunks: readonly Buffer[]): void {
  const tmp = tempPath(path);
  try {
    const fd = openSync(tmp, "w");
    try {
      for (const chunk of chunks) writeSync(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

function fsyncFile(path: string): void {
  const fd = openSync(path, "r+");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function tempPath(path: string): string {
  return `${path}.tmp-${process.pid}-${Date.now()}`;
}

function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
