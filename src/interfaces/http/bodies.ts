import type { FastifyInstance } from "fastify";
import { deepFreeze } from "../../core/errors.js";

/** Bodies up to this many characters are remembered; larger ones are parsed every time. */
const MAX_REMEMBERED_CHARS = 8 * 1024;
/** How many distinct bodies are remembered (least recently used first out): at most ~2 MiB of text. */
const MAX_REMEMBERED = 256;

/**
 * JSON bodies parsed by fastify's own parser (same errors, same prototype-poisoning refusal), with the last
 * few hundred distinct bodies remembered by their text: an agent repeating a request gets the same frozen
 * value back, which parseWith validates only once (see frozenOutputs there). Frozen, because every request
 * with that text shares it.
 */
export function rememberJsonBodies(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser("error", "error");
  const remembered = new Map<string, unknown>();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = body as string;
    const known = remembered.get(text);
    if (known !== undefined) {
      // Recency matters only once something has to be evicted: until the cache is full, a hit moves nothing.
      if (remembered.size >= MAX_REMEMBERED) {
        remembered.delete(text);
        remembered.set(text, known);
      }
      done(null, known);
      return;
    }
    parse(request, text, (error, value) => {
      if (error || text.length > MAX_REMEMBERED_CHARS || value === null || typeof value !== "object") {
        done(error ?? null, value);
        return;
      }
      const frozen = deepFreeze(value);
      remembered.set(text, frozen);
      if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.keys().next().value as string);
      done(null, frozen);
    });
  });
}
