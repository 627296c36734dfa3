/** What kind of text a command printed, which decides what a cut keeps. */
export type OutputKind = "events" | "table" | "logs" | "describe" | "json" | "yaml" | "text";

export interface ShapeOptions {
  /** Characters the shaped text may use, markers included; Infinity keeps everything. */
  readonly budgetChars: number;
  /** The kind, when the caller knows it; otherwise it is read from argv, then from the text. */
  readonly kind?: OutputKind;
  /** The command that printed the text (decides the kind and the hints in markers). */
  readonly argv?: readonly string[];
  /** Characters the capture already dropped from the middle of the output before shaping. */
  readonly uncapturedChars?: number;
}

/** What a cut left out, in the units of the kind (events, rows, lines, sections or characters). */
export interface Omitted {
  readonly unit: "events" | "rows" | "lines" | "sections" | "objects" | "characters";
  readonly count: number;
  readonly of: number;
  /** Counts of what was left out by class, e.g. { Normal: 183 } or { healthy: 35, problem: 3 }. */
  readonly detail?: Readonly<Record<string, number>>;
}

export interface Shaped {
  readonly text: string;
  readonly kind: OutputKind;
  /** Whether anything was left out (by this shaping or by the capture before it). */
  readonly truncated: boolean;
  readonly omitted: Omitted | null;
}

/** Every line rag-k8s adds to say what it cut starts with this, so people and models can tell it from kubectl's. */
export const MARK = "… ";

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}
