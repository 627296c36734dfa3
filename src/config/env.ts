import { delimiter } from "node:path";
import { ConfigError } from "./errors.js";
import { FIELDS, longEnvVarFor, type Field } from "./fields.js";
import { distance } from "./issues.js";
import { setPath, type Tree } from "./merge.js";

/** Standard variables honoured below the RAGK8S_* name of the same setting. */
const STANDARD_NAMES: Record<string, string> = { "kube.kubeconfig": "KUBECONFIG" };

const TRUE = new Set(["1", "true", "yes", "on"]);
const FALSE = new Set(["0", "false", "no", "off"]);

function coerce(field: Field, raw: string, source: string): unknown {
  const text = raw.trim();
  switch (field.type) {
    case "number": {
      if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(text)) {
        throw new ConfigError([{ path: field.path, source, message: `expected a number, got "${raw}"` }]);
      }
      return Number(text);
    }
    case "boolean": {
      const lower = text.toLowerCase();
      if (TRUE.has(lower)) return true;
      if (FALSE.has(lower)) return false;
      throw new ConfigError([{ path: field.path, source, message: `expected true or false (also 1/0, yes/no, on/off), got "${raw}"` }]);
    }
    case "list":
      return text.split(delimiter).filter((item) => item !== "");
    default:
      return text;
  }
}

export interface EnvLayer {
  values: Tree;
  /** Dot path → the variable that set it. */
  names: Map<string, string>;
}

/** Variables of ours that are not settings. */
const NON_SETTING_NAMES = ["RAGK8S_CONFIG"];

/** Every name a setting answers to: its own, the long form of a short name, the standard one. */
function namesOf(field: Field): string[] {
  return [field.envVar, longEnvVarFor(field.path), STANDARD_NAMES[field.path]].filter((n, i, all): n is string => n !== undefined && all.indexOf(n) === i);
}

const KNOWN_NAMES: ReadonlySet<string> = new Set([...NON_SETTING_NAMES, ...FIELDS.flatMap(namesOf).filter((n) => n.startsWith("RAGK8S_"))]);

function closestKnownName(name: string): string {
  let best = "";
  let bestDistance = Infinity;
  for (const known of KNOWN_NAMES) {
    const d = distance(name, known);
    if (d < bestDistance) [best, bestDistance] = [known, d];
  }
  return best;
}

/**
 * A misspelt RAGK8S_* variable would otherwise be ignored without a word, and the setting the user meant would
 * silently keep its default: every set variable with our prefix must be one we read.
 */
function rejectUnknownNames(vars: Record<string, string | undefined>, label: (name: string) => string): void {
  const unknown = Object.keys(vars).filter((name) => name.startsWith("RAGK8S_") && vars[name] !== undefined && vars[name] !== "" && !KNOWN_NAMES.has(name));
  if (unknown.length === 0) return;
  throw new ConfigError(
    unknown.sort().map((name) => ({ path: "", source: label(name), message: `${name} is not a rag-k8s setting; did you mean ${closestKnownName(name)}? (\`rag-k8s config show\` lists every setting and its variable)` })),
  );
}

/** The settings a set of environment variables makes; empty variables count as unset. */
export function envLayer(vars: Record<string, string | undefined>, label: (name: string) => string): EnvLayer {
  rejectUnknownNames(vars, label);
  const values: Tree = {};
  const names = new Map<string, string>();
  for (const field of FIELDS) {
    const candidates = namesOf(field);
    const name = candidates.find((n) => vars[n] !== undefined && vars[n] !== "");
    if (name === undefined) continue;
    setPath(values, field.path, coerce(field, vars[name] as string, label(name)));
    names.set(field.path, name);
  }
  return { values, names };
}
