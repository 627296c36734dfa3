import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { describeMachine } from "./machine.js";
import { mergeReports, readJson, renderMarkdown, verdict, writeJson } from "./report.js";
import type { BenchReport, SectionResult } from "./report.js";
import type { BenchContext, Section } from "./section.js";
import { SECTIONS } from "./sections/index.js";

const USAGE = `usage: npm run bench -- [--quick] [--only id,id] [--render results.json]
  --quick    fewer iterations, no 100k HNSW build, tiny GGUF only (< 2 min)
  --only     run only these sections: ${SECTIONS.map((s) => s.id).join(", ")}
  --render   regenerate BENCHMARKS.md from a results file and exit; full.json,partial.json,… lays the
             later runs' sections over the first's (each marked with its own run's date and load)
A full run writes bench/results/<date>.json and BENCHMARKS.md; quick or partial runs write
bench/results/<date>-quick.json / -partial.json and leave BENCHMARKS.md alone.`;

const root = join(import.meta.dirname, "..");

function chooseSections(only: string | undefined): Section[] {
  if (only === undefined) return [...SECTIONS];
  const ids = only.split(",").map((id) => id.trim());
  const unknown = ids.filter((id) => !SECTIONS.some((s) => s.id === id));
  if (unknown.length > 0) throw new Error(`unknown section(s) ${unknown.join(", ")}; choose from ${SECTIONS.map((s) => s.id).join(", ")}`);
  return SECTIONS.filter((s) => ids.includes(s.id));
}

async function runSection(section: Section, ctx: BenchContext): Promise<SectionResult> {
  ctx.log(`— ${section.title}`);
  const start = performance.now();
  let result: Awaited<ReturnType<Section["run"]>>;
  try {
    result = await section.run(ctx);
  } catch (error) {
    // One broken section must not throw away the others' minutes of measurement; the report says what failed.
    const message = error instanceof Error ? error.message : String(error);
    ctx.log(`  FAILED: ${error instanceof Error ? (error.stack ?? message) : message}`);
    result = { rows: [], series: [], notes: [], skipped: `the section failed: ${message}` };
  }
  const wallMs = performance.now() - start;
  for (const row of result.rows) {
    const v = verdict(row);
    ctx.log(`  ${row.label}: ${row.value === null ? "not measured" : `${row.value.toFixed(3)} ${row.unit}`}${v === "n/a" ? "" : ` [${v}]`}`);
  }
  if (result.skipped) ctx.log(`  skipped: ${result.skipped}`);
  return { id: section.id, title: section.title, ...result, wallMs };
}

function writeMarkdown(report: BenchReport, jsonPaths: readonly string[]): void {
  writeFileSync(join(root, "BENCHMARKS.md"), renderMarkdown(report, jsonPaths.map((path) => relative(root, path)).join(",")));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { quick: { type: "boolean", default: false }, only: { type: "string" }, render: { type: "string" }, help: { type: "boolean" } },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.render !== undefined) {
    const paths = values.render.split(",").map((path) => path.trim());
    const [base, ...later] = paths.map(readJson) as [BenchReport, ...BenchReport[]];
    writeMarkdown(mergeReports(base, ...later), paths);
    return;
  }
  const sections = chooseSections(values.only);
  const ctx: BenchContext = { quick: values.quick, log: (message) => process.stderr.write(`${message}\n`) };
  const machine = describeMachine();
  const startedAt = new Date().toISOString();
  const start = performance.now();
  const results: SectionResult[] = [];
  for (const section of sections) results.push(await runSection(section, ctx));
  machine.loadEnd = loadavg();

  const complete = sections.length === SECTIONS.length;
  const report: BenchReport = {
    version: 1,
    mode: values.quick ? "quick" : "full",
    complete,
    startedAt,
    machine,
    sections: results,
    totalMs: performance.now() - start,
  };
  const suffix = `${values.quick ? "-quick" : ""}${complete ? "" : "-partial"}`;
  const jsonPath = join(root, "bench", "results", `${startedAt.slice(0, 10)}${suffix}.json`);
  writeJson(jsonPath, report);
  ctx.log(`wrote ${relative(root, jsonPath)} (${(report.totalMs / 1000).toFixed(1)} s)`);
  const failed = results.filter((r) => r.skipped?.startsWith("the section failed")).map((r) => r.id);
  if (failed.length > 0) {
    ctx.log(`sections that failed: ${failed.join(", ")}`);
    process.exitCode = 1;
  }
  if (!values.quick && complete) {
    writeMarkdown(report, [jsonPath]);
    ctx.log("wrote BENCHMARKS.md");
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
