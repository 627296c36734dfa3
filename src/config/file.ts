import { readFileSync } from "node:fs";
import { isMap, isScalar, LineCounter, parseDocument, type Node } from "yaml";
import { ConfigError } from "./errors.js";
import { isTree, type Tree } from "./merge.js";

export interface ConfigFile {
  path: string;
  values: Tree;
  /** Dot path of every key in the file → where the key is, as "line:col" (1-based). */
  positions: Map<string, string>;
}

function at(counter: LineCounter, offset: number): string {
  const { line, col } = counter.linePos(offset);
  return `${line}:${col}`;
}

function recordPositions(node: unknown, prefix: string, counter: LineCounter, positions: Map<string, string>): void {
  if (!isMap(node)) return;
  for (const pair of node.items) {
    const key = pair.key as Node | null;
    if (!isScalar(key) || key.range === undefined || key.range === null) continue;
    const path = prefix ? `${prefix}.${String(key.value)}` : String(key.value);
    positions.set(path, at(counter, key.range[0]));
    recordPositions(pair.value, path, counter, positions);
  }
}

/** Reads a YAML config file, keeping the position of every key so errors can point at it. */
export function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    throw new ConfigError([{ path: "", source: `file:${path}`, message: `cannot read the config file (${code || String(error)})` }]);
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true });
  const problem = doc.errors[0];
  if (problem) {
    const start = problem.linePos?.[0];
    const where = start ? `${start.line}:${start.col}` : at(counter, problem.pos[0]);
    throw new ConfigError([{ path: "", source: `file:${path}:${where}`, message: `not valid YAML: ${problem.message.split("\n")[0]}` }]);
  }
  const values: unknown = doc.toJS() ?? {};
  if (!isTree(values)) {
    throw new ConfigError([{ path: "", source: `file:${path}:1:1`, message: "the config file must be a mapping of settings (key: value)" }]);
  }
  const positions = new Map<string, string>();
  recordPositions(doc.contents, "", counter, positions);
  return { path, values, positions };
}
