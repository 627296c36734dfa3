/**
 * Scores the model-free goal parser on the goal sets (see eval/goal-scoring.ts for the sets and the verdicts).
 *
 *   node --import tsx eval/measure-goals.ts            # every set (homelab starts a sandbox)
 *   node --import tsx eval/measure-goals.ts --verbose  # also every goal that was not right
 *
 * Exits 1 when a set has a wrong command or falls below its threshold (held-out sets: 90 % right). Nothing runs
 * against a cluster but read-only `kubectl get`, and nothing is written to any audit log.
 */
import { bundledCardsDir, loadCardsSync } from "../src/cards/index.js";
import { goalParser, scoreAllSets } from "./goal-scoring.js";

const verbose = process.argv.includes("--verbose");
const scores = await scoreAllSets(await goalParser(loadCardsSync([bundledCardsDir()])));

for (const s of scores) {
  for (const miss of s.misses) {
    if (miss.verdict !== "wrong" && !verbose) continue;
    console.log(`  ${miss.verdict.padEnd(12)} ${miss.id}: ${JSON.stringify(miss.goal)}\n${" ".repeat(15)}expected ${miss.expected}\n${" ".repeat(15)}got      ${miss.got}`);
  }
}
const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)}%`;
console.log("\n| set | goals | right | needs_input | unsupported | needs_lookup | wrong |\n|---|---|---|---|---|---|---|");
for (const s of scores) {
  const c = s.counts;
  console.log(`| ${s.set.name} | ${s.total} | ${c.right} (${pct(c.right, s.total)}) | ${c.needs_input} | ${c.unsupported} | ${c.needs_lookup} | ${c.wrong} |`);
}
console.log("\nneeds_input / unsupported / needs_lookup above count goals that expected a command. Goals that expected a question were answered:");
for (const s of scores) console.log(`- ${s.set.name}: ${s.questions.needs_input} needs_input, ${s.questions.unsupported} unsupported, ${s.questions.lookup} needs_lookup`);
const failed = scores.filter((s) => !s.passed);
for (const s of failed) console.log(`FAILED ${s.set.name}: ${s.counts.wrong} wrong, ${pct(s.counts.right, s.total)} right (needs ${pct(s.set.minRight, 1)})`);
console.log("\nTiming: npm run bench -- --only goals");
process.exitCode = failed.length > 0 ? 1 : 0;
