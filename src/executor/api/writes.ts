import { call, DECLINE, json, ok, query, resolveType, type CommandContext, type Planned } from "./command.js";
import { kindPrefix, objectPath, type ResourceInfo } from "./discovery.js";
import { serverError } from "./errors.js";
import { flagSet, isPathSafeName, oneObject, parseFlags, type ParsedFlags } from "./flags.js";
import type { ApiResponse } from "./target.js";

type KubeObject = { metadata?: { annotations?: Record<string, string> }; spec?: Record<string, unknown> };

const MERGE = "application/merge-patch+json";
const STRATEGIC = "application/strategic-merge-patch+json";

/** `--dry-run=server` → true; absent or `none` → false; `client` or the bare flag → undefined (kubectl's). */
function dryRun(p: ParsedFlags): boolean | undefined {
  const v = p.flags.get("dry-run");
  if (v === undefined || v === "none") return false;
  return v === "server" ? true : undefined;
}

const suffix = (dry: boolean): string => (dry ? " (server dry run)" : "");

interface Located {
  info: ResourceInfo;
  path: string;
  namespace: string | undefined;
  current: unknown;
}

/**
 * Resolves and reads the object a write names, as kubectl does before writing. Anything but a 200 (no such
 * kind, no such object) declines: nothing has been written, and kubectl's own message for it is the answer.
 */
async function locate(ctx: CommandContext, type: string, name: string, namespace: string | undefined): Promise<Located | undefined> {
  const info = await resolveType(ctx, type);
  if (!info) return undefined;
  const ns = info.namespaced ? (namespace ?? ctx.defaultNamespace) : undefined;
  const path = objectPath(info, ns, name);
  const res = await call(ctx, { method: "GET", path });
  if (res.status !== 200) return undefined;
  return { info, path, namespace: ns, current: json(res.body) };
}

function patch(ctx: CommandContext, path: string, contentType: string, body: unknown, params: Record<string, string | undefined>): Promise<ApiResponse> {
  return call(ctx, { method: "PATCH", path: path + query(params), contentType, body: JSON.stringify(body) });
}

const ok2xx = (res: ApiResponse): boolean => res.status >= 200 && res.status < 300;

// ---- scale ----------------------------------------------------------------------------------------------

/** `kubectl scale TYPE/NAME --replicas=N [--dry-run=server]`. */
export function planScale(args: readonly string[]): Planned | undefined {
  const p = parseFlags(args, { long: { replicas: "value", "dry-run": "value" } });
  const ref = p && oneObject(p.positionals);
  const replicas = p?.flags.get("replicas");
  const dry = p && dryRun(p);
  if (!p || !ref || replicas === undefined || !/^\d{1,9}$/.test(replicas) || dry === undefined) return undefined;
  return async (ctx) => {
    const found = await locate(ctx, ref.type, ref.name, p.flags.get("namespace"));
    if (!found || !found.info.subresources.includes("scale")) return DECLINE;
    const res = await patch(ctx, `${found.path}/scale`, MERGE, { spec: { replicas: Number(replicas) } }, { dryRun: dry ? "All" : undefined });
    if (!ok2xx(res)) return serverError(res);
    return ok(`${kindPrefix(found.info)}/${ref.name} scaled${suffix(dry)}\n`);
  };
}

// ---- rollout restart ------------------------------------------------------------------------------------

const RESTARTABLE = new Set(["Deployment", "DaemonSet", "StatefulSet"]);
const RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

/** `kubectl rollout restart TYPE/NAME`: the strategic-merge patch of the pod template's restartedAt annotation. */
export function planRestart(args: readonly string[]): Planned | undefined {
  const p = parseFlags(args, { long: {} });
  const ref = p && oneObject(p.positionals);
  if (!p || !ref) return undefined;
  return async (ctx) => {
    const found = await locate(ctx, ref.type, ref.name, p.flags.get("namespace"));
    if (!found || !RESTARTABLE.has(found.info.kind) || found.info.group !== "apps") return DECLINE;
    const current = found.current as KubeObject & { spec?: { paused?: boolean; template?: KubeObject } };
    const stamp = rfc3339Local(ctx.now());
    // A paused deployment and a second restart within the same second are refused by kubectl with its own text.
    if (current.spec?.paused === true || current.spec?.template?.metadata?.annotations?.[RESTARTED_AT] === stamp) return DECLINE;
    const body = { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: stamp } } } } };
    const res = await patch(ctx, found.path, STRATEGIC, body, { fieldManager: "kubectl-rollout" });
    if (!ok2xx(res)) return serverError(res);
    return ok(`${kindPrefix(found.info)}/${ref.name} restarted\n`);
  };
}

/** Go's `time.Now().Format(time.RFC3339)`: local time, seconds, `Z` or a ±hh:mm offset. */
export function rfc3339Local(d: Date): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  const offset = -d.getTimezoneOffset();
  const zone = offset === 0 ? "Z" : `${offset > 0 ? "+" : "-"}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${zone}`;
}

// ---- cordon / uncordon ----------------------------------------------------------------------------------

/** `kubectl cordon|uncordon NODE [--dry-run=server]`. */
export function planCordon(args: readonly string[], cordon: boolean): Planned | undefined {
  const p = parseFlags(args, { long: { "dry-run": "value" } });
  const dry = p && dryRun(p);
  if (!p || p.positionals.length !== 1 || dry === undefined || p.flags.has("namespace")) return undefined;
  const [node = ""] = p.positionals;
  if (!isPathSafeName(node)) return undefined;
  return async (ctx) => {
    const found = await locate(ctx, "nodes", node, undefined);
    if (!found) return DECLINE;
    const word = cordon ? "cordoned" : "uncordoned";
    const unschedulable = (found.current as KubeObject).spec?.["unschedulable"] === true;
    if (unschedulable === cordon) return ok(`node/${node} already ${word}${suffix(dry)}\n`);
    // kubectl sends the two-way merge patch of the node before and after: false is omitted, so it is a null.
    const res = await patch(ctx, found.path, STRATEGIC, { spec: { unschedulable: cordon ? true : null } }, { dryRun: dry ? "All" : undefined });
    if (!ok2xx(res)) return serverError(res);
    return ok(`node/${node} ${word}${suffix(dry)}\n`);
  };
}

// ---- annotate --overwrite -------------------------------------------------------------------------------

/** A qualified annotation key: optional DNS-subdomain prefix, then a name of up to 63 characters. */
const ANNOTATION_KEY = /^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** `kubectl annotate --overwrite TYPE/NAME KEY=VALUE…` (setting only; removals and checks without --overwrite are kubectl's). */
export function planAnnotate(args: readonly string[]): Planned | undefined {
  const p = parseFlags(args, { long: { overwrite: "bool", "dry-run": "value" } });
  const dry = p && dryRun(p);
  if (!p || !flagSet(p, "overwrite") || dry === undefined) return undefined;
  const pairs = p.positionals.filter((a) => a.includes("="));
  const ref = oneObject(p.positionals.filter((a) => !a.includes("=")));
  if (!ref || pairs.length === 0 || p.positionals.findIndex((a) => a.includes("=")) !== p.positionals.length - pairs.length) return undefined;
  const annotations: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    const key = pair.slice(0, eq);
    if (key.length > 253 || !ANNOTATION_KEY.test(key) || Object.hasOwn(annotations, key)) return undefined;
    annotations[key] = pair.slice(eq + 1);
  }
  return async (ctx) => {
    const found = await locate(ctx, ref.type, ref.name, p.flags.get("namespace"));
    if (!found) return DECLINE;
    const res = await patch(ctx, found.path, MERGE, { metadata: { annotations } }, { dryRun: dry ? "All" : undefined, fieldManager: "kubectl-annotate" });
    if (!ok2xx(res)) return serverError(res);
    return ok(`${kindPrefix(found.info)}/${ref.name} annotated${suffix(dry)}\n`);
  };
}

// ---- patch --type=merge ---------------------------------------------------------------------------------

/** `kubectl patch TYPE/NAME --type=merge -p JSON`: Flux suspend/resume and the like. */
export function planPatch(args: readonly string[]): Planned | undefined {
  const p = parseFlags(args, { long: { type: "value", patch: "value", "dry-run": "value" }, short: { p: "patch" } });
  const dry = p && dryRun(p);
  const ref = p && oneObject(p.positionals);
  const body = p && json(p.flags.get("patch") ?? "");
  if (!p || !ref || dry === undefined || p.flags.get("type") !== "merge" || typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  return async (ctx) => {
    const found = await locate(ctx, ref.type, ref.name, p.flags.get("namespace"));
    if (!found) return DECLINE;
    const res = await patch(ctx, found.path, MERGE, body, { dryRun: dry ? "All" : undefined, fieldManager: "kubectl-patch" });
    if (!ok2xx(res)) return serverError(res);
    const changed = !deepEqual(found.current, json(res.body));
    return ok(`${kindPrefix(found.info)}/${ref.name} patched${changed ? "" : " (no change)"}${suffix(dry)}\n`);
  };
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

