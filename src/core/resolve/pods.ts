import { isDns1123Subdomain, isRfc3339Utc } from "../../kube/index.js";
import { ResolveError } from "./errors.js";

/**
 * The columns the pod lookup asks kubectl for. Arrays print comma-joined and missing values as <none>,
 * so every well-formed row has exactly these fields separated by blanks.
 */
export const POD_COLUMNS = [
  "NAME:.metadata.name",
  "CREATED:.metadata.creationTimestamp",
  "DELETING:.metadata.deletionTimestamp",
  "PHASE:.status.phase",
  "CONDITIONS:.status.conditions[*].type",
  "STATUSES:.status.conditions[*].status",
  "WAITING:.status.containerStatuses[*].state.waiting.reason",
].join(",");

export interface PodRow {
  readonly name: string;
  readonly created: string;
  readonly terminating: boolean;
  readonly phase: string | null;
  readonly ready: boolean;
  /** Why containers wait (CrashLoopBackOff, ImagePullBackOff …), when any does. */
  readonly waiting: readonly string[];
}

const NONE = "<none>";
const WORD = /^[A-Za-z][A-Za-z0-9]*$/;
// Condition types may be readiness gates such as "example.com/feature-ready".
const CONDITION_TYPE = /^[A-Za-z0-9][A-Za-z0-9./-]*$/;

function list(field: string, item: RegExp, what: string, line: number): string[] {
  if (field === NONE) return [];
  const values = field.split(",");
  if (!values.every((v) => item.test(v))) throw malformed(line, `${what} "${field.slice(0, 80)}"`);
  return values;
}

function malformed(line: number, what: string): ResolveError {
  return new ResolveError("failed", `refused the pod list the API returned: line ${line} has an invalid ${what}; nothing was planned from it`);
}

/**
 * Parses `kubectl get pods --no-headers -o custom-columns=POD_COLUMNS`. Cluster data is untrusted: a row
 * whose name is not a DNS-1123 name, or that does not have exactly the expected fields, refuses the
 * whole list rather than being skipped, so a hostile or broken API can never steer the choice.
 */
export function parsePodRows(stdout: string): PodRow[] {
  const rows: PodRow[] = [];
  for (const [index, text] of stdout.split("\n").entries()) {
    if (text.trim() === "") continue;
    const line = index + 1;
    const fields = text.trim().split(/\s+/);
    if (fields.length !== 7) throw malformed(line, `row (${fields.length} fields instead of 7)`);
    const [name = "", created = "", deleting = "", phase = "", types = "", statuses = "", waiting = ""] = fields;
    if (!isDns1123Subdomain(name)) throw malformed(line, `pod name "${name.slice(0, 80)}" (not a DNS-1123 name)`);
    if (!isRfc3339Utc(created)) throw malformed(line, `creation time "${created.slice(0, 40)}"`);
    if (deleting !== NONE && !isRfc3339Utc(deleting)) throw malformed(line, `deletion time "${deleting.slice(0, 40)}"`);
    if (phase !== NONE && !WORD.test(phase)) throw malformed(line, `phase "${phase.slice(0, 40)}"`);
    const conditionTypes = list(types, CONDITION_TYPE, "condition list", line);
    const conditionStatuses = list(statuses, /^(True|False|Unknown)$/, "condition status list", line);
    if (conditionTypes.length !== conditionStatuses.length) throw malformed(line, "condition list (types and statuses differ in number)");
    const readyAt = conditionTypes.indexOf("Ready");
    rows.push({
      name,
      created,
      terminating: deleting !== NONE,
      phase: phase === NONE ? null : phase,
      ready: readyAt !== -1 && conditionStatuses[readyAt] === "True",
      waiting: list(waiting, WORD, "waiting reason", line),
    });
  }
  return rows;
}

/**
 * The pod from the latest rollout: Ready, not being deleted, newest creationTimestamp; equal times go to
 * the name that sorts first. (kubectl's own pick for `logs deployment/NAME`, podutils.ByLogging, prefers
 * the pod that has been ready the longest, i.e. usually an old one.)
 */
export function newestReadyPod(rows: readonly PodRow[]): PodRow | undefined {
  return rows
    .filter((p) => p.ready && !p.terminating)
    .sort((a, b) => Date.parse(b.created) - Date.parse(a.created) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))[0];
}

const SHOWN = 10;

/** "web-1 (Running, not ready: CrashLoopBackOff), web-2 (terminating)" for a message. */
export function describePods(rows: readonly PodRow[]): string {
  const shown = rows.slice(0, SHOWN).map((p) => {
    if (p.terminating) return `${p.name} (terminating)`;
    const state = [p.phase ?? "no phase", p.ready ? "ready" : `not ready${p.waiting.length ? `: ${[...new Set(p.waiting)].join(", ")}` : ""}`];
    return `${p.name} (${state.join(", ")})`;
  });
  return `${shown.join(", ")}${rows.length > SHOWN ? ` and ${rows.length - SHOWN} more` : ""}`;
}
