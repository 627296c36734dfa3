import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { packageRoot } from "../package-root.js";
import { parseDuration, rfc3339 } from "./age.js";
import type { Cluster } from "./cluster.js";
import type { ControllerManager } from "./controllers/index.js";
import { applyDefaults } from "./defaults.js";
import { admit } from "./admission.js";
import { SYSTEM_PRIORITY_CLASSES, systemPriorityClass } from "./priorityclasses.js";
import { ImageBehaviorSchema, ImageCatalog } from "./images.js";
import { resourceForKind, typeOf } from "./resources.js";
import { clone } from "./types.js";
import type { KubeObject } from "./types.js";

const ObjectSchema = z
  .object({
    apiVersion: z.string().min(1),
    kind: z.string().min(1),
    metadata: z.object({ name: z.string().min(1), namespace: z.string().optional() }).passthrough(),
  })
  .passthrough();

/**
 * The sandbox's starting world. `objects` are manifests applied in order (a second manifest for the same
 * object is applied as an update after the controllers settle, which is how rollout history is seeded);
 * a `creationTimestamp` may be relative ("-30d"). `images` says how each image behaves when run.
 */
export const SeedDocumentSchema = z
  .object({
    kubernetesMinor: z.number().int().min(27).max(40).optional(),
    /** How long before the sandbox starts the seeded controllers ran (ages of seeded pods and events). */
    seedAge: z.string().default("45m"),
    images: z.record(z.string(), ImageBehaviorSchema).default({}),
    objects: z.array(ObjectSchema).default([]),
  })
  .strict();
export type SeedDocument = z.input<typeof SeedDocumentSchema>;

export class FixtureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FixtureError";
  }
}


export function defaultFixturePath(): string {
  return join(packageRoot(), "fixtures", "sandbox.yaml");
}

type Seed = z.output<typeof SeedDocumentSchema>;
/** Parsed fixture files by path and content: parsing YAML costs more than loading the cluster from it. */
const parsedFiles = new Map<string, { text: string; seed: Seed }>();

export async function readSeed(source: string | SeedDocument): Promise<Seed> {
  let raw: unknown = source;
  if (typeof source === "string") {
    let text: string;
    try {
      text = await readFile(source, "utf8");
    } catch (error) {
      throw new FixtureError(`cannot read sandbox fixture ${source}: ${(error as Error).message}`);
    }
    const cached = parsedFiles.get(source);
    if (cached?.text === text) return cached.seed;
    raw = parse(text, { merge: true });
    const seed = validateSeed(raw, source);
    parsedFiles.set(source, { text, seed });
    return seed;
  }
  return validateSeed(raw, undefined);
}

function validateSeed(raw: unknown, source: string | undefined): Seed {
  const parsed = SeedDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FixtureError(`invalid sandbox fixture${source ? ` ${source}` : ""}: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

const NAMESPACES = typeOf("", "namespaces");
const PRIORITY_CLASSES = typeOf("scheduling.k8s.io", "priorityclasses");
/** Namespaces every cluster has. */
const BUILTIN_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

function relativeTime(value: unknown, now: Date): string | undefined {
  if (typeof value !== "string" || !value.startsWith("-")) return undefined;
  return rfc3339(new Date(now.getTime() - parseDuration(value.slice(1)) * 1000));
}

/** Loads a seed into an empty cluster, running the controllers with the clock set back by `seedAge`. */
export function loadSeed(cluster: Cluster, controllers: ControllerManager, seed: Seed): void {
  const realNow = cluster.store.now;
  const seedTime = new Date(Date.now() - parseDuration(seed.seedAge) * 1000);
  const startedAt = Date.now();
  cluster.store.now = () => new Date(seedTime.getTime() + (Date.now() - startedAt));
  cluster.images = new ImageCatalog(seed.images);
  try {
    for (const name of BUILTIN_NAMESPACES) {
      if (!seed.objects.some((o) => o.kind === "Namespace" && o.metadata.name === name)) {
        cluster.store.create(NAMESPACES, { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "kubernetes.io/metadata.name": name }, creationTimestamp: rfc3339(new Date(seedTime.getTime() - 90 * 86400_000)) }, spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } });
      }
    }
    // The API server creates the system priority classes when it starts.
    for (const entry of SYSTEM_PRIORITY_CLASSES) cluster.store.create(PRIORITY_CLASSES, systemPriorityClass(entry, rfc3339(new Date(seedTime.getTime() - 90 * 86400_000))));
    for (const [i, raw] of seed.objects.entries()) {
      const obj = clone(raw) as unknown as KubeObject;
      const where = `fixture object ${i} (${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ""}${obj.metadata.name})`;
      const type = resourceForKind(obj.apiVersion, obj.kind);
      if (!type) throw new FixtureError(`${where}: ${obj.apiVersion} ${obj.kind} is not served by the sandbox`);
      if (type.namespaced && !obj.metadata.namespace) throw new FixtureError(`${where}: namespaced objects need metadata.namespace`);
      const created = relativeTime(obj.metadata.creationTimestamp, seedTime);
      if (created) obj.metadata.creationTimestamp = created;
      for (const ref of obj.metadata.ownerReferences ?? []) {
        if (ref.uid) continue;
        const ownerType = resourceForKind(ref.apiVersion, ref.kind);
        const owner = ownerType && cluster.store.get(ownerType, obj.metadata.namespace, ref.name);
        if (!owner) throw new FixtureError(`${where}: owner ${ref.kind} ${ref.name} must come earlier in the fixture`);
        ref.uid = owner.metadata.uid as string;
      }
      const existing = cluster.store.get(type, obj.metadata.namespace, obj.metadata.name);
      try {
        if (existing) {
          controllers.settle();
          const current = cluster.store.get(type, obj.metadata.namespace, obj.metadata.name) as KubeObject;
          obj["status"] = current["status"];
          applyDefaults(type, obj, current.metadata.uid);
          admit(cluster.store, type, obj, current);
          cluster.store.update(type, obj);
        } else {
          const uid = randomUUID();
          applyDefaults(type, obj, uid);
          admit(cluster.store, type, obj);
          cluster.store.create(type, obj, { uid });
        }
      } catch (error) {
        throw new FixtureError(`${where}: ${(error as Error).message}`);
      }
    }
    controllers.settle();
  } finally {
    cluster.store.now = realNow;
  }
  // Once more at the real time, so conditions that depend on elapsed time (a rollout past its progress deadline)
  // are there from the first request rather than after the first resync a second later.
  controllers.settle();
}
