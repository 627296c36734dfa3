import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
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

/** `file:line:col: message`, or `file: message` for a problem with no position (a missing file or folder). */
export function formatPolicyProblem(problem: PolicyProblem): string {
  return problem.line > 0 ? `${problem.file}:${problem.line}:${problem.column}: ${problem.message}` : `${problem.file}: ${problem.message}`;
}

export class PolicyLoadError extends Error {
  override readonly name = "PolicyLoadError";
  constructor(readonly problems: readonly PolicyProblem[]) {
    super(`invalid policy:\n${problems.map((p) => `  ${formatPolicyProblem(p)}`).join("\n")}`);
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

interface PolicyText {
  readonly file: string;
  readonly text: string;
}

function parsePolicyFile({ file, text }: PolicyText, problems: PolicyProblem[]): PolicyFile | null {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true });
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

function readPolicyTexts(folder: string): PolicyText[] {
  let entries: string[];
  try {
    entries = readdirSync(folder).filter((f) => f.endsWith(".yaml") || f.endsWith(".yml")).sort();
  } catch (error) {
    throw new PolicyLoadError([{ file: folder, line: 0, column: 0, message: `cannot read the policy folder (${(error as NodeJS.ErrnoException).code ?? String(error)})` }]);
  }
  if (entries.length === 0) throw new PolicyLoadError([{ file: folder, line: 0, column: 0, message: "no *.yaml policy files in this folder" }]);
  return entries.map((name) => ({ file: join(folder, name), text: readFileSync(join(folder, name), "utf8") }));
}

/** Digest of a policy folder's files by name and content: what a pre-parsed policy must match to be used. */
function policyDigest(texts: readonly PolicyText[]): string {
  const hash = createHash("sha256");
  for (const { file, text } of texts) hash.update(`${basename(file)}\0${text.length}\0${text}`);
  return hash.digest("hex");
}

/** Required top-level keys, and the file of the bundled policy that holds each. */
const REQUIRED_KEYS: Readonly<Record<string, string>> = { verbs: "rules.yaml", resources: "rules.yaml", namespaces: "namespaces.yaml", cluster: "namespaces.yaml" };

/** A required key no file sets: named with the file it belongs in, and whether that file is missing. */
function missingKeys(folder: string, texts: readonly PolicyText[], merged: Record<string, unknown>): PolicyProblem[] {
  const byFile = new Map<string, string[]>();
  for (const [key, file] of Object.entries(REQUIRED_KEYS)) if (!(key in merged)) byFile.set(file, [...(byFile.get(file) ?? []), key]);
  return [...byFile].map(([file, keys]) => {
    const present = texts.some((t) => basename(t.file) === file);
    const list = keys.map((k) => `"${k}"`).join(" and ");
    const message = present
      ? `${list} must be set; no policy file in this folder sets ${keys.length > 1 ? "them" : "it"}`
      : `file not found: this folder has no ${file}, and no other file sets ${list}; copy ${file} from the bundled policy (${join(bundledPolicyDir(), file)})`;
    return { file: join(folder, file), line: 0, column: 0, message };
  });
}

function parsePolicyTexts(folder: string, texts: readonly PolicyText[]): { config: PolicyConfig; locate: Locate } {
  const problems: PolicyProblem[] = [];
  const files = texts.map((t) => parsePolicyFile(t, problems)).filter((f): f is PolicyFile => f !== null);
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
  const missing = missingKeys(folder, texts, merged);
  if (missing.length) throw new PolicyLoadError(missing);
  const locate: Locate = (path) => {
    const f = owner.get(String(path[0] ?? ""));
    return f ? { file: f.file, ...position(f.doc, f.counter, path) } : { file: folder, line: 0, column: 0 };
  };
  const parsed = PolicySchema.safeParse(merged);
  if (!parsed.success) {
    throw new PolicyLoadError(parsed.error.issues.map((issue) => ({ ...locate(issue.path), message: `${issue.path.join(".") || "policy"}: ${issue.message}` })));
  }
  return { config: parsed.data, locate };
}

/**
 * Reads and validates every *.yaml file of a policy folder (default: the bundled one). Each top-level key may
 * appear in one file only; problems name the file, line and column.
 */
export function readPolicyConfig(dir?: string): { config: PolicyConfig; folder: string; locate: Locate } {
  const folder = resolve(dir ?? bundledPolicyDir());
  return { folder, ...parsePolicyTexts(folder, readPolicyTexts(folder)) };
}

/** The bundled policy parsed and validated at build time, so that a start can skip YAML parsing. */
export interface PreparsedPolicy {
  readonly digest: string;
  readonly config: PolicyConfig;
}

/** File name of the pre-parsed bundled policy, written by the build next to this module's compiled code. */
export const PREPARSED_POLICY_FILE = "preparsed-policy.json";

/** Parses the bundled policy folder for the build (scripts/postbuild.mjs). */
export function preparseBundledPolicy(): PreparsedPolicy {
  const folder = bundledPolicyDir();
  const texts = readPolicyTexts(folder);
  return { digest: policyDigest(texts), config: parsePolicyTexts(folder, texts).config };
}

/**
 * The build-time parse of the bundled folder. It ships inside the package next to the code (not in a cache a
 * process could write), and is used only while policy/*.yaml still match its digest.
 */
function preparsedConfig(folder: string, texts: readonly PolicyText[]): PolicyConfig | undefined {
  if (folder !== resolve(bundledPolicyDir())) return undefined;
  let preparsed: PreparsedPolicy;
  try {
    preparsed = JSON.parse(readFileSync(new URL(PREPARSED_POLICY_FILE, import.meta.url), "utf8")) as PreparsedPolicy;
  } catch {
    return undefined;
  }
  return preparsed.digest === policyDigest(texts) ? preparsed.config : undefined;
}

/** Loads a policy folder (default: the bundled one) and precomputes its lookups. Throws PolicyLoadError. */
export function loadPolicy(dir?: string): Policy {
  const folder = resolve(dir ?? bundledPolicyDir());
  const texts = readPolicyTexts(folder);
  const config = preparsedConfig(folder, texts) ?? parsePolicyTexts(folder, texts).config;
  return compilePolicy(config, folder);
}
