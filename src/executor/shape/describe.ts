import { selectEvents } from "./events.js";
import { keepHead } from "./lines.js";
import { formatCount, MARK } from "./types.js";
import type { Omitted } from "./types.js";

interface Section {
  readonly title: string;
  readonly lines: readonly string[];
  readonly chars: number;
}

/** Sections that explain a failure: kept after the one-line header fields and the events, before the rest. */
const TELLING = new Set(["Conditions", "Containers", "Init Containers", "Pods Status", "Replicas", "Taints", "NewReplicaSet", "OldReplicaSets", "Status", "Reason", "Message", "Unschedulable", "State"]);

function sectionsOf(lines: readonly string[]): Section[] {
  const sections: { title: string; lines: string[] }[] = [];
  for (const line of lines) {
    const current = sections.at(-1);
    if (current && (line === "" || /^\s/.test(line))) current.lines.push(line);
    else sections.push({ title: line.split(":", 1)[0] ?? line, lines: [line] });
  }
  return sections.map((s) => ({ ...s, chars: s.lines.reduce((n, l) => n + l.length + 1, 0) }));
}

/** Splits `describe` output for several objects at each "Name:" line that follows a blank line. */
function objectsOf(text: string): string[][] {
  const lines = text.replace(/\n+$/, "").split("\n");
  const objects: string[][] = [[]];
  lines.forEach((line, i) => {
    if (i > 0 && /^Name:\s/.test(line) && lines[i - 1] === "") objects.push([]);
    objects.at(-1)?.push(line);
  });
  return objects.map((o) => (o.at(-1) === "" ? o.slice(0, -1) : o));
}

interface ObjectShape {
  readonly lines: string[];
  readonly droppedSections: string[];
  readonly droppedEvents: number;
  readonly sectionCount: number;
}

/** One object's description within `budget`: header fields, Events (Warnings first), telling sections, the rest. */
function shapeObject(lines: readonly string[], budget: number): ObjectShape {
  const sections = sectionsOf(lines);
  const kept = new Map<number, readonly string[]>();
  const markerRoom = 160;
  let left = budget - markerRoom;
  const take = (i: number, content: readonly string[]): void => {
    kept.set(i, content);
    left -= content.reduce((n, l) => n + l.length + 1, 0);
  };
  const eventsAt = sections.findIndex((s) => s.title === "Events");
  const oneLine = sections.map((s, i) => ({ s, i })).filter(({ s, i }) => s.lines.length === 1 && i !== eventsAt);
  // The identity lines first, but never more than a third of the budget, so the Events still fit.
  let headerLeft = Math.floor(budget / 3);
  for (const { s, i } of oneLine) {
    if (s.chars > headerLeft || s.chars > left) continue;
    take(i, s.lines);
    headerLeft -= s.chars;
  }
  let droppedEvents = 0;
  const events = sections[eventsAt];
  if (events) {
    if (events.chars <= left) take(eventsAt, events.lines);
    else {
      const [title = "Events:", header = "", rule = "", ...rows] = events.lines;
      const columns = header.trim().split(/\s{2,}/);
      const typeAt = header.indexOf("Type");
      const ageAt = header.indexOf("Age");
      const next = (at: number): number => {
        const after = columns.map((c) => header.indexOf(c)).filter((p) => p > at);
        return after.length ? Math.min(...after) : Infinity;
      };
      const eventRows = rows.map((line) => ({ line, type: line.slice(typeAt, next(typeAt)).trim(), age: line.slice(ageAt, next(ageAt)).trim() }));
      const shaped = selectEvents(eventRows, left - title.length - header.length - rule.length - 3);
      if (shaped) {
        take(eventsAt, [title, header, rule, ...shaped.lines, ...(shaped.marker ? [`  ${shaped.marker}`] : [])]);
        droppedEvents = shaped.omitted?.count ?? 0;
      }
    }
  }
  const rest = sections.map((s, i) => ({ s, i })).filter(({ i }) => !kept.has(i) && i !== eventsAt);
  for (const { s, i } of [...rest.filter(({ s }) => TELLING.has(s.title)), ...rest.filter(({ s }) => !TELLING.has(s.title))]) {
    if (s.chars <= left) take(i, s.lines);
  }
  const out: string[] = [];
  const dropped: string[] = [];
  let markerAt = -1;
  sections.forEach((s, i) => {
    const content = kept.get(i);
    if (content) out.push(...content);
    else {
      if (markerAt < 0) markerAt = out.length;
      dropped.push(s.title);
    }
  });
  if (dropped.length > 0) {
    const names = dropped.join(", ");
    const marker = `${MARK}${dropped.length} of ${sections.length} sections not shown (${names.length > 100 ? `${names.slice(0, 97)}...` : names}); ask for them with get -o yaml`;
    out.splice(markerAt, 0, marker);
  }
  return { lines: out, droppedSections: dropped, droppedEvents, sectionCount: sections.length };
}

export interface DescribeShape {
  readonly text: string;
  readonly omitted: Omitted | null;
}

const MIN_PER_OBJECT = 600;

/** `kubectl describe` output cut to `budget`: each object keeps its header and Events, the middle goes first. */
export function shapeDescribe(text: string, budget: number): DescribeShape {
  const objects = objectsOf(text);
  const shown = Math.max(1, Math.min(objects.length, Math.floor(budget / MIN_PER_OBJECT)));
  const extra = objects.length - shown;
  const tail = extra > 0 ? `${MARK}${formatCount(extra)} more of ${formatCount(objects.length)} objects not shown (those with Warning events kept first); describe them one by one` : "";
  const each = Math.floor((budget - tail.length - 1) / shown) - 1;
  // When not all fit, objects with Warning events go first; the ones kept stay in kubectl's order.
  const troubled = (o: readonly string[]): boolean => o.some((line) => /^\s+Warning\s/.test(line));
  const chosen = objects.map((o, i) => ({ o, i })).sort((a, b) => Number(troubled(b.o)) - Number(troubled(a.o)) || a.i - b.i).slice(0, shown).sort((a, b) => a.i - b.i);
  const parts = chosen.map(({ o }) => shapeObject(o, each));
  const body = parts.map((p) => p.lines.join("\n")).join("\n\n");
  const out = tail ? `${body}\n\n${tail}` : body;
  if (out.length > budget) return keepHead(text, budget, "describe one object at a time");
  const sections = parts.reduce((n, p) => n + p.droppedSections.length, 0);
  const omitted: Omitted | null =
    extra > 0
      ? { unit: "objects", count: extra, of: objects.length }
      : sections > 0 || parts.some((p) => p.droppedEvents > 0)
        ? { unit: "sections", count: sections, of: parts.reduce((n, p) => n + p.sectionCount, 0), detail: { events: parts.reduce((n, p) => n + p.droppedEvents, 0) } }
        : null;
  return { text: out, omitted };
}
