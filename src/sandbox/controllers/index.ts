import type { Cluster } from "../cluster.js";
import { reconcileDaemonSets } from "./daemonset.js";
import { reconcileDeployments } from "./deployment.js";
import { reconcileDisruptionBudgets } from "./disruption.js";
import { reconcileEndpoints } from "./endpoints.js";
import { reconcileFlux } from "./flux.js";
import { GarbageCollector } from "./gc.js";
import { reconcileJobs } from "./job.js";
import { Kubelet } from "./kubelet.js";
import { reconcileNamespaces } from "./namespaces.js";
import { reconcileQuotas } from "./quota.js";
import { NodeAgent } from "./nodes.js";
import { reconcileReplicaSets } from "./replicaset.js";
import { schedulePods } from "./scheduler.js";
import { reconcileStatefulSets } from "./statefulset.js";

export { budgetFor } from "./disruption.js";
export { revisionOf, REVISION } from "./deployment.js";

/** A runaway loop (two controllers fighting) stops here instead of hanging the server. */
const MAX_PASSES = 200;
/** How often time-driven conditions (progress deadlines) are re-evaluated. */
const RESYNC_MS = 1000;

/**
 * Runs the controllers after every write, as a real cluster's controller manager does: after the write is
 * answered, not before. With tickMs 0 they run one pass per turn of the event loop (so the write's response
 * is on its way first, and other requests interleave) until a pass changes nothing; every request the
 * sandbox serves first calls settlePending(), which runs whatever they still owe at once, so a client always
 * sees the settled cluster on its next request, as it did when the controllers ran before the response.
 * With tickMs > 0 one pass runs per tick, so watches see rollouts progress step by step.
 */
export class ControllerManager {
  private readonly kubelet: Kubelet;
  private readonly nodes: NodeAgent;
  private readonly gc: GarbageCollector;
  private timer: NodeJS.Timeout | undefined;
  private readonly resync: NodeJS.Timeout;
  /** A write happened since the controllers last reached a fixed point (tickMs 0). */
  private pending = false;
  private background: NodeJS.Immediate | undefined;
  /** Passes run in the background since the last fixed point (the runaway-loop guard counts them too). */
  private backgroundPasses = 0;
  /** Why background passes stopped (two controllers fighting); reported by the next settlePending(). */
  private failure: Error | undefined;

  constructor(
    private readonly cluster: Cluster,
    private readonly tickMs: number,
  ) {
    this.kubelet = new Kubelet(cluster);
    this.nodes = new NodeAgent(cluster);
    this.gc = new GarbageCollector(cluster);
    this.resync = setInterval(() => this.onWrite(), RESYNC_MS);
    this.resync.unref();
  }

  /** One pass of every controller; true when it changed anything. */
  pass(): boolean {
    const before = this.cluster.store.resourceVersion;
    reconcileNamespaces(this.cluster);
    this.nodes.reconcile();
    reconcileDeployments(this.cluster);
    reconcileReplicaSets(this.cluster);
    reconcileStatefulSets(this.cluster);
    reconcileDaemonSets(this.cluster);
    reconcileJobs(this.cluster);
    this.gc.collect();
    schedulePods(this.cluster);
    this.kubelet.reconcile();
    reconcileEndpoints(this.cluster);
    reconcileDisruptionBudgets(this.cluster);
    reconcileFlux(this.cluster);
    reconcileQuotas(this.cluster);
    return this.cluster.store.resourceVersion !== before;
  }

  settle(): void {
    for (let i = 0; i < MAX_PASSES; i++) if (!this.pass()) return;
    throw new Error(`sandbox: controllers did not settle after ${MAX_PASSES} passes`);
  }

  onWrite(): void {
    if (this.tickMs <= 0) {
      this.pending = true;
      this.background ??= setImmediate(() => this.step());
      return;
    }
    if (this.timer) return;
    const step = (): void => {
      this.timer = this.pass() ? setTimeout(step, this.tickMs) : undefined;
    };
    this.timer = setTimeout(step, this.tickMs);
  }

  /**
   * Runs what the controllers still owe for earlier writes, now: call before serving a request. Throws when
   * they could not settle (then the request fails with it, as the write itself did when they ran before it).
   */
  settlePending(): void {
    if (this.background) clearImmediate(this.background);
    this.background = undefined;
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure;
    if (!this.pending) return;
    this.pending = false;
    this.backgroundPasses = 0;
    this.settle();
  }

  /** One background pass; schedules the next until a pass changes nothing. */
  private step(): void {
    this.background = undefined;
    if (!this.pending) return;
    if (!this.pass()) {
      this.pending = false;
      this.backgroundPasses = 0;
      return;
    }
    if (++this.backgroundPasses >= MAX_PASSES) {
      this.pending = false;
      this.backgroundPasses = 0;
      this.failure = new Error(`sandbox: controllers did not settle after ${MAX_PASSES} passes`);
      return;
    }
    this.background = setImmediate(() => this.step());
  }

  stop(): void {
    this.gc.stop();
    clearInterval(this.resync);
    if (this.timer) clearTimeout(this.timer);
    if (this.background) clearImmediate(this.background);
    this.timer = undefined;
    this.background = undefined;
    this.pending = false;
  }
}
