import { z } from "zod";
import { digest, readCached, writeCached } from "../../cache/index.js";
import type { ResourceInfo } from "./discovery.js";

/** Discovery kept between processes, so that a one-shot command does not read the server's API list first. */
export interface DiscoveryStore {
  /** What was saved for this server within the time to live; undefined when none, expired or unreadable. */
  read(): readonly ResourceInfo[] | undefined;
  write(resources: readonly ResourceInfo[]): void;
}

/** kubectl's disk cache keeps discovery six hours (kubernetes/kubernetes#107141), and refreshes it on a miss, as we do. */
export const DISCOVERY_TTL_MS = 6 * 60 * 60 * 1000;

const ResourceInfoSchema = z.object({
  group: z.string(),
  version: z.string().min(1),
  resource: z.string().min(1),
  singular: z.string(),
  kind: z.string(),
  namespaced: z.boolean(),
  shortNames: z.array(z.string()).readonly(),
  subresources: z.array(z.string()).readonly(),
});
const EntrySchema = z.object({ server: z.string(), savedAt: z.number(), resources: z.array(ResourceInfoSchema).readonly() });
type Entry = z.infer<typeof EntrySchema>;

/**
 * One JSON file per API server under `dir` (the rag-k8s cache folder), named by a digest of the server's URL.
 * The entry repeats the URL it belongs to, and one that fails its schema reads as a miss.
 */
export function discoveryStoreAt(dir: string, server: URL, options: { ttlMs?: number; now?: () => number } = {}): DiscoveryStore {
  const ttlMs = options.ttlMs ?? DISCOVERY_TTL_MS;
  const now = options.now ?? Date.now;
  const key = digest(["discovery/v1", server.href]);
  const isEntry = (value: unknown): value is Entry => EntrySchema.safeParse(value).success;
  return {
    read() {
      const entry = readCached(dir, key, isEntry);
      if (entry === undefined || entry.server !== server.href) return undefined;
      const age = now() - entry.savedAt;
      return age >= 0 && age < ttlMs ? entry.resources : undefined;
    },
    write(resources) {
      writeCached(dir, key, { server: server.href, savedAt: now(), resources } satisfies Entry);
    },
  };
}
