import { readFile } from "node:fs/promises";
import { z } from "zod";

export const EvalCaseSchema = z
  .object({
    id: z.string().min(1).optional(),
    /** A full request (structured or with a goal) … */
    request: z.record(z.string(), z.unknown()).optional(),
    /** … or just a goal. */
    goal: z.string().min(1).optional(),
    expect: z
      .object({
        /** The exact command (multi-step plans: one command per line). */
        command: z.string().min(1).optional(),
        /** A regular expression the command must match. */
        commandRegex: z.string().min(1).optional(),
        /** The expected pipeline status when no command is expected, e.g. needs_input. */
        status: z.enum(["planned", "awaiting_confirmation", "denied", "needs_input", "succeeded", "dry_run", "failed"]).optional(),
        decision: z.enum(["allow", "confirm", "deny"]).optional(),
        /** The request must be refused as invalid, with an error message containing this text. */
        error: z.string().min(1).optional(),
      })
      .strict(),
  })
  .strict()
  .refine((c) => (c.request === undefined) !== (c.goal === undefined), "give exactly one of request or goal");
export type EvalCase = z.infer<typeof EvalCaseSchema>;

export class EvalSetError extends Error {
  override readonly name = "EvalSetError";
}

/** A line `{"minAccuracy": 0.95}` sets the set's own threshold (the command line's --min-accuracy overrides it). */
const SetSettingsSchema = z.object({ minAccuracy: z.number().min(0).max(1) }).strict();

export interface EvalSet {
  readonly file: string;
  readonly cases: readonly EvalCase[];
  readonly minAccuracy?: number;
}

/** Reads a JSONL eval set with its settings line, if any. */
export async function readEvalSetFile(file: string): Promise<EvalSet> {
  let minAccuracy: number | undefined;
  const cases = await readEvalSet(file, (settings) => (minAccuracy = settings.minAccuracy));
  return { file, cases, ...(minAccuracy !== undefined ? { minAccuracy } : {}) };
}

/** Reads a JSONL eval set; each line is checked, and errors name the file and line. */
export async function readEvalSet(file: string, onSettings?: (settings: z.infer<typeof SetSettingsSchema>) => void): Promise<EvalCase[]> {
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new EvalSetError(`cannot read ${file}: ${error.code ?? error.message}`);
  });
  const cases: EvalCase[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() === "" || line.trimStart().startsWith("//")) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new EvalSetError(`${file}:${index + 1}: not JSON: ${(error as Error).message}`);
    }
    const settings = SetSettingsSchema.safeParse(json);
    if (settings.success) {
      onSettings?.(settings.data);
      continue;
    }
    const parsed = EvalCaseSchema.safeParse(json);
    if (!parsed.success) {
      throw new EvalSetError(`${file}:${index + 1}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "case"}: ${i.message}`).join("; ")}`);
    }
    cases.push({ ...parsed.data, id: parsed.data.id ?? `${file}:${index + 1}` });
  }
  return cases;
}

export function caseRequest(c: EvalCase): unknown {
  return c.request ?? { goal: c.goal };
}
