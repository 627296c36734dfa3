import { isDns1123Label, isDns1123Subdomain, isLabelSelector } from "../kube/index.js";
import type { ObjectRef } from "./types.js";

const MAX_QUOTE = 140;

/**
 * Text from the cluster is untrusted: control characters and line breaks go, whitespace collapses, long
 * messages are cut, and the result is quoted so a reader cannot take it for rag-k8s's own words.
 */
export function quote(value: unknown): string {
  const flat = String(value ?? "")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const short = flat.length > MAX_QUOTE ? `${flat.slice(0, MAX_QUOTE - 1)}…` : flat;
  return JSON.stringify(short);
}

/** A name as shown to people: as is when it is a valid name, else quoted (and so shortened and flattened). */
export function shown(name: string): string {
  return isDns1123Subdomain(name) ? name : quote(name);
}

/** An object reference safe to print: kinds and names that are not valid are quoted. */
export function safeRef(ref: ObjectRef): ObjectRef {
  return {
    kind: /^[A-Z][A-Za-z0-9]{0,62}$/.test(ref.kind) ? ref.kind : quote(ref.kind),
    ...(ref.namespace !== undefined ? { namespace: isDns1123Label(ref.namespace) ? ref.namespace : quote(ref.namespace) } : {}),
    name: shown(ref.name),
  };
}

export const validName = (value: unknown): value is string => typeof value === "string" && isDns1123Subdomain(value);
export const validLabel = (value: unknown): value is string => typeof value === "string" && isDns1123Label(value);

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** `k=v,k2=v2` from a matchLabels map, or undefined when any key or value is not a valid label. */
export function selectorOf(matchLabels: unknown): string | undefined {
  if (!matchLabels || typeof matchLabels !== "object") return undefined;
  const pairs = Object.entries(matchLabels as Record<string, unknown>);
  if (pairs.length === 0 || pairs.length > 10) return undefined;
  if (!pairs.every(([k, v]) => LABEL_KEY.test(k) && k.length <= 317 && typeof v === "string" && LABEL_VALUE.test(v))) return undefined;
  const selector = pairs.map(([k, v]) => `${k}=${String(v)}`).join(",");
  return isLabelSelector(selector) ? selector : undefined;
}
