import type { Cluster } from "../cluster.js";
import { reconcileDaemonSets } from "./daemonset.js";
import { reconcileDeployments } from "./deployment.js";
import { reconcileDisruptionBudgets } from "./disruption.js";
import { reconcileEndpoints } from "./endpoints.js";
import { reconcileFlux } from "./flux.js";
import { collectGarbage } from "./gc.js";
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
 * Runs the controllers after every write. With tickMs 0 they run to a fixed point before the write's
 * response is sent, so a test sees the settled cluster on its next request; with tickMs > 0 one pass
 * runs per tick, so watches see rollouts progress step by step.
 */
export class ControllerManager {
  private readonly kubelet: Kubelet;
  private readonly nodes: NodeAgent;
  private timer: NodeJS.Timeout | undefined;
  private readonly resync: NodeJS.Timeout;

  constructor(
    private readonly cluster: Cluster,
    private readonly tickMs: number,
  ) {
    this.kubelet = new Kubelet(cluster);
    this.nodes = new NodeAgent(cluster);
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
    collectGarbage(this.cluster);
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
      this.settle();
      return;
    }
    if (this.timer) return;
    const step = (): void => {
      this.timer = this.pass() ? setTimeout(step, this.tickMs) : undefined;
    };
    this.timer = setTimeout(step, this.tickMs);
  }

  stop(): void {
    clearInterval(this.resync);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
