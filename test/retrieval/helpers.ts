import { createHash } from "node:crypto";
import { CardSchema } from "../../src/cards/index.js";
import type { CardSet } from "../../src/cards/index.js";
import type { Embedder } from "../../src/retrieval/index.js";

/** Deterministic unit vectors from a seeded xorshift generator. */
export function randomUnitVectors(count: number, dimension: number, seed: number): Float32Array {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000 - 0.5;
  };
  const out = new Float32Array(count * dimension);
  for (let row = 0; row < count; row++) {
    let norm = 0;
    for (let d = 0; d < dimension; d++) {
      const v = next();
      out[row * dimension + d] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (let d = 0; d < dimension; d++) out[row * dimension + d]! /= norm;
  }
  return out;
}

/**
 * Hashing-trick bag-of-words embedder: a real (if crude) embedding with no model files, so persistence and
 * fusion tests run everywhere. Counts the texts it embedded to tell a reused index from a rebuilt one.
 */
export class HashingEmbedder implements Embedder {
  readonly dimension = 64;
  embedded = 0;
  constructor(readonly id = "hashing:64") {}

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.embedded += texts.length;
    return texts.map((text) => {
      const vector = new Float32Array(this.dimension);
      for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
        const digest = createHash("sha1").update(word).digest();
        vector[digest[0]! % this.dimension]! += digest[1]! & 1 ? 1 : -1;
      }
      const norm = Math.hypot(...vector) || 1;
      return vector.map((v) => v / norm);
    });
  }
}

/** A CardSet built in memory from minimal card objects, so persistence tests do not depend on cards/*.yaml. */
export function cardSet(partials: readonly { id: string; title: string; intent: string; resource: string; goal: string }[]): CardSet {
  const cards = partials.map((p) =>
    CardSchema.parse({
      id: p.id,
      title: p.title,
      intent: p.intent,
      resource: p.resource,
      risk_level: "low",
      command_template: `kubectl get ${p.resource} {{name}} -n {{namespace}}`,
      examples: [{ goal: p.goal, command: `kubectl get ${p.resource} web -n shop` }],
      keywords: [p.intent, p.resource],
    }),
  );
  return {
    cards,
    byId: new Map(cards.map((c) => [c.id, c])),
    hash: createHash("sha256").update(JSON.stringify(cards)).digest("hex"),
    sources: new Map(cards.map((c) => [c.id, `${c.id}.yaml`])),
  };
}

export const SMALL_CARDS = cardSet([
  { id: "deployment-restart", title: "Restart a deployment", intent: "restart", resource: "deployment", goal: "bounce the web deployment" },
  { id: "deployment-scale", title: "Scale a deployment", intent: "scale", resource: "deployment", goal: "set replicas of api to 3" },
  { id: "pod-logs", title: "Show a pod's logs", intent: "logs", resource: "pod", goal: "tail the logs of a pod" },
  { id: "node-cordon", title: "Cordon a node", intent: "cordon", resource: "node", goal: "stop scheduling on worker-1" },
  { id: "statefulset-restart", title: "Restart a statefulset", intent: "restart", resource: "statefulset", goal: "restart the db sts" },
]);
