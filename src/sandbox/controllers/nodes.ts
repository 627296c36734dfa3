import { rfc3339 } from "../age.js";
import type { Cluster } from "../cluster.js";
import { typeOf } from "../resources.js";
import type { Json, KubeObject } from "../types.js";
import { NODES, J, spec, status, writeStatus } from "./util.js";

const LEASES = typeOf("coordination.k8s.io", "leases");
const NAMESPACES = typeOf("", "namespaces");

function registeredStatus(node: KubeObject, index: number, now: string): Json {
  const given = status(node);
  const capacity = { cpu: "4", "ephemeral-storage": "101430960Ki", "hugepages-2Mi": "0", memory: "16365332Ki", pods: "110", ...J(given["capacity"]) };
  const allocatable = { ...capacity, cpu: capacity.cpu === "4" ? "3920m" : capacity.cpu, memory: capacity.memory === "16365332Ki" ? "15214356Ki" : capacity.memory, ...J(given["allocatable"]) };
  const condition = (type: string, s: string, reason: string, message: string): Json => ({ type, status: s, lastHeartbeatTime: now, lastTransitionTime: now, reason, message });
  return {
    capacity,
    allocatable,
    conditions: [
      condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
      condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
      condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
      condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ],
    addresses: [
      { type: "InternalIP", address: `10.0.1.${10 + index}` },
      { type: "Hostname", address: node.metadata.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: `ec2${index}f0c4d2e84b3c8a1e9d7b6f5a4c3b2`,
      systemUUID: `ec2${index}f0c4-d2e8-4b3c-8a1e-9d7b6f5a4c3b`,
      bootID: `5b0e2f4c-7a1d-4e3b-9c8f-${index}d6a2b1c0e9f`,
      kernelVersion: "6.1.90-99.173.amzn2023.x86_64",
      osImage: "Amazon Linux 2023.4.20240528",
      containerRuntimeVersion: "containerd://1.7.11",
      kubeletVersion: "v1.31.0",
      kubeProxyVersion: "",
      operatingSystem: "linux",
      architecture: "amd64",
      ...J(given["nodeInfo"]),
    },
  };
}

/**
 * Node registration and the node's own reports: a kubelet joining fills the node's status and lease;
 * cordon and uncordon surface as NodeNotSchedulable / NodeSchedulable events.
 */
export class NodeAgent {
  private readonly schedulable = new Map<string, boolean>();

  constructor(private readonly cluster: Cluster) {}

  reconcile(): void {
    const now = rfc3339(this.cluster.now());
    const nodes = this.cluster.store.list(NODES).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    for (const [i, node] of nodes.entries()) {
      const source = { component: "kubelet", host: node.metadata.name };
      if (!Array.isArray(status(node)["conditions"])) {
        writeStatus(this.cluster, node, registeredStatus(node, i + 1, now));
        this.ensureLease(node, now);
        this.cluster.events.record(node, { type: "Normal", reason: "Starting", message: "Starting kubelet.", source });
        this.cluster.events.record(node, { type: "Normal", reason: "NodeReady", message: `Node ${node.metadata.name} status is now: NodeReady`, source });
        this.cluster.events.record(node, { type: "Normal", reason: "RegisteredNode", message: `Node ${node.metadata.name} event: Registered Node ${node.metadata.name} in Controller`, source: { component: "node-controller" } });
      }
      const schedulable = spec(node)["unschedulable"] !== true;
      const seen = this.schedulable.get(node.metadata.name);
      this.schedulable.set(node.metadata.name, schedulable);
      if (seen !== undefined && seen !== schedulable) {
        const reason = schedulable ? "NodeSchedulable" : "NodeNotSchedulable";
        this.cluster.events.record(node, { type: "Normal", reason, message: `Node ${node.metadata.name} status is now: ${reason}`, source });
      }
    }
  }

  private ensureLease(node: KubeObject, now: string): void {
    if (!this.cluster.store.get(NAMESPACES, undefined, "kube-node-lease")) return;
    if (this.cluster.store.get(LEASES, "kube-node-lease", node.metadata.name)) return;
    this.cluster.store.create(LEASES, {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name: node.metadata.name, namespace: "kube-node-lease", ownerReferences: [{ apiVersion: "v1", kind: "Node", name: node.metadata.name, uid: node.metadata.uid ?? "" }] },
      spec: { holderIdentity: node.metadata.name, leaseDurationSeconds: 40, renewTime: now.replace("Z", ".000000Z") },
    });
  }
}
