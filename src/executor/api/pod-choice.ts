import { goSort } from "./gosort.js";

export interface PodForLogs {
  metadata?: { name?: string; creationTimestamp?: string; annotations?: Record<string, string> };
  spec?: {
    nodeName?: string;
    containers?: { name: string }[];
    initContainers?: { name: string; restartPolicy?: string }[];
    ephemeralContainers?: { name: string }[];
  };
  status?: {
    phase?: string;
    conditions?: { type?: string; status?: string; lastTransitionTime?: string }[];
    containerStatuses?: { restartCount?: number }[];
    initContainerStatuses?: { name?: string; restartCount?: number }[];
  };
}

const PHASE_RANK: Readonly<Record<string, number>> = { Running: 0, Unknown: 1, Pending: 2 };

function readyCondition(p: PodForLogs): { status?: string; lastTransitionTime?: string } | undefined {
  return p.status?.conditions?.find((c) => c.type === "Ready");
}

const isReady = (p: PodForLogs): boolean => readyCondition(p)?.status === "True";

/** Seconds since the epoch, or undefined for a missing time (Go's zero time). */
function time(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

/** Go's afterOrZero(t1, t2): a zero time counts as after everything. */
function afterOrZero(t1: number | undefined, t2: number | undefined): boolean {
  if (t1 === undefined || t2 === undefined) return t1 === undefined;
  return t1 > t2;
}

function maxRestarts(p: PodForLogs): [number, number] {
  const regular = Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
  const sidecars = new Set((p.spec?.initContainers ?? []).filter((c) => c.restartPolicy === "Always").map((c) => c.name));
  const sidecar = Math.max(0, ...(p.status?.initContainerStatuses ?? []).filter((c) => sidecars.has(c.name ?? "")).map((c) => c.restartCount ?? 0));
  return [regular, sidecar];
}

/**
 * kubectl's ByLogging order (k8s.io/kubectl/pkg/util/podutils): scheduled before unscheduled, Running before
 * Unknown before Pending, ready before not ready, longer ready first, more restarts first, older first.
 */
export function loggingLess(a: PodForLogs, b: PodForLogs): boolean {
  const na = a.spec?.nodeName ?? "";
  const nb = b.spec?.nodeName ?? "";
  if (na !== nb && (na === "" || nb === "")) return na !== "";
  const ra = PHASE_RANK[a.status?.phase ?? ""] ?? 3;
  const rb = PHASE_RANK[b.status?.phase ?? ""] ?? 3;
  // Go's map lookup of another phase yields 0, the same rank as Running.
  const pa = ra === 3 ? 0 : ra;
  const pb = rb === 3 ? 0 : rb;
  if (pa !== pb) return pa < pb;
  if (isReady(a) !== isReady(b)) return isReady(a);
  if (isReady(a) && isReady(b)) {
    const ta = time(readyCondition(a)?.lastTransitionTime);
    const tb = time(readyCondition(b)?.lastTransitionTime);
    if (ta !== tb) return afterOrZero(tb, ta);
  }
  const [regA, sideA] = maxRestarts(a);
  const [regB, sideB] = maxRestarts(b);
  if (regA !== regB) return regA > regB;
  if (sideA !== sideB) return sideA > sideB;
  const ca = time(a.metadata?.creationTimestamp);
  const cb = time(b.metadata?.creationTimestamp);
  if (ca !== cb) return afterOrZero(cb, ca);
  return false;
}

/** The pod `kubectl logs TYPE/NAME` reads: the first after sorting the listed pods with Go's sort. */
export function podForLogs(pods: PodForLogs[]): PodForLogs | undefined {
  const sorted = [...pods];
  goSort(sorted, loggingLess);
  return sorted[0];
}
