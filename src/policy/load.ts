import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import type { Document } from "yaml";
import { packageRoot } from "../package-root.js";
import { compilePolicy } from "./compile.js";
import type { Policy } from "./compile.js";
import { PolicySchema } from "./schema.js";
import type { PolicyConfig } from "./schema.js";

export interface PolicyProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export class PolicyLoadError extends Error {
  override readonly name = "PolicyLoadError";
  constructor(readonly problems: readonly PolicyProblem[]) {
    super(`invalid policy:\n${problems.map((p) => `  ${p.file}:${p.line}:${p.column}: ${p.message}`).join("\n")}`);
  }
}

/** The policy/ folder shipped with the package. */
export function bundledPolicyDir(): string {
  return join(packageRoot(), "policy");
}

function position(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): { line: number; column: number } {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth) as (string | number)[], true) as { range?: [number, number, number] } | undefined;
    if (node?.range) {
      const { line, col } = counter.linePos(node.range[0]);
      return { line, column: col };
    }
  }
  return { line: 1, column: 1 };
}

interface PolicyFile {
  readonly file: string;
  readonly doc: Document;
  readonly counter: LineCounter;
  readonly values: Record<string, unknown>;
}

function readPolicyFile(file: string, problems: PolicyProblem[]): PolicyFile | null {
  const counter = new LineCounter();
  const doc = parseDocument(readFileSync(file, "utf8"), { lineCounter: counter, uniqueKeys: true });
  for (const error of doc.errors) {
    const start = error.linePos?.[0];
    problems.push({ file, line: start?.line ?? 1, column: start?.col ?? 1, message: `not valid YAML: ${error.message.split("\n")[0]}` });
  }
  if (doc.errors.length) return null;
  const values = doc.toJS() as unknown;
  if (values === null || typeof values !== "object" || Array.isArray(values)) {
    problems.push({ file, line: 1, column: 1, message: "a policy file must be a mapping of policy keys" });
    return null;
  }
  return { file, doc, counter, values: values as Record<string, unknown> };
}

/** Where a dot path of the merged policy was written: the file that owns its top-level key, line and column. */
export type Locate = (path: readonly PropertyKey[]) => { file: string; line: number; column: number };

/**
 * Reads and validates every *.yaml file of a policy folder (default: the bundled one). Each top-level key may
 * appear in one file only; problems name the file, line and column.
 */
export function readPolicyConfig(dir?: string): { config: PolicyConfig; folder: string; locate: Locate } {
  const folder = resolve(dir ?? bundledPolicyDir());
  let entries: string[];
  try {
    entries = readdirSync(folder).filter((f) => f.endsWith(".yaml") || f.endsWith(".yml")).sort();
  } catch (error) {
    throw new PolicyLoadError([{ file: folder, line: 0, column: 0, message: `cannot read the policy folder (${(error as NodeJS.ErrnoException).code ?? String(error)})` }]);
  }
  if (entries.length === 0) throw new PolicyLoadError([{ file: folder, line: 0, column: 0, message: "no *.yaml policy files in this folder" }]);
  const problems: PolicyProblem[] = [];
  const files = entries.map((name) => readPolicyFile(join(folder, name), problems)).filter((f): f is PolicyFile => f !== null);
  if (problems.length) throw new PolicyLoadError(problems);
  const merged: Record<string, unknown> = {};
  const owner = new Map<string, PolicyFile>();
  for (const f of files) {
    for (const [key, value] of Object.entries(f.values)) {
      const previous = owner.get(key);
      if (previous) {
        problems.push({ file: f.file, ...position(f.doc, f.counter, [key]), message: `"${key}" is already set in ${previous.file}` });
        continue;
      }
      owner.set(key, f);
      merged[key] = value;
    }
  }
  if (problems.length) throw new PolicyLoadError(problems);
  const locate: Locate = (path) => {
    const f = owner.get(String(path[0] ?? ""));
    return f ? { file: f.file, ...position(f.doc, f.counter, path) } : { file: folder, line: 0, column: 0 };
  };
  const parsed = PolicySchema.safeParse(merged);
  if (!parsed.success) {
    throw new PolicyLoadError(parsed.error.issues.map((issue) => ({ ...locate(issue.path), message: `${issue.path.join(".") || "policy"}: ${issue.message}` })));
  }
  return { config: parsed.data, folder, locate };
}

/** Loads a policy folder (default: the bundled one) and precomputes its lookups. Throws PolicyLoadError. */
export function loadPolicy(dir?: string): Policy {
  const { config, folder } = readPolicyConfig(dir);
  return compilePolicy(config, folder);
}
