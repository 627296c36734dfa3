import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Machine } from "./machine.js";
import type { Summary } from "./stats.js";

export interface Target {
  readonly op: "<=" | ">=";
  readonly value: number;
}

/** One line of a figure's table: a measured value, optionally held against a target. */
export interface Row {
  readonly label: string;
  /** null when the measurement could not be taken (see the section's notes). */
  readonly value: number | null;
  readonly unit: string;
  readonly target?: Target;
}

/** A measured distribution (milliseconds unless `unit` says otherwise). */
export interface Series extends Summary {
  readonly label: string;
  readonly unit: string;
}

export interface SectionResult {
  readonly id: string;
  readonly title: string;
  readonly rows: Row[];
  readonly series: Series[];
  readonly notes: string[];
  /** Set when the section could not run at all, saying why. */
  readonly skipped?: string;
  readonly wallMs: number;
  /** Set by mergeReports when the section was measured in another run than the report's: that run's date and machine. */
  readonly run?: { readonly startedAt: string; readonly mode: BenchReport["mode"]; readonly machine: Machine };
}

export interface BenchReport {
  readonly version: 1;
  readonly mode: "full" | "quick";
  /** Sections actually run (all, unless --only chose some). */
  readonly complete: boolean;
  readonly startedAt: string;
  readonly machine: Machine;
  readonly sections: SectionResult[];
  readonly totalMs: number;
}

export type Verdict = "pass" | "miss" | "n/a";

export function verdict(row: Row): Verdict {
  if (row.target === undefined || row.value === null) return "n/a";
  return row.target.op === "<=" ? (row.value <= row.target.value ? "pass" : "miss") : row.value >= row.target.value ? "pass" : "miss";
}

export function writeJson(path: string, report: BenchReport): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}

export function readJson(path: string): BenchReport {
  const report = JSON.parse(readFileSync(path, "utf8")) as BenchReport;
  if (report.version !== 1) throw new Error(`${path}: unknown bench report version ${String(report.version)}`);
  return report;
}

/**
 * One report from a full run and later partial runs: a later run's section replaces the one with its id (or is
 * appended) and carries its own run's date, mode and machine, so the page says which figures were taken when.
 */
export function mergeReports(base: BenchReport, ...later: readonly BenchReport[]): BenchReport {
  const sections = [...base.sections];
  for (const report of later) {
    for (const section of report.sections) {
      const dated: SectionResult = { ...section, run: section.run ?? { startedAt: report.startedAt, mode: report.mode, machine: report.machine } };
      const at = sections.findIndex((s) => s.id === section.id);
      if (at === -1) sections.push(dated);
      else sections[at] = dated;
    }
  }
  return { ...base, sections };
}

/** Few significant digits: enough to compare, not so many that noise looks like precision. */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs === 0) return "0";
  if (abs >= 1000) return Math.round(value).toLocaleString("en-US");
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  if (abs >= 0.01) return value.toFixed(3);
  return value.toPrecision(2);
}

function withUnit(value: number, unit: string): string {
  return unit === "" ? formatNumber(value) : `${formatNumber(value)} ${unit}`;
}

function targetText(row: Row): string {
  return row.target ? `${row.target.op === "<=" ? "≤" : "≥"} ${withUnit(row.target.value, row.unit)}` : "";
}

/** "miss by 37%" says how far a missed target is, relative to the target. */
function statusText(row: Row): string {
  const v = verdict(row);
  if (v !== "miss" || row.value === null || row.target === undefined) return v === "n/a" ? "" : v;
  const ratio = row.target.op === "<=" ? row.value / row.target.value : row.target.value / row.value;
  return `**miss** (${formatNumber(ratio)}× the target)`;
}

function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

function rowsTable(rows: readonly Row[]): string[] {
  const lines = ["| measure | target | result | status |", "|---|---|---|---|"];
  for (const row of rows) {
    const result = row.value === null ? "not measured" : withUnit(row.value, row.unit);
    lines.push(`| ${escapeCell(row.label)} | ${targetText(row)} | ${result} | ${statusText(row)} |`);
  }
  return lines;
}

function seriesTable(series: readonly Series[]): string[] {
  const lines = ["| series | unit | n | p50 | p95 | p99 | min | max |", "|---|---|---|---|---|---|---|---|"];
  for (const s of series) {
    const cells = [s.p50, s.p95, s.p99, s.min, s.max].map(formatNumber).join(" | ");
    lines.push(`| ${escapeCell(s.label)} | ${s.unit} | ${s.n} | ${cells} |`);
  }
  return lines;
}

function loadText(m: Machine): string {
  return `${m.loadStart.map(formatNumber).join(", ")} / ${(m.loadEnd ?? []).map(formatNumber).join(", ")}`;
}

function machineLines(report: BenchReport): string[] {
  const m = report.machine;
  return [
    `- date: ${report.startedAt} (${report.mode} run${report.complete ? "" : ", partial"}, ${formatNumber(report.totalMs / 1000)} s)`,
    `- CPU: ${m.cpuModel}, ${m.cores} cores; RAM ${formatNumber(m.memoryGiB)} GiB; ${m.os}`,
    `- Node ${m.node}; commit ${m.commit ?? "unknown"}${m.dirty ? " (uncommitted changes)" : ""}`,
    `- load average at start / end: ${loadText(m)}` +
      " (the machine is shared; a high load inflates every figure)",
  ];
}

export function renderMarkdown(report: BenchReport, source: string): string {
  const targeted = report.sections.flatMap((s) => s.rows.filter((r) => r.target !== undefined).map((r) => ({ ...r, label: `${s.title}: ${r.label}` })));
  const out = [
    "# Benchmarks",
    "",
    `Generated by \`npm run bench\` from ${source.split(",").map((file) => `\`${file}\``).join(" + ")}; do not edit by hand. Every latency is a distribution over`,
    "many runs (p50/p95/p99); every ratio compares against a baseline measured in the same run.",
    "",
    ...machineLines(report),
    "",
    "## Targets at a glance",
    "",
    ...rowsTable(targeted),
  ];
  report.sections.forEach((section, i) => {
    out.push("", `## ${i + 1}. ${section.title}`, "");
    if (section.run) {
      const { startedAt, mode, machine } = section.run;
      out.push(
        `Measured in a separate ${mode} run: ${startedAt}; ${machine.cpuModel}, ${machine.cores} cores; commit ${machine.commit ?? "unknown"}${machine.dirty ? " (uncommitted changes)" : ""}; ` +
          `load average at start / end ${loadText(machine)}.`,
        "",
      );
    }
    if (section.skipped) out.push(`Skipped: ${section.skipped}`, "");
    if (section.rows.length > 0) out.push(...rowsTable(section.rows), "");
    if (section.series.length > 0) out.push(...seriesTable(section.series), "");
    for (const note of section.notes) out.push(`- ${note}`);
    out.push(`- section wall time: ${formatNumber(section.wallMs / 1000)} s; reproduce: \`npm run bench -- --only ${section.id}${section.run?.mode === "quick" ? " --quick" : ""}\``);
  });
  return `${out.join("\n")}\n`;
}
