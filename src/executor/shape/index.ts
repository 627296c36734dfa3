import { shapeDescribe } from "./describe.js";
import { kindFromArgv, kindFromText } from "./kind.js";
import { keepHead, keepTail } from "./lines.js";
import { shapeEventTable, shapeTables } from "./listing.js";
import { parseTables } from "./table.js";
import { formatCount, MARK } from "./types.js";
import type { Omitted, OutputKind, ShapeOptions, Shaped } from "./types.js";

export type { Omitted, OutputKind, ShapeOptions, Shaped } from "./types.js";
export { MARK } from "./types.js";

/** Below this a budget cannot hold a marker and a useful line; shaping then only cuts the head. */
const SMALLEST_SHAPED_BUDGET = 200;

function hintFor(kind: OutputKind): string {
  switch (kind) {
    case "logs":
      return "ask with --since or --tail";
    case "json":
    case "yaml":
      return "select fields with -o jsonpath or custom-columns";
    default:
      return "narrow the request";
  }
}

function shapeKind(kind: OutputKind, text: string, budget: number): { text: string; omitted: Omitted | null } {
  if (budget < SMALLEST_SHAPED_BUDGET) return keepHead(text, budget, hintFor(kind));
  switch (kind) {
    case "logs":
      return keepTail(text, budget, hintFor(kind));
    case "describe":
      return shapeDescribe(text, budget);
    case "events":
    case "table": {
      const blocks = parseTables(text);
      const shaped = blocks && ((kind === "events" ? shapeEventTable(blocks, budget) : null) ?? shapeTables(blocks, budget));
      return shaped ?? keepHead(text, budget, hintFor(kind));
    }
    default:
      return keepHead(text, budget, hintFor(kind));
  }
}

/** The kind of a command's output: from its argv when that tells, else from the text. */
export function detectKind(text: string, argv?: readonly string[]): OutputKind {
  return (argv ? kindFromArgv(argv) : undefined) ?? kindFromText(text);
}

/**
 * Cuts a command's output to `budgetChars` keeping what matters for its kind: events keep Warnings and the
 * newest, logs their tail, describe its header and Events, tables their header and problem rows, documents
 * their head. Every cut says so in the text with a line starting with "… ". Output that fits is returned
 * unchanged, so shaping never alters what kubectl printed unless it has to cut.
 */
export function shapeOutput(text: string, options: ShapeOptions): Shaped {
  const uncaptured = options.uncapturedChars ?? 0;
  const kind = options.kind ?? detectKind(text, options.argv);
  const note = uncaptured > 0 ? `${MARK}${formatCount(uncaptured)} characters in the middle of the output were not kept` : "";
  const budget = options.budgetChars - (note ? note.length + 1 : 0);
  if (text.length <= budget) {
    const whole = note ? `${text.replace(/\n$/, "")}\n${note}` : text;
    return { text: whole, kind, truncated: uncaptured > 0, omitted: uncaptured > 0 ? { unit: "characters", count: uncaptured, of: uncaptured + text.length } : null };
  }
  const shaped = shapeKind(kind, text, Math.max(0, budget));
  let out = note ? `${shaped.text}\n${note}` : shaped.text;
  // The shapers stay within the budget by construction; this only guards the promise made to callers.
  if (out.length > options.budgetChars) out = out.slice(0, Math.max(0, options.budgetChars));
  return { text: out, kind, truncated: true, omitted: shaped.omitted };
}
