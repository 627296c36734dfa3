import { delimiter } from "node:path";
import { ConfigError } from "./errors.js";
import { FIELDS, type Field } from "./fields.js";
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

/** The settings a set of environment variables makes; empty variables count as unset. */
export function envLayer(vars: Record<string, string | undefined>, label: (name: string) => string): EnvLayer {
  const values: Tree = {};
  const names = new Map<string, string>();
  for (const field of FIELDS) {
    const candidates = [field.envVar, STANDARD_NAMES[field.path]].filter((n): n is string => n !== undefined);
    const name = candidates.find((n) => vars[n] !== undefined && vars[n] !== "");
    if (name === undefined) continue;
    setPath(values, field.path, coerce(field, vars[name] as string, label(name)));
    names.set(field.path, name);
  }
  return { values, names };
}
