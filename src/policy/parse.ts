import { isDns1123Label, isDns1123Subdomain, isLabelSelector } from "../cards/validators.js";
import { REASON } from "./reasons.js";
import type { Reason } from "./reasons.js";
import { COMPOUND, FLUX_KINDS, IDENTITY_FLAGS, IDENTITY_SHORT, VERBS, normalizeResource } from "./spec.js";
import type { VerbSpec } from "./spec.js";
import { tokenize } from "./tokenize.js";

export interface ResourceRef {
  readonly resource: string;
  readonly name: string | null;
}

export interface ParsedCommand {
  readonly binary: string;
  /** Verb id, e.g. "get", "rollout restart", "top pod", "flux reconcile". */
  readonly verb: string;
  readonly readOnly: boolean;
  /** Canonical resources (plural), e.g. ["deployments"]; several for `get secret,pods`. */
  readonly resources: readonly string[];
  readonly refs: readonly ResourceRef[];
  readonly names: readonly string[];
  readonly namespace: string | null;
  readonly allNamespaces: boolean;
  readonly selector: string | null;
  /** Long flag name → value (`true` for a bare boolean flag). */
  readonly flags: ReadonlyMap<string, string | true>;
  /** Positionals that are neither verb, resource nor name (annotation `key=value`, a logs container). */
  readonly args: readonly string[];
  readonly output: string | null;
  readonly dryRun: string | null;
  /** The tokens, exactly as they would be passed to the process. */
  readonly argv: readonly string[];
}

export type ParseResult = { readonly ok: true; readonly parsed: ParsedCommand } | { readonly ok: false; readonly reasons: Reason[] };

export const DEFAULT_BINARIES = ["kubectl", "flux"] as const;

class ParseFailure extends Error {
  constructor(readonly reason: Reason) {
    super(reason.message);
  }
}

const fail = (code: Reason["code"], message: string): never => {
  throw new ParseFailure({ code, message });
};

function normalizeFlagName(name: string): string {
  return name.toLowerCase().replaceAll("_", "-");
}

/** Global flags that may stand before the verb and take a value, to find the verb words. */
const PRE_VERB_VALUE_FLAGS = new Set(["-n", "--namespace", "--request-timeout", "-s", "--server", "--kubeconfig", "--context", "--cluster", "--user", "--token", "--as", "--as-group", "--as-uid"]);

function verbWords(tokens: readonly string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < tokens.length && words.length < 3; i++) {
    const token = tokens[i] as string;
    if (token === "--") break;
    if (token.startsWith("-")) {
      if (!token.includes("=") && PRE_VERB_VALUE_FLAGS.has(token)) i++;
      continue;
    }
    words.push(token);
  }
  return words;
}

function resolveVerb(binary: string, words: readonly string[]): { verb: string; consumed: number } {
  const [first, second] = words;
  if (first === undefined) return fail(REASON.UNKNOWN_VERB, `"${binary}" needs a verb`);
  if (binary === "flux") {
    if (!VERBS[`flux ${first}`]) return fail(REASON.UNKNOWN_VERB, `flux "${first}" is not a verb rag-k8s knows`);
    return { verb: `flux ${first}`, consumed: 1 };
  }
  const subs = COMPOUND[first];
  if (subs && second !== undefined && subs.includes(second)) {
    const sub = first === "top" ? (second.startsWith("po") ? "pod" : "node") : second;
    return { verb: `${first} ${sub}`, consumed: 2 };
  }
  if (VERBS[first]) return { verb: first, consumed: 1 };
  return fail(
    REASON.UNKNOWN_VERB,
    subs ? `"${first}" needs one of: ${subs.join(", ")}` : `"${first}" is not a kubectl verb rag-k8s knows`,
  );
}

interface FlagState {
  readonly flags: Map<string, string | true>;
  readonly namespaces: string[];
}

function setFlag(state: FlagState, name: string, value: string | true): void {
  if (name === "namespace") {
    state.namespaces.push(String(value));
    state.flags.set(name, value);
    return;
  }
  if (state.flags.has(name)) fail(REASON.FLAG_REPEATED, `--${name} is given more than once`);
  state.flags.set(name, value);
}

function readLong(token: string, spec: VerbSpec, verb: string, next: () => string | undefined, state: FlagState): void {
  const eq = token.indexOf("=");
  const name = eq === -1 ? token.slice(2) : token.slice(2, eq);
  const inline = eq === -1 ? undefined : token.slice(eq + 1);
  if (IDENTITY_FLAGS.has(normalizeFlagName(name))) {
    fail(REASON.IDENTITY_FLAG, `--${name} changes the target cluster or identity; rag-k8s sets those from its configuration, never from a plan`);
  }
  const flag = spec.flags[name];
  if (!flag) return fail(REASON.FLAG_NOT_ALLOWED, `--${name} is not an allowed flag for "${verb}"`);
  if (flag.arity === "bool") {
    if (inline !== undefined && inline !== "true" && inline !== "false") fail(REASON.FLAG_NOT_ALLOWED, `--${name} takes true or false, not "${inline}"`);
    if (inline !== "false") setFlag(state, name, true);
    return;
  }
  const value = inline ?? next();
  if (value === undefined) fail(REASON.FLAG_VALUE_MISSING, `--${name} needs a value`);
  setFlag(state, name, value as string);
}

function readShortGroup(token: string, spec: VerbSpec, verb: string, next: () => string | undefined, state: FlagState): void {
  for (let i = 1; i < token.length; i++) {
    const c = token[i] as string;
    if (IDENTITY_SHORT.has(c)) fail(REASON.IDENTITY_FLAG, `-${c} (--server) changes the target cluster; it is never allowed`);
    const entry = Object.entries(spec.flags).find(([, f]) => f.short === c);
    if (!entry) return fail(REASON.FLAG_NOT_ALLOWED, `-${c} is not an allowed flag for "${verb}"`);
    const [name, flag] = entry;
    if (flag.arity === "bool") {
      setFlag(state, name, true);
      continue;
    }
    const rest = token.slice(i + 1).replace(/^=/, "");
    const value = rest !== "" ? rest : next();
    if (value === undefined) fail(REASON.FLAG_VALUE_MISSING, `-${c} needs a value`);
    setFlag(state, name, value as string);
    return;
  }
}

function checkName(name: string): string {
  if (!isDns1123Subdomain(name)) fail(REASON.INVALID_NAME, `"${name}" is not a valid Kubernetes object name`);
  return name;
}

function readResources(args: string[], verb: string): { refs: ResourceRef[]; rest: string[] } {
  const [first, ...others] = args;
  if (first === undefined) return { refs: [], rest: [] };
  const isKeyValue = (arg: string) => /[=]/.test(arg) || arg.endsWith("-");
  if (first.includes("/")) {
    const refs: ResourceRef[] = [];
    const rest: string[] = [];
    for (const arg of args) {
      if (!arg.includes("/") || (isKeyValue(arg) && refs.length > 0)) {
        rest.push(arg);
        continue;
      }
      const slash = arg.indexOf("/");
      refs.push({ resource: normalizeResource(arg.slice(0, slash)), name: checkName(arg.slice(slash + 1)) });
    }
    return { refs, rest };
  }
  const types = first.split(",").map((t) => {
    if (t === "") fail(REASON.RESOURCE_REQUIRED, `"${first}" has an empty resource type`);
    return normalizeResource(t);
  });
  const names: string[] = [];
  const rest: string[] = [];
  for (const arg of others) {
    if ((verb === "annotate" || verb === "label") && isKeyValue(arg)) rest.push(arg);
    else names.push(checkName(arg));
  }
  if (names.length === 0) return { refs: types.map((resource) => ({ resource, name: null })), rest };
  return { refs: types.flatMap((resource) => names.map((name) => ({ resource, name }))), rest };
}

function readPositionals(spec: VerbSpec, verb: string, args: string[]): { refs: ResourceRef[]; rest: string[] } {
  switch (spec.positionals) {
    case "resources":
      return readResources(args, verb);
    case "nodes":
      return { refs: args.map((arg) => ({ resource: "nodes", name: checkName(arg.replace(/^(node|nodes|no)\//, "")) })), rest: [] };
    case "pod": {
      const [target, container, ...extra] = args;
      if (extra.length) fail(REASON.UNEXPECTED_ARGUMENT, `unexpected arguments: ${extra.join(" ")}`);
      if (target === undefined) return { refs: [], rest: [] };
      const refs = target.includes("/") ? readResources([target], verb).refs : [{ resource: "pods", name: checkName(target) }];
      return { refs, rest: container === undefined ? [] : [checkName(container)] };
    }
    case "names": {
      const resource = verb === "top pod" ? "pods" : verb === "top node" ? "nodes" : verb === "create job" ? "jobs" : null;
      if (resource === null) return { refs: [], rest: args };
      if (args.length === 0) return { refs: [{ resource, name: null }], rest: [] };
      return { refs: args.map((arg) => ({ resource, name: checkName(arg) })), rest: [] };
    }
    case "flux-kind": {
      const [kind, ...names] = args;
      if (kind === undefined) return fail(REASON.RESOURCE_REQUIRED, `"${verb}" needs a kind, e.g. kustomization`);
      const twoWord = kind === "source" ? `source ${names.shift() ?? ""}` : kind;
      const resource = FLUX_KINDS[twoWord] ?? twoWord;
      if (names.length === 0) return { refs: [{ resource, name: null }], rest: [] };
      return { refs: names.map((name) => ({ resource, name: checkName(name) })), rest: [] };
    }
    case "none":
      if (args.length) fail(REASON.UNEXPECTED_ARGUMENT, `"${verb}" takes no arguments, got: ${args.join(" ")}`);
      return { refs: [], rest: [] };
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

function parseTokens(tokens: readonly string[], binaries: readonly string[]): ParsedCommand {
  const [binary, ...rest] = tokens as [string, ...string[]];
  if (!binaries.includes(binary)) fail(REASON.BINARY_NOT_ALLOWED, `"${binary}" is not an allowed program (allowed: ${binaries.join(", ")})`);
  const { verb, consumed } = resolveVerb(binary, verbWords(rest));
  const spec = VERBS[verb] as VerbSpec;
  const state: FlagState = { flags: new Map(), namespaces: [] };
  const positionals: string[] = [];
  let skipVerbWords = consumed;
  let i = 0;
  const next = () => rest[++i];
  for (; i < rest.length; i++) {
    const token = rest[i] as string;
    if (token === "--") {
      positionals.push(...rest.slice(i + 1));
      break;
    }
    if (token.startsWith("--")) readLong(token, spec, verb, next, state);
    else if (token.startsWith("-") && token.length > 1) readShortGroup(token, spec, verb, next, state);
    else if (skipVerbWords > 0) skipVerbWords--;
    else positionals.push(token);
  }
  const { refs, rest: args } = readPositionals(spec, verb, positionals);
  const namespaces = [...new Set(state.namespaces)];
  if (namespaces.length > 1) fail(REASON.NAMESPACE_CONFLICT, `several namespaces given: ${namespaces.join(", ")}`);
  const namespace = namespaces[0] ?? null;
  if (namespace !== null && !isDns1123Label(namespace)) fail(REASON.INVALID_NAME, `"${namespace}" is not a valid namespace name`);
  const selector = state.flags.get("selector");
  if (typeof selector === "string" && !isLabelSelector(selector)) fail(REASON.INVALID_SELECTOR, `"${selector}" is not a valid label selector`);
  const value = (name: string) => {
    const v = state.flags.get(name);
    return typeof v === "string" ? v : null;
  };
  return {
    binary,
    verb,
    readOnly: spec.readOnly,
    resources: [...new Set(refs.map((r) => r.resource))],
    refs,
    names: refs.flatMap((r) => (r.name ? [r.name] : [])),
    namespace,
    allNamespaces: state.flags.get("all-namespaces") === true,
    selector: value("selector"),
    flags: state.flags,
    args,
    output: value("output"),
    dryRun: value("dry-run"),
    argv: tokens,
  };
}
