import { isDns1123Subdomain, normalizeResource } from "../kube/index.js";
import { QUANTIFIERS } from "./kinds.js";
import { fail } from "./parsed.js";
import type { ResourceRef } from "./parsed.js";
import { REASON } from "./reasons.js";
import { FLUX_KINDS, FLUX_KIND_PREFIXES } from "./spec.js";
import type { Positionals } from "./spec.js";

export interface Targets {
  readonly refs: ResourceRef[];
  /** Positionals that are not resources or names (annotation key=value, a logs container, can-i words). */
  readonly args: string[];
}

function checkName(name: string): string {
  if (!isDns1123Subdomain(name)) fail(REASON.INVALID_NAME, `"${name}" is not a valid Kubernetes object name`);
  if (QUANTIFIERS.has(name)) fail(REASON.INVALID_NAME, `"${name}" is a quantifier, not an object name; name the objects, or select them with -l`);
  return name;
}

function typeAndName(arg: string): ResourceRef {
  const slash = arg.indexOf("/");
  const type = arg.slice(0, slash);
  if (type === "" || type.includes(",")) fail(REASON.UNEXPECTED_ARGUMENT, `"${arg}" is not a TYPE/NAME reference`);
  return { resource: normalizeResource(type), name: checkName(arg.slice(slash + 1)) };
}

/** `annotate`/`label` take `key=value` and `key-` after the objects; object names can never contain "=" or end in "-". */
const isKeyValue = (arg: string) => arg.includes("=") || arg.endsWith("-");

function readResources(args: readonly string[], takesKeyValues: boolean): Targets {
  const objects = takesKeyValues ? args.filter((a) => !isKeyValue(a)) : [...args];
  const rest = takesKeyValues ? args.filter(isKeyValue) : [];
  const [first, ...others] = objects;
  if (first === undefined) return fail(REASON.RESOURCE_REQUIRED, "name a resource type, e.g. `pods` or `deployment/web`");
  if (objects.some((a) => a.includes("/"))) {
    // kubectl refuses to mix `TYPE/NAME` with bare words; refusing here keeps both readings equal.
    const bare = objects.find((a) => !a.includes("/"));
    if (bare !== undefined) fail(REASON.UNEXPECTED_ARGUMENT, `"${bare}" cannot follow or precede TYPE/NAME arguments`);
    return { refs: objects.map(typeAndName), args: rest };
  }
  const types = first.split(",").map((t) => {
    if (t === "") fail(REASON.RESOURCE_REQUIRED, `"${first}" has an empty resource type`);
    return normalizeResource(t);
  });
  const names = others.map(checkName);
  if (names.length === 0) return { refs: types.map((resource) => ({ resource, name: null })), args: rest };
  return { refs: types.flatMap((resource) => names.map((name) => ({ resource, name }))), args: rest };
}

function readNodes(args: readonly string[]): Targets {
  if (args.length === 0) fail(REASON.NAME_REQUIRED, "name the node(s)");
  return {
    refs: args.map((arg) => {
      const slash = arg.indexOf("/");
      if (slash === -1) return { resource: "nodes", name: checkName(arg) };
      const ref = typeAndName(arg);
      if (ref.resource !== "nodes") fail(REASON.UNEXPECTED_ARGUMENT, `"${arg}" is not a node`);
      return ref;
    }),
    args: [],
  };
}

function readPod(args: readonly string[], hasSelector: boolean): Targets {
  const [target, container, ...extra] = args;
  if (extra.length) fail(REASON.UNEXPECTED_ARGUMENT, `unexpected arguments: ${extra.join(" ")}`);
  if (target === undefined) {
    if (!hasSelector) fail(REASON.RESOURCE_REQUIRED, "name a pod (or TYPE/NAME) or give a selector with -l");
    return { refs: [{ resource: "pods", name: null }], args: [] };
  }
  if (hasSelector) fail(REASON.UNEXPECTED_ARGUMENT, "give either a pod or a selector, not both");
  const ref = target.includes("/") ? typeAndName(target) : { resource: "pods", name: checkName(target) };
  return { refs: [ref], args: container === undefined ? [] : [checkName(container)] };
}

const NAMED_RESOURCE: Readonly<Record<string, string>> = { "top pod": "pods", "top node": "nodes", "create job": "jobs" };

/** `explain pods.spec.containers`: a resource type and a field path, nothing else. */
const EXPLAIN_TARGET = /^[A-Za-z][A-Za-z0-9-]*(\.[A-Za-z0-9][A-Za-z0-9-]*)*$/;

function readNames(verb: string, args: readonly string[]): Targets {
  const resource = NAMED_RESOURCE[verb];
  if (verb === "explain") {
    if (args.length !== 1 || !EXPLAIN_TARGET.test(args[0] as string)) fail(REASON.UNEXPECTED_ARGUMENT, "`explain` takes one TYPE or TYPE.field.path");
    return { refs: [], args: [...args] };
  }
  if (resource === undefined) return { refs: [], args: [...args] };
  if (verb === "create job" && args.length !== 1) fail(REASON.NAME_REQUIRED, "`create job` takes exactly one job name");
  if (args.length === 0) return { refs: [{ resource, name: null }], args: [] };
  return { refs: args.map((arg) => ({ resource, name: checkName(arg) })), args: [] };
}

function readFluxKind(verb: string, args: readonly string[]): Targets {
  const [kind, ...rest] = args;
  if (kind === undefined) return fail(REASON.RESOURCE_REQUIRED, `"${verb}" needs a kind, e.g. kustomization`);
  let key = kind;
  let names = rest;
  if (FLUX_KIND_PREFIXES.has(kind)) {
    const [sub, ...more] = rest;
    if (sub === undefined) fail(REASON.RESOURCE_REQUIRED, `"${verb} ${kind}" needs a source kind, e.g. git`);
    key = `source ${sub}`;
    names = more;
  }
  const resource = FLUX_KINDS.get(key);
  if (resource === undefined) return fail(REASON.RESOURCE_NOT_ALLOWED, `flux kind "${key}" is not one rag-k8s knows`);
  if (names.length === 0) return { refs: [{ resource, name: null }], args: [] };
  return { refs: names.map((name) => ({ resource, name: checkName(name) })), args: [] };
}

/** Reads the positionals after the verb according to the verb's grammar. */
export function readPositionals(kind: Positionals, verb: string, args: readonly string[], hasSelector: boolean): Targets {
  switch (kind) {
    case "resources":
      return readResources(args, verb === "annotate" || verb === "label");
    case "nodes":
      return readNodes(args);
    case "pod":
      return readPod(args, hasSelector);
    case "names":
      return readNames(verb, args);
    case "flux-kind":
      return readFluxKind(verb, args);
    case "none":
      if (args.length) fail(REASON.UNEXPECTED_ARGUMENT, `"${verb}" takes no arguments, got: ${args.join(" ")}`);
      // `kubectl events` lists Event objects of one namespace: scope it like `get events`.
      return { refs: verb === "events" ? [{ resource: "events", name: null }] : [], args: [] };
  }
}
