import { isDns1123Subdomain, isDuration, isLabelSelector } from "../kube/index.js";
import { REASON } from "./reasons.js";
import type { ReasonCode } from "./reasons.js";

/**
 * Grammar checks for flag values, so an allowed argv carries only values kubectl itself would accept and a
 * verdict is never given for a command kubectl would then reject or read differently. None of these is a
 * shell-safety check: nothing runs through a shell, and each value is one argv element.
 */
interface ValueCheck {
  readonly ok: (value: string) => boolean;
  /** What a valid value looks like, for the reason message. */
  readonly expected: string;
  readonly code: ReasonCode;
}

/** One field-selector requirement: `metadata.name=web`, `status.phase!=Running`, `spec.nodeName==node-1`. */
const FIELD_REQUIREMENT = /^[A-Za-z][A-Za-z0-9.]*(==|!=|=)[A-Za-z0-9._:/-]*$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const RESOURCE_TYPE = /^[A-Za-z][A-Za-z0-9.-]*$/;
/** `.status.startTime`, `{.metadata.name}`, `.spec.containers[0].name`; `top` sorts by cpu or memory. */
const SORT_KEY = /^(cpu|memory|\{?\.[A-Za-z0-9_.[\]*-]*\}?)$/;
/** Flux `--status-selector`: one condition, e.g. ready=false. */
const STATUS_SELECTOR = /^[A-Za-z]+=[A-Za-z]+$/;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9./_-]*$/;
const EVENT_TYPES: ReadonlySet<string> = new Set(["Normal", "Warning"]);

export function isFieldSelector(value: string): boolean {
  return value.length > 0 && value.length <= 1024 && value.split(",").every((req) => FIELD_REQUIREMENT.test(req));
}

/** `TYPE/NAME`, as `kubectl events --for` takes it. */
function isTypeSlashName(value: string): boolean {
  const slash = value.indexOf("/");
  return slash > 0 && RESOURCE_TYPE.test(value.slice(0, slash)) && isDns1123Subdomain(value.slice(slash + 1));
}

// Go reads a bare "0" as a zero duration.
const duration: ValueCheck = { ok: (v) => v === "0" || isDuration(v), expected: "a Go duration such as 30s, 5m or 1h30m", code: REASON.INVALID_FLAG_VALUE };

export const VALUE_CHECKS: ReadonlyMap<string, ValueCheck> = new Map<string, ValueCheck>([
  ["field-selector", { ok: isFieldSelector, expected: "a field selector such as status.phase=Running", code: REASON.INVALID_SELECTOR }],
  ["pod-selector", { ok: isLabelSelector, expected: "a label selector such as app=web", code: REASON.INVALID_SELECTOR }],
  ["since", duration],
  ["timeout", duration],
  ["pod-running-timeout", duration],
  // kubectl reads a bare integer here as seconds.
  ["request-timeout", { ok: (v) => /^[0-9]{1,6}$/.test(v) || isDuration(v), expected: "seconds or a Go duration such as 30s", code: REASON.INVALID_FLAG_VALUE }],
  ["since-time", { ok: (v) => RFC3339.test(v), expected: "an RFC 3339 timestamp such as 2024-05-01T12:00:00Z", code: REASON.INVALID_FLAG_VALUE }],
  ["for", { ok: isTypeSlashName, expected: "TYPE/NAME such as pod/web-0", code: REASON.INVALID_FLAG_VALUE }],
  ["sort-by", { ok: (v) => SORT_KEY.test(v), expected: "a JSONPath field such as .metadata.name (cpu or memory for top)", code: REASON.INVALID_FLAG_VALUE }],
  ["status-selector", { ok: (v) => STATUS_SELECTOR.test(v), expected: "one condition such as ready=false", code: REASON.INVALID_SELECTOR }],
  ["label-columns", { ok: (v) => v.split(",").every((k) => k.length <= 317 && LABEL_KEY.test(k)), expected: "label keys separated by commas", code: REASON.INVALID_FLAG_VALUE }],
  ["types", { ok: (v) => v.split(",").every((t) => EVENT_TYPES.has(t)), expected: "Normal, Warning or Normal,Warning", code: REASON.INVALID_FLAG_VALUE }],
]);
