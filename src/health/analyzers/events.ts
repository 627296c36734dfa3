import { nextFor } from "../next.js";
import type { Event } from "../objects.js";
import { quote } from "../text.js";
import type { Finding } from "../types.js";

const eventTime = (e: Event): string => e.lastTimestamp ?? e.eventTime ?? "";

/**
 * Warning events grouped by the object they are about. Objects another analyzer already reported are
 * skipped (their events are one `next` away); the rest become one finding each, newest reason first.
 */
export function analyzeWarningEvents(events: readonly Event[], reported: ReadonlySet<string>): Finding[] {
  const byObject = new Map<string, Event[]>();
  for (const e of events) {
    if (e.type !== "Warning") continue;
    const { kind = "", name = "" } = e.involvedObject;
    const namespace = e.involvedObject.namespace || e.metadata?.namespace || "";
    const key = `${kind}/${e.involvedObject.namespace ?? ""}/${name}`;
    if (reported.has(key) || reported.has(`${kind}/${namespace}/${name}`)) continue;
    byObject.set(key, [...(byObject.get(key) ?? []), e]);
  }
  const findings: Finding[] = [];
  for (const group of byObject.values()) {
    const latest = [...group].sort((a, b) => eventTime(b).localeCompare(eventTime(a)))[0];
    if (!latest) continue;
    const { kind = "", name = "" } = latest.involvedObject;
    const namespace = latest.involvedObject.namespace || latest.metadata?.namespace || undefined;
    const total = group.reduce((n, e) => n + (e.count ?? 1), 0);
    const reasons = [...new Set(group.map((e) => e.reason ?? "?"))];
    const next = nextFor.objectEvents(namespace ?? (kind === "Node" ? "default" : undefined), name, kind);
    findings.push({
      severity: "info",
      object: { kind, ...(namespace ? { namespace } : {}), name },
      problem: latest.reason ?? "Warning",
      evidence: [`${total} warning event${total === 1 ? "" : "s"} (${reasons.slice(0, 4).join(", ")}); latest: ${quote(latest.message)}`],
      ...(next ? { next } : {}),
    });
  }
  return findings;
}
