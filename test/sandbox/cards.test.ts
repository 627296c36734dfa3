import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, test } from "node:test";
import { bundledCardsDir, loadCardsSync } from "../../src/cards/index.js";
import { tokenize } from "../../src/policy/tokenize.js";
import { harness } from "./helpers.js";
import type { Harness } from "./helpers.js";

/**
 * Card examples the sandbox answers with a failure on purpose, as a real cluster in the fixture's state
 * would; anything else failing means the sandbox cannot serve a card.
 */
const EXPECTED_FAILURES: Record<string, RegExp> = {
  // The fixture has worker-1..3; worker-7 is the card's illustration of a bigger cluster.
  "kubectl drain worker-7 --ignore-daemonsets --delete-emptydir-data --timeout=15m --grace-period=60": /nodes "worker-7" not found/,
  // web-7d4b9c-x2x9q is the fixture's ImagePullBackOff pod: its container never started, so it has no logs.
  "kubectl logs web-7d4b9c-x2x9q -n shop --tail=200": /is waiting to start: trying and failing to pull image/,
};

const hasFlux = spawnSync("flux", ["--version"], { stdio: "ignore" }).status === 0;
const cards = loadCardsSync([bundledCardsDir()]).cards;

const READ_VERBS = new Set(["get", "describe", "logs", "top", "events", "version"]);

function reads(command: string): boolean {
  const [binary, verb, sub] = argv(command);
  if (binary !== "kubectl") return binary === "flux" && verb === "get";
  return READ_VERBS.has(verb ?? "") || (verb === "rollout" && (sub === "status" || sub === "history"));
}

function argv(command: string): string[] {
  const result = tokenize(command);
  if (!result.ok) throw new Error(`cannot tokenize card command ${command}: ${result.reasons.map((r) => r.message).join("; ")}`);
  return result.tokens;
}

let shared: Promise<Harness> | undefined;
after(async () => {
  if (shared) await (await shared).close();
});

test("the sandbox serves every card example (read-only cards share a sandbox, the others get a fresh one)", { concurrency: 2 }, async (t) => {
  assert.ok(cards.length > 0, "the bundled cards load");
  for (const card of cards) {
    await t.test(card.id, async (ct) => {
      // Cards that only read cannot change what the next card sees; every other card starts from the fixture.
      const readOnly = card.examples.every((e) => [...(Array.isArray(e.command) ? e.command : [e.command]), ...e.follow_up].every(reads));
      const h = readOnly ? await (shared ??= harness()) : await harness();
      try {
        for (const example of card.examples) {
          const steps = [...(Array.isArray(example.command) ? example.command : [example.command]), ...example.follow_up];
          for (const command of steps) {
            const [binary, ...args] = argv(command);
            if (binary === "flux" && !hasFlux) {
              ct.diagnostic(`skipped (flux CLI not installed): ${command}`);
              continue;
            }
            assert.equal(binary, "kubectl", `${card.id}: unexpected binary in ${command}`);
            const r = await h.kubectl(...args);
            const expected = EXPECTED_FAILURES[command];
            if (expected) {
              assert.notEqual(r.code, 0, `${card.id}: expected "${command}" to fail`);
              assert.match(r.stderr, expected, `${card.id}: ${command}`);
            } else {
              assert.equal(r.code, 0, `${card.id}: "${command}" exited ${r.code}\n${r.stdout}\n${r.stderr}`);
            }
          }
        }
      } finally {
        if (!readOnly) await h.close();
      }
    });
  }
});
