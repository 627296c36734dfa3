import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { AuditReadError } from "./errors.js";
import { listSegments } from "./segments.js";

const Common = {
  seq: z.number().int().positive(),
  writer: z.string().regex(/^[0-9a-f]{16}$/),
  v: z.literal(1),
  ts: z.iso.datetime(),
  pid: z.number().int().nonnegative(),
  operationId: z.string().min(1),
};
const IntentLine = z.looseObject({
  ...Common,
  record: z.literal("intent"),
  target: z.string(),
  argv: z.array(z.array(z.string()).min(1)).min(1),
  decision: z.string(),
});
const ResultLine = z.looseObject({ ...Common, record: z.literal("result"), status: z.string() });
const MutationLine = z.discriminatedUnion("record", [IntentLine, ResultLine]);

export interface LineLocation {
  readonly file: string;
  /** 1-based line number in that file. */
  readonly line: number;
}
export interface OrphanIntent extends LineLocation {
  readonly operationId: string;
  readonly ts: string;
  readonly pid: number;
  readonly target: string;
  readonly argv: readonly (readonly string[])[];
}
export interface MalformedLine extends LineLocation {
  readonly reason: string;
}
/** A writer's line numbers jumped: lines between were lost, or lines were reordered or copied. */
export interface SequenceGap extends LineLocation {
  readonly writer: string;
  readonly expected: number;
  readonly found: number;
}
export interface UnmatchedResult extends LineLocation {
  readonly operationId: string;
}

export interface AuditVerification {
  /** No orphaned intent, malformed line or gap. */
  readonly ok: boolean;
  /** The files read, oldest first (segments, then the live file). */
  readonly files: readonly string[];
  readonly intents: number;
  readonly results: number;
  /**
   * Intents with no result after them: the mutation may have run without its outcome being recorded
   * (the process died, or is still running it: compare `pid` and `ts`).
   */
  readonly orphanIntents: readonly OrphanIntent[];
  /** Lines that are not a record of the format, e.g. the fragment a writer killed mid-line left behind. */
  readonly malformed: readonly MalformedLine[];
  readonly gaps: readonly SequenceGap[];
  /**
   * Results whose intent is not in the files read. Informational: retention deletes whole segments, so a
   * result can outlive an intent written just before a segment boundary.
   */
  readonly unmatchedResults: readonly UnmatchedResult[];
}

function reasonOf(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".") || "record"}: ${issue.message}` : "not a record";
}

/**
 * Reads the mutation stream at `path` (its live file; closed segments `<path>.<n>` are found beside it)
 * and reports orphaned intents, malformed lines and sequence gaps. Throws AuditReadError when a file
 * cannot be read; a missing stream is an empty, clean one.
 */
export function verifyAudit(path: string): AuditVerification {
  const live = resolve(path);
  const files = [...listSegments(live).map((s) => s.path), live];
  const read: string[] = [];
  const open = new Map<string, OrphanIntent[]>();
  const lastSeq = new Map<string, number>();
  const malformed: MalformedLine[] = [];
  const gaps: SequenceGap[] = [];
  const unmatchedResults: UnmatchedResult[] = [];
  let intents = 0;
  let results = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw new AuditReadError(file, error);
    }
    read.push(file);
    const lines = text.split("\n");
    if (lines.at(-1) === "") lines.pop();
    lines.forEach((text, index) => {
      const at = { file, line: index + 1 };
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        malformed.push({ ...at, reason: text.length > 0 ? "not JSON (a torn or edited line)" : "empty line" });
        return;
      }
      const parsed = MutationLine.safeParse(json);
      if (!parsed.success) {
        malformed.push({ ...at, reason: reasonOf(parsed.error) });
        return;
      }
      const record = parsed.data;
      const previous = lastSeq.get(record.writer);
      if (previous !== undefined && record.seq !== previous + 1) gaps.push({ ...at, writer: record.writer, expected: previous + 1, found: record.seq });
      lastSeq.set(record.writer, record.seq);
      if (record.record === "intent") {
        intents++;
        const { operationId, ts, pid, target, argv } = record;
        open.set(operationId, [...(open.get(operationId) ?? []), { ...at, operationId, ts, pid, target, argv }]);
        return;
      }
      results++;
      // Operation ids may repeat (a restarted server counting requests again): a result closes the oldest open one.
      const pending = open.get(record.operationId);
      if (!pending || pending.length === 0) unmatchedResults.push({ ...at, operationId: record.operationId });
      else pending.shift();
    });
  }
  const orphanIntents = [...open.values()].flat().sort((a, b) => read.indexOf(a.file) - read.indexOf(b.file) || a.line - b.line);
  return {
    ok: orphanIntents.length === 0 && malformed.length === 0 && gaps.length === 0,
    files: read,
    intents,
    results,
    orphanIntents,
    malformed,
    gaps,
    unmatchedResults,
  };
}
