import { isDns1123Label, isLabelSelector } from "../kube/index.js";
import { QUANTIFIERS } from "./kinds.js";
import { ParseFailure, fail } from "./parsed.js";
import type { ParseResult, ParsedCommand } from "./parsed.js";
import { readPositionals } from "./positionals.js";
import { REASON } from "./reasons.js";
import { COMPOUND, IDENTITY_FLAGS, IDENTITY_SHORT, INT_FLAGS, PLAIN_INT, PRE_VERB_FLAGS, REFUSED_WHOLE, VERBS } from "./spec.js";
import type { VerbSpec } from "./spec.js";
import { tokenize } from "./tokenize.js";
import { VALUE_CHECKS } from "./values.js";

export const DEFAULT_BINARIES = ["kubectl", "flux"] as const;

const normalizeFlagName = (name: string) => name.toLowerCase().replaceAll("_", "-");

/** Short letters that take a value in most kubectl commands: a group's letters after one of them are its value. */
const VALUE_SHORTS: ReadonlySet<string> = new Set(["n", "l", "o", "c", "f", "k", "L"]);

const IDENTITY_NAMES = [...IDENTITY_FLAGS];

/**
 * An identity flag, or the start of one (`--kubeconf`, `--tok`, `--insecure`): some CLIs accept unique
 * prefixes of long flags, so a written prefix is refused as what it could stand for. A flag the verb itself
 * has (`version --client`) is that flag, not a prefix.
 */
function identityFlag(name: string, spec: VerbSpec | undefined): string | undefined {
  const normalized = normalizeFlagName(name);
  if (IDENTITY_FLAGS.has(normalized)) return normalized;
  if (normalized.length < 2 || spec?.flags.has(name) || PRE_VERB_FLAGS.has(`--${name}`)) return undefined;
  return IDENTITY_NAMES.find((flag) => flag.startsWith(normalized));
}

/**
 * Refuses identity/target flags where the verb's own flag table is not at hand (before the verb, and in verbs
 * refused by name). Short groups are read up to the first letter that usually takes a value.
 */
function refuseIdentity(token: string, spec?: VerbSpec): void {
  if (token.startsWith("--")) {
    const eq = token.indexOf("=");
    const name = eq === -1 ? token.slice(2) : token.slice(2, eq);
    const flag = identityFlag(name, spec);
    if (flag !== undefined) {
      const what = flag === normalizeFlagName(name) ? `--${name}` : `--${name} (read as --${flag})`;
      fail(REASON.IDENTITY_FLAG, `${what} changes the target cluster, identity or transport; rag-k8s sets those from its configuration, never from a plan`);
    }
    return;
  }
  for (let i = 1; i < token.length; i++) {
    const c = token[i] as string;
    if (IDENTITY_SHORT.has(c)) fail(REASON.IDENTITY_FLAG, `-${c} (--server) in "${token}" changes the target cluster; it is never allowed`);
    if (VALUE_SHORTS.has(c)) return;
  }
}

/**
 * Finds the verb words (kubectl: `get`, `rollout restart`; flux: `reconcile`) and their token indices. Only
 * -n/--namespace/--request-timeout may stand before or between them, so the verb kubectl or flux will run is
 * the verb read here whatever the flags.
 */
function findVerb(binary: string, tokens: readonly string[]): { verb: string; at: ReadonlySet<number> } {
  const words: { word: string; index: number }[] = [];
  const wanted = () => (words.length === 1 && binary !== "flux" && COMPOUND.has(words[0]?.word as string) ? 2 : 1);
  for (let i = 1; i < tokens.length && words.length < wanted(); i++) {
    const token = tokens[i] as string;
    if (token === "--") break;
    if (token.startsWith("-") && token.length > 1) {
      refuseIdentity(token);
      const eq = token.indexOf("=");
      const name = eq === -1 ? token : token.slice(0, eq);
      const attached = token.startsWith("-n") && !token.startsWith("--") && token.length > 2;
      // `kubectl create -f x.yaml`: the first word is a verb by itself (refused whole), so say that, not "bad flag".
      if (!PRE_VERB_FLAGS.has(name) && !attached && words.length === 1 && VERBS.has(words[0]?.word as string)) break;
      if (!PRE_VERB_FLAGS.has(name) && !attached) fail(REASON.FLAG_NOT_ALLOWED, `${token} may not stand before the verb; only -n/--namespace and --request-timeout may`);
      if (eq === -1 && !attached) i++;
      continue;
    }
    words.push({ word: token, index: i });
  }
  const [first, second] = words;
  if (first === undefined) return fail(REASON.UNKNOWN_VERB, `"${binary}" needs a verb`);
  if (binary === "flux") {
    if (!VERBS.has(`flux ${first.word}`)) return fail(REASON.UNKNOWN_VERB, `flux "${first.word}" is not a verb rag-k8s knows`);
    return { verb: `flux ${first.word}`, at: new Set([first.index]) };
  }
  const subs = COMPOUND.get(first.word);
  const sub = second === undefined ? undefined : subs?.get(second.word);
  if (subs && sub !== undefined && second !== undefined) return { verb: `${first.word} ${sub}`, at: new Set([first.index, second.index]) };
  if (VERBS.has(first.word)) return { verb: first.word, at: new Set([first.index]) };
  return fail(
    REASON.UNKNOWN_VERB,
    subs ? `"${first.word}" needs one of: ${[...subs.keys()].join(", ")}` : `"${first.word}" is not a kubectl verb rag-k8s knows`,
  );
}

interface FlagState {
  readonly flags: Map<string, string | boolean>;
  readonly namespaces: string[];
}

function setFlag(state: FlagState, name: string, value: string | boolean): void {
  if (typeof value === "string" && INT_FLAGS.has(name) && !PLAIN_INT.test(value)) {
    fail(REASON.INVALID_FLAG_VALUE, `--${name} takes a plain decimal integer, not "${value}"`);
  }
  const check = VALUE_CHECKS.get(name);
  if (check && typeof value === "string" && !check.ok(value)) fail(check.code, `--${name} takes ${check.expected}, not "${value}"`);
  if (name === "namespace") state.namespaces.push(String(value));
  else if (state.flags.has(name)) fail(REASON.FLAG_REPEATED, `--${name} is given more than once`);
  state.flags.set(name, value);
}

function readBool(name: string, value: string | undefined): boolean {
  if (value === undefined || value === "true") return true;
  if (value === "false") return false;
  return fail(REASON.INVALID_FLAG_VALUE, `--${name} takes true or false, not "${value}"`);
}

const UNBOUNDED = "never ends by itself, and a command must: read once (and again later), or wait with `rollout status --timeout=…`";
/** Why some often-proposed flags are refused, beyond "not in the list". */
const REFUSED_FLAG_WHY: Readonly<Record<string, string>> = {
  watch: `a watch ${UNBOUNDED}`,
  "watch-only": `a watch ${UNBOUNDED}`,
  follow: `following logs ${UNBOUNDED}; bound the read with --tail or --since`,
  filename: "reading manifests from files is not part of a plan",
  kustomize: "reading manifests from files is not part of a plan",
  template: "use -o jsonpath=… instead",
};
const SHORT_MEANING: Readonly<Record<string, string>> = { w: "watch", k: "kustomize" };

function unknownFlag(written: string, long: string, spec: VerbSpec, verb: string): never {
  if (long === "all-namespaces" && !spec.readOnly) fail(REASON.ALL_NAMESPACES_MUTATION, `${written} is never allowed on a mutating verb ("${verb}")`);
  const meaning = long === "f" ? (verb === "logs" ? "follow" : "filename") : (SHORT_MEANING[long] ?? long);
  const why = REFUSED_FLAG_WHY[meaning];
  return fail(REASON.FLAG_NOT_ALLOWED, `${written} is not an allowed flag for "${verb}"${why ? `: ${why}` : ""}`);
}

/**
 * The next token as a flag's value. pflag would take even `--token=x` there; refusing values that start with
 * "-" unless written `--flag=VALUE` means every token of an allowed argv that starts with "-" is a flag.
 */
function nextValue(written: string, next: () => string | undefined): string {
  const value = next();
  if (value === undefined) return fail(REASON.FLAG_VALUE_MISSING, `${written} needs a value`);
  if (value.startsWith("-")) fail(REASON.FLAG_VALUE_MISSING, `${written} needs a value; "${value}" looks like a flag (write ${written}=VALUE if it is meant)`);
  return value;
}

function readLong(token: string, spec: VerbSpec, verb: string, next: () => string | undefined, state: FlagState): void {
  const eq = token.indexOf("=");
  const name = eq === -1 ? token.slice(2) : token.slice(2, eq);
  const inline = eq === -1 ? undefined : token.slice(eq + 1);
  refuseIdentity(token, spec);
  const flag = spec.flags.get(name);
  if (!flag) return unknownFlag(`--${name}`, normalizeFlagName(name), spec, verb);
  if (flag.arity === "bool") return setFlag(state, name, readBool(name, inline));
  if (flag.arity === "inline" && inline === undefined) fail(REASON.FLAG_VALUE_MISSING, `write --${name}=VALUE (a bare --${name} does not take the next word)`);
  setFlag(state, name, inline ?? nextValue(`--${name}`, next));
}

/** pflag short groups: `-Ap` is -A -p; the first value-taking letter takes the rest (`-nprod`, `-n=prod`) or the next token. */
function readShortGroup(token: string, spec: VerbSpec, verb: string, next: () => string | undefined, state: FlagState): void {
  for (let i = 1; i < token.length; i++) {
    const c = token[i] as string;
    if (IDENTITY_SHORT.has(c)) fail(REASON.IDENTITY_FLAG, `-${c} (--server) in "${token}" changes the target cluster; it is never allowed`);
    const name = spec.shorts.get(c);
    if (name === undefined) return unknownFlag(`-${c}`, c === "A" ? "all-namespaces" : c, spec, verb);
    const flag = spec.flags.get(name);
    const rest = token.slice(i + 1);
    if (flag?.arity === "bool") {
      if (!rest.startsWith("=")) {
        setFlag(state, name, true);
        continue;
      }
      return setFlag(state, name, readBool(name, rest.slice(1)));
    }
    // pflag strips one "=" only when something follows it: `-n=` is the value "=".
    const value = rest === "" ? nextValue(`-${c}`, next) : rest.startsWith("=") && rest.length > 1 ? rest.slice(1) : rest;
    return setFlag(state, name, value);
  }
}

/** Parses a command into a typed structure. Never throws; a command it cannot read is a list of reasons. */
export function parseCommand(command: string, binaries: readonly string[] = DEFAULT_BINARIES): ParseResult {
  const tokenized = tokenize(command);
  if (!tokenized.ok) return tokenized;
  try {
    return { ok: true, parsed: parseTokens(tokenized.tokens, binaries) };
  } catch (error) {
    if (error instanceof ParseFailure) return { ok: false, reasons: [error.reason] };
    throw error;
  }
}

/** Verbs refused by name: only identity flags and the namespace are read, so the refusal can suggest something. */
function parseRefused(binary: string, verb: string, tokens: readonly string[], at: ReadonlySet<number>): ParsedCommand {
  const namespaces: string[] = [];
  const args: string[] = [];
  for (let i = 1; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (at.has(i)) continue;
    if (token === "--") break;
    if (!token.startsWith("-") || token.length === 1) {
      args.push(token);
      continue;
    }
    refuseIdentity(token);
    if (token === "-n" || token === "--namespace") namespaces.push(tokens[++i] ?? "");
    else if (token.startsWith("--namespace=")) namespaces.push(token.slice("--namespace=".length));
    else if (token.startsWith("-n") && !token.startsWith("--")) namespaces.push(token.slice(2).replace(/^=/, ""));
  }
  const namespace = namespaces.find((ns) => isDns1123Label(ns)) ?? null;
  return { binary, verb, readOnly: false, resources: [], refs: [], names: [], namespace, allNamespaces: false, selector: null, flags: new Map(), args, output: null, dryRun: null, endOfFlags: null, argv: tokens };
}

function parseTokens(tokens: readonly string[], binaries: readonly string[]): ParsedCommand {
  const binary = tokens[0] as string;
  if (!binaries.includes(binary)) fail(REASON.BINARY_NOT_ALLOWED, `"${binary}" is not an allowed program (allowed: ${binaries.join(", ")})`);
  const { verb, at } = findVerb(binary, tokens);
  if (REFUSED_WHOLE.has(verb)) return parseRefused(binary, verb, tokens, at);
  const spec = VERBS.get(verb) as VerbSpec;
  const state: FlagState = { flags: new Map(), namespaces: [] };
  const positionals: string[] = [];
  let endOfFlags: number | null = null;
  let i = 1;
  const next = () => tokens[++i];
  for (; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (at.has(i)) continue;
    if (token === "--") {
      endOfFlags = i;
      positionals.push(...tokens.slice(i + 1));
      break;
    }
    if (token.startsWith("--")) readLong(token, spec, verb, next, state);
    else if (token.startsWith("-") && token.length > 1) readShortGroup(token, spec, verb, next, state);
    else positionals.push(token);
  }
  const value = (name: string) => {
    const v = state.flags.get(name);
    return typeof v === "string" ? v : null;
  };
  const selector = value("selector");
  if (selector !== null && !isLabelSelector(selector)) fail(REASON.INVALID_SELECTOR, `"${selector}" is not a valid label selector`);
  if (verb === "scale") {
    // kubectl refuses these too, but only after the policy would have rated the command: rate what will run.
    const replicas = state.flags.get("replicas");
    if (typeof replicas !== "string") fail(REASON.FLAG_VALUE_MISSING, "scale needs --replicas=COUNT");
    else if (replicas.startsWith("-")) fail(REASON.INVALID_FLAG_VALUE, `--replicas must be 0 or more, not ${replicas}`);
  }
  const { refs, args } = readPositionals(spec.positionals, verb, positionals, selector !== null);
  const namespaces = [...new Set(state.namespaces)];
  if (namespaces.length > 1) fail(REASON.NAMESPACE_CONFLICT, `several namespaces given: ${namespaces.join(", ")}`);
  const namespace = namespaces[0] ?? null;
  if (namespace !== null && !isDns1123Label(namespace)) fail(REASON.INVALID_NAME, `"${namespace}" is not a valid namespace name`);
  if (namespace !== null && QUANTIFIERS.has(namespace)) fail(REASON.INVALID_NAME, `"${namespace}" is a quantifier, not a namespace; use -A to read every namespace`);
  return {
    binary,
    verb,
    readOnly: spec.readOnly,
    resources: [...new Set(refs.map((r) => r.resource))],
    refs,
    names: [...new Set(refs.flatMap((r) => (r.name ? [r.name] : [])))],
    namespace,
    allNamespaces: state.flags.get("all-namespaces") === true,
    selector,
    flags: state.flags,
    args,
    output: value("output"),
    dryRun: value("dry-run"),
    endOfFlags,
    argv: tokens,
  };
}
