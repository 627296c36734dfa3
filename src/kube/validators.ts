/**
 * Grammar checks for Kubernetes names and the values that end up inside kubectl argv elements. They are
 * deliberately ASCII-only and anchored: a value that passes can never carry whitespace, control characters,
 * unicode look-alikes or a leading "-" that kubectl would read as a flag.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// Label names and values (the part after an optional "prefix/").
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/;
const MAX_SELECTOR_LENGTH = 1024;
const MAX_DURATION_LENGTH = 32;

/** RFC 1123 label, as Kubernetes requires for namespace names: at most 63 characters. */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** RFC 1123 subdomain, as Kubernetes requires for most object names: at most 253 characters. */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

function isLabelKey(key: string): boolean {
  const slash = key.indexOf("/");
  if (slash === -1) return key.length <= 63 && QUALIFIED_NAME.test(key);
  const prefix = key.slice(0, slash);
  const name = key.slice(slash + 1);
  return isDns1123Subdomain(prefix) && name.length <= 63 && QUALIFIED_NAME.test(name);
}

function isLabelValue(value: string): boolean {
  return value === "" || (value.length <= 63 && QUALIFIED_NAME.test(value));
}

/** Splits on commas that are not inside a `( … )` value set. Returns null when parentheses do not balance. */
function splitRequirements(selector: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i];
    if (ch === "(") depth++;
    else if (ch === ")") depth--;
    if (depth < 0 || depth > 1) return null;
    if (ch === "," && depth === 0) {
      parts.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) return null;
  parts.push(selector.slice(start));
  return parts;
}

const SET_REQUIREMENT = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/;
const EQUALITY_REQUIREMENT = /^([^=!\s]+)\s*(==|!=|=)\s*(\S*)$/;

function isRequirement(raw: string): boolean {
  const req = raw.trim();
  if (req === "") return false;
  const set = SET_REQUIREMENT.exec(req);
  if (set) {
    const values = (set[3] ?? "").split(",").map((v) => v.trim());
    return isLabelKey(set[1] ?? "") && values.length > 0 && values.every((v) => v !== "" && isLabelValue(v));
  }
  const eq = EQUALITY_REQUIREMENT.exec(req);
  if (eq) return isLabelKey(eq[1] ?? "") && isLabelValue(eq[3] ?? "");
  if (req.startsWith("!")) return isLabelKey(req.slice(1).trim());
  return isLabelKey(req);
}

/**
 * Kubernetes label-selector grammar (`labels.Parse`): comma-separated requirements of the forms
 * `key`, `!key`, `key=value`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`.
 * Only ASCII printable characters and plain spaces are accepted.
 */
export function isLabelSelector(value: string): boolean {
  if (value.length === 0 || value.length > MAX_SELECTOR_LENGTH) return false;
  if (!/^[\x20-\x7e]+$/.test(value)) return false;
  const requirements = splitRequirements(value);
  return requirements !== null && requirements.every(isRequirement);
}

/** Go `time.ParseDuration` units as kubectl's `--timeout`/`--since` accept them, e.g. `30s`, `5m`, `1h30m`. */
export function isDuration(value: string): boolean {
  return value.length <= MAX_DURATION_LENGTH && GO_DURATION.test(value);
}

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** A second-precision RFC 3339 UTC timestamp such as `2024-05-01T12:00:00Z`, the form `{{now}}` renders. */
export function isRfc3339Utc(value: string): boolean {
  return RFC3339_UTC.test(value) && !Number.isNaN(Date.parse(value));
}
