import { formatCount, MARK } from "./types.js";
import type { Omitted } from "./types.js";

export interface LineShape {
  readonly text: string;
  readonly omitted: Omitted | null;
}

function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** The last lines that fit, after a marker line saying how many earlier ones were left out. */
export function keepTail(text: string, budget: number, hint: string): LineShape {
  const lines = splitLines(text);
  const total = lines.length;
  const worst = `${MARK}${formatCount(total)} earlier lines not shown (of ${formatCount(total)}); ${hint}`;
  let room = budget - worst.length - 1;
  const kept: string[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] ?? "";
    if (line.length + 1 > room) {
      // A last line longer than the whole budget still shows its end.
      if (kept.length === 0 && room > 1) kept.unshift(line.slice(line.length - (room - 1)));
      break;
    }
    kept.unshift(line);
    room -= line.length + 1;
  }
  const count = total - kept.length;
  const marker = `${MARK}${formatCount(count)} earlier lines not shown (of ${formatCount(total)}); ${hint}`;
  return { text: [marker, ...kept].join("\n"), omitted: { unit: "lines", count, of: total } };
}

/** The first lines that fit, then a marker saying how much was left out. */
export function keepHead(text: string, budget: number, hint: string): LineShape {
  const total = text.length;
  const worst = `${MARK}output cut: ${formatCount(total)} of ${formatCount(total)} characters shown; ${hint}`;
  const room = Math.max(0, budget - worst.length - 1);
  let cut = text.lastIndexOf("\n", room);
  // No line break in reach (one long line): cut inside it, never between the halves of a surrogate pair.
  if (cut <= 0) cut = room > 0 && /[\ud800-\udbff]/.test(text.charAt(room - 1)) ? room - 1 : room;
  const head = text.slice(0, cut).replace(/\n$/, "");
  const marker = `${MARK}output cut: ${formatCount(head.length)} of ${formatCount(total)} characters shown; ${hint}`;
  return { text: head.length > 0 ? `${head}\n${marker}` : marker, omitted: { unit: "characters", count: total - head.length, of: total } };
}
