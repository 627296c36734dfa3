/** How a flag takes its value: `value` flags need one, `bool` flags take none (or `=true|false`). */
export type FlagKind = "value" | "bool";

/** Long flag name (without dashes) → kind; `short` maps one-letter flags to their long name. */
export interface FlagSpec {
  long: Readonly<Record<string, FlagKind>>;
  short?: Readonly<Record<string, string>>;
}

export interface ParsedFlags {
  positionals: string[];
  /** Long name → value; a bool flag holds "true" or "false". Repeating a flag keeps the last value, as kubectl does. */
  flags: Map<string, string>;
}

/**
 * Flags every command takes here. `--context` is only understood before the verb, where the gate puts it
 * (plans never carry target flags: policy denies them); anywhere else it makes the argv kubectl's.
 */
const GLOBAL: FlagSpec = { long: { namespace: "value" }, short: { n: "namespace" } };

/**
 * Splits kubectl arguments into positionals and known flags. Returns undefined as soon as anything is not
 * understood (an unknown flag, a value flag without a value, `--`): such argv is kubectl's to interpret.
 */
export function parseFlags(args: readonly string[], spec: FlagSpec): ParsedFlags | undefined {
  const long = { ...GLOBAL.long, ...spec.long };
  const short = { ...GLOBAL.short, ...spec.short };
  const positionals: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--" || arg === "-") return undefined;
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
    } else if (arg.startsWith("-") && arg.length > 1) {
      const mapped = short[arg[1] as string];
      if (mapped === undefined) return undefined;
      name = mapped;
      const rest = arg.slice(2);
      // `-oyaml`, `-o=yaml`, `-nshop`; bool shorts (`-A`, `-p`) take nothing attached.
      if (rest !== "") inline = rest.startsWith("=") ? rest.slice(1) : rest;
    } else {
      positionals.push(arg);
      continue;
    }
    const kind = Object.hasOwn(long, name) ? long[name] : undefined;
    if (kind === undefined) return undefined;
    if (kind === "bool") {
      if (inline !== undefined && inline !== "true" && inline !== "false") return undefined;
      flags.set(name, inline ?? "true");
      continue;
    }
    if (inline === undefined) {
      const next = args[i + 1];
      if (next === undefined) return undefined;
      inline = next;
      i++;
    }
    flags.set(name, inline);
  }
  const namespace = flags.get("namespace");
  if (namespace !== undefined && !NAMESPACE.test(namespace)) return undefined;
  return { positionals, flags };
}

/** A namespace is a DNS label; anything else is kubectl's to reject (and never becomes part of a URL path here). */
const NAMESPACE = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Whether an object name can be one URL path segment as it is: not "." or "..", which a server or proxy may
 * resolve to the parent path, and without "/" or "%". Other names go to kubectl, which validates them itself.
 */
export function isPathSafeName(name: string): boolean {
  return name !== "" && name !== "." && name !== ".." && name.length <= 253 && !/[/%\s\\?#]/.test(name);
}

/** `--flag` given as a bool: true unless `--flag=false`. */
export function flagSet(p: ParsedFlags, name: string): boolean {
  return p.flags.get(name) === "true";
}

/** Splits `TYPE/NAME` or `TYPE NAME` positionals into one reference; undefined for any other shape. */
export function oneObject(positionals: readonly string[]): { type: string; name: string } | undefined {
  if (positionals.length === 1) {
    const [ref = ""] = positionals;
    const slash = ref.indexOf("/");
    if (slash <= 0 || slash === ref.length - 1 || ref.indexOf("/", slash + 1) >= 0) return undefined;
    const name = ref.slice(slash + 1);
    return isPathSafeName(name) ? { type: ref.slice(0, slash), name } : undefined;
  }
  if (positionals.length === 2) {
    const [type = "", name = ""] = positionals;
    if (type.includes("/") || type.includes(",") || !isPathSafeName(name)) return undefined;
    return { type, name };
  }
  return undefined;
}
