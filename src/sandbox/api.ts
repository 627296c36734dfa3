import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import type { Cluster } from "./cluster.js";
import type { ControllerManager } from "./controllers/index.js";
import { budgetFor } from "./controllers/index.js";
import { PDBS, PODS, deletePod } from "./controllers/util.js";
import { CUSTOM_GROUPS, customResourceDefinitions } from "./crds.js";
import { applyDefaults } from "./defaults.js";
import { admit } from "./admission.js";
import { managerFor, serverSideApply, trackUpdate } from "./apply.js";
import type { WriteContext } from "./apply.js";
import { podLogs } from "./logs.js";
import { answerReview, isReviewKind } from "./reviews.js";
import type { LogQuery } from "./logs.js";
import { nodeMetrics, podMetrics } from "./metrics.js";
import { jsonPatch, mergePatch, strategicMerge } from "./patch.js";
import type { PatchType } from "./patch.js";
import { RESOURCES, apiVersionOf, storageKey, typeOf } from "./resources.js";
import type { ResourceType } from "./resources.js";
import { fieldMatcher, labelMatcher, selectorObjectMatcher, selectorToString } from "./selectors.js";
import type { LabelSelectorObject } from "./selectors.js";
import { ApiError, badRequest, conflict, invalid, methodNotAllowed, notFound, qualified } from "./status.js";
import { clone, dropNulls, isRecord } from "./types.js";
import type { Json, KubeObject } from "./types.js";
import { fromView, toView } from "./views.js";

export interface Selectors {
  labelSelector?: string;
  fieldSelector?: string;
}

/** Who writes: the request's `fieldManager`, user agent and `force`, for managed fields and apply. */
export interface Writer {
  fieldManager?: string;
  userAgent?: string;
  force?: boolean;
}

export interface DeleteOptions {
  dryRun?: boolean;
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
}

const NAMESPACES = typeOf("", "namespaces");
const SCALABLE = new Set(["apps/deployments", "apps/replicasets", "apps/statefulsets"]);
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Pod fields a client may change after creation, as the API server allows. */
function podSpecWithoutMutable(spec: unknown): unknown {
  const copy = clone(isRecord(spec) ? spec : {});
  for (const list of ["containers", "initContainers"]) {
    const containers = copy[list];
    if (Array.isArray(containers)) for (const c of containers) if (isRecord(c)) delete c["image"];
  }
  delete copy["activeDeadlineSeconds"];
  delete copy["tolerations"];
  delete copy["terminationGracePeriodSeconds"];
  return copy;
}

/**
 * A write to pods/ephemeralcontainers: only spec.ephemeralContainers changes, and only by additions
 * (the API server's ephemeral-container validation).
 */
function withEphemeralContainers(type: ResourceType, current: KubeObject, next: KubeObject): KubeObject {
  const list = (o: KubeObject): Json[] => {
    const spec = isRecord(o["spec"]) ? o["spec"] : {};
    return Array.isArray(spec["ephemeralContainers"]) ? spec["ephemeralContainers"].filter(isRecord) : [];
  };
  const before = list(current);
  const after = list(next);
  for (const old of before) {
    const kept = after.find((c) => c["name"] === old["name"]);
    if (!kept || !isDeepStrictEqual(kept, old)) {
      throw invalid(type, current.metadata.name, [{ field: "spec.ephemeralContainers", message: `Forbidden: existing ephemeral containers "${String(old["name"])}" may not be changed` }]);
    }
  }
  const result = clone(current);
  result["spec"] = { ...(isRecord(current["spec"]) ? current["spec"] : {}), ephemeralContainers: after };
  result.metadata.resourceVersion = next.metadata.resourceVersion;
  return result;
}

/** The REST semantics of the API server over the store: validation, defaulting, status subresources, dry runs, conversion. */
export class Api {
  constructor(
    private readonly cluster: Cluster,
    private readonly controllers: ControllerManager,
  ) {}

  private get store() {
    return this.cluster.store;
  }

  private storedType(type: ResourceType): ResourceType {
    if (!type.storedAs) return type;
    return typeOf(type.storedAs.group, type.storedAs.resource);
  }

  /** New content needs a namespace that exists and is not being terminated (the NamespaceLifecycle admission plugin). */
  private requireNamespace(namespace: string | undefined, type: ResourceType, name: string): void {
    if (namespace === undefined) return;
    const ns = this.store.get(NAMESPACES, undefined, namespace);
    if (!ns) throw notFound(NAMESPACES, namespace);
    if (ns.metadata.deletionTimestamp) {
      throw new ApiError(403, "Forbidden", `${qualified(type)} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`, {
        name,
        ...(type.group ? { group: type.group } : {}),
        kind: type.resource,
        causes: [{ reason: "NamespaceTerminating", message: `namespace ${namespace} is being terminated`, field: "metadata.namespace" }],
      });
    }
  }

  private virtualObjects(type: ResourceType, namespace: string | undefined): KubeObject[] {
    if (type.kind === "CustomResourceDefinition") return customResourceDefinitions(this.cluster);
    return type.kind === "PodMetrics" ? podMetrics(this.cluster, namespace) : nodeMetrics(this.cluster);
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    if (type.virtual) {
      const found = this.virtualObjects(type, namespace).find((o) => o.metadata.name === name);
      if (!found) throw notFound(type, name);
      return found;
    }
    return toView(type, this.store.mustGet(this.storedType(type), namespace, name));
  }

  list(type: ResourceType, namespace: string | undefined, selectors: Selectors): { items: KubeObject[]; stored: KubeObject[]; resourceVersion: string } {
    const byLabel = labelMatcher(selectors.labelSelector);
    const byField = fieldMatcher(selectors.fieldSelector, type.fieldLabels);
    const source = type.virtual ? this.virtualObjects(type, namespace) : this.store.list(this.storedType(type), namespace);
    const stored = source.filter((o) => byLabel(o) && byField(o));
    return { items: stored.map((o) => (type.virtual ? o : toView(type, o))), stored, resourceVersion: String(this.store.resourceVersion) };
  }

  /** Clones to the stored shape and checks what every write must satisfy. */
  private prepare(type: ResourceType, namespace: string | undefined, body: unknown, name?: string): KubeObject {
    if (!isRecord(body) || !isRecord(body["metadata"])) throw badRequest("the request body must be a JSON object with metadata");
    const obj = fromView(type, dropNulls(body) as KubeObject);
    if (type.storedAs) obj.metadata = clone(body["metadata"] as KubeObject["metadata"]);
    const expectedVersion = apiVersionOf(type);
    if (body["apiVersion"] !== undefined && (body["apiVersion"] !== expectedVersion || body["kind"] !== type.kind)) {
      throw badRequest(`the API version in the data (${String(body["apiVersion"])}) does not match the expected API version (${expectedVersion})`);
    }
    const stored = this.storedType(type);
    obj.apiVersion = apiVersionOf(stored);
    obj.kind = stored.kind;
    if (type.namespaced) {
      if (obj.metadata.namespace && namespace && obj.metadata.namespace !== namespace) {
        throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
      }
      obj.metadata.namespace = namespace ?? obj.metadata.namespace;
    } else delete obj.metadata.namespace;
    if (name !== undefined && obj.metadata.name && obj.metadata.name !== name) {
      throw badRequest("the name of the object does not match the name on the URL");
    }
    if (name !== undefined) obj.metadata.name = name;
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = `${obj.metadata.generateName}${this.cluster.names.suffix(obj.metadata.generateName)}`;
    if (!obj.metadata.name) throw invalid(type, "", [{ field: "metadata.name", message: "Required value: name or generateName is required" }]);
    if (!DNS_SUBDOMAIN.test(obj.metadata.name) || obj.metadata.name.length > 253) {
      throw invalid(type, obj.metadata.name, [{ field: "metadata.name", message: `Invalid value: "${obj.metadata.name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character` }]);
    }
    return obj;
  }

  /** Lets the controllers finish what earlier writes started: every request is served from a settled cluster. */
  settled(): void {
    this.controllers.settlePending();
  }

  private committed(dryRun: boolean | undefined): void {
    if (!dryRun) this.controllers.onWrite();
  }

  private context(type: ResourceType, writer: Writer): WriteContext {
    const stored = this.storedType(type);
    return {
      manager: managerFor(writer.fieldManager, writer.userAgent),
      apiVersion: apiVersionOf(stored),
      resetStatus: stored.statusSubresource,
      now: this.cluster.now().toISOString().replace(/\.\d{3}Z$/, "Z"),
    };
  }

  create(type: ResourceType, namespace: string | undefined, body: unknown, dryRun?: boolean, writer: Writer = {}): KubeObject {
    if (isReviewKind(type.kind)) return answerReview(type.kind, apiVersionOf(type), body);
    if (type.virtual || !type.verbs.includes("create")) throw methodNotAllowed();
    const obj = this.prepare(type, namespace, body);
    if (type.namespaced) this.requireNamespace(obj.metadata.namespace, type, obj.metadata.name);
    if (type.statusSubresource && type.kind !== "Namespace") delete obj["status"];
    delete obj.metadata.uid;
    delete obj.metadata.creationTimestamp;
    delete obj.metadata.deletionTimestamp;
    delete obj.metadata.generation;
    const stored = this.storedType(type);
    // The job selector embeds the uid, so it is chosen here and kept by the store.
    const uid = randomUUID();
    applyDefaults(stored, obj, uid);
    admit(this.store, stored, obj);
    if (!obj.metadata.managedFields) obj.metadata.managedFields = trackUpdate(undefined, obj, this.context(type, writer));
    const created = this.store.create(stored, obj, { dryRun: dryRun === true, uid });
    this.committed(dryRun);
    return toView(type, created);
  }

  private write(type: ResourceType, current: KubeObject, next: KubeObject, subresource: string | undefined, dryRun: boolean | undefined, writer: Writer | "applied"): KubeObject {
    const stored = this.storedType(type);
    if (next.metadata.name !== current.metadata.name) throw invalid(type, current.metadata.name, [{ field: "metadata.name", message: "Invalid value: field is immutable" }]);
    next.metadata.uid = current.metadata.uid;
    next.metadata.creationTimestamp = current.metadata.creationTimestamp;
    if (subresource === "ephemeralcontainers") {
      next = withEphemeralContainers(type, current, next);
    } else if (subresource === "status") {
      const onlyStatus = clone(current);
      onlyStatus["status"] = next["status"];
      onlyStatus.metadata.resourceVersion = next.metadata.resourceVersion;
      next = onlyStatus;
    } else if (type.statusSubresource) {
      if (current["status"] === undefined) delete next["status"];
      else next["status"] = current["status"];
    }
    if (stored.kind === "Pod" && subresource === undefined && !isDeepStrictEqual(podSpecWithoutMutable(next["spec"]), podSpecWithoutMutable(current["spec"]))) {
      throw invalid(type, current.metadata.name, [{ field: "spec", message: "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)" }]);
    }
    if (subresource !== "status") {
      applyDefaults(stored, next, current.metadata.uid);
      admit(this.store, stored, next, current);
    }
    // Managed fields are the server's: an apply computed them already; other writes are tracked here.
    if (writer !== "applied") {
      const managedFields = subresource === undefined ? trackUpdate(current, next, this.context(type, writer)) : current.metadata.managedFields;
      if (managedFields) next.metadata.managedFields = managedFields;
      else delete next.metadata.managedFields;
    }
    let updated = this.store.update(stored, next, { dryRun: dryRun === true });
    // The last finalizer of an object marked for deletion is gone: the object goes (namespaces wait for their controller).
    if (!dryRun && updated.metadata.deletionTimestamp && !(updated.metadata.finalizers ?? []).length && stored.kind !== "Namespace") {
      updated = stored.kind === "Pod" ? updated : this.store.delete(stored, updated.metadata.namespace, updated.metadata.name);
      if (stored.kind === "Pod") deletePod(this.cluster, updated);
    }
    this.committed(dryRun);
    return toView(type, updated);
  }

  update(type: ResourceType, namespace: string | undefined, name: string, body: unknown, subresource: string | undefined, dryRun?: boolean, writer: Writer = {}): KubeObject {
    if (type.virtual) throw methodNotAllowed();
    if (subresource === "scale") return this.updateScale(type, namespace, name, body, dryRun);
    const current = this.store.mustGet(this.storedType(type), namespace, name);
    const next = this.prepare(type, namespace, body, name);
    return this.write(type, current, next, subresource, dryRun, writer);
  }

  /**
   * Server-side apply (PATCH application/apply-patch+yaml): creates the object when it does not exist
   * (`created`), otherwise merges the configuration with field ownership and conflict detection.
   */
  apply(type: ResourceType, namespace: string | undefined, name: string, config: unknown, subresource: string | undefined, dryRun: boolean | undefined, writer: Writer): { object: KubeObject; created: boolean } {
    if (type.virtual || !type.verbs.includes("patch")) throw methodNotAllowed();
    if (!writer.fieldManager) {
      throw new ApiError(422, "Invalid", `PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch`, { group: "meta.k8s.io", kind: "PatchOptions", causes: [{ reason: "FieldValueRequired", message: "Required value: is required for apply patch", field: "fieldManager" }] });
    }
    if (subresource !== undefined) throw new ApiError(415, "UnsupportedMediaType", `the rag-k8s sandbox applies to the main resource only, not to the ${subresource} subresource`);
    if (!isRecord(config) || !isRecord(config["metadata"])) throw badRequest("the applied configuration must be an object with metadata");
    const expected = apiVersionOf(type);
    if (config["apiVersion"] !== expected || config["kind"] !== type.kind) {
      throw badRequest(`the applied configuration's apiVersion and kind (${String(config["apiVersion"])}, ${String(config["kind"])}) must be ${expected}, ${type.kind}`);
    }
    const stored = this.storedType(type);
    const live = this.store.get(stored, namespace, name);
    const ctx = this.context(type, writer);
    const applied = serverSideApply({ live: live ? toView(type, live) : undefined, config: this.prepare(type, namespace, config, name), force: writer.force === true, ctx });
    if (!live) return { object: this.create(type, namespace, applied, dryRun, writer), created: true };
    return { object: this.write(type, live, this.prepare(type, namespace, applied, name), undefined, dryRun, "applied"), created: false };
  }

  patch(type: ResourceType, namespace: string | undefined, name: string, patchType: Exclude<PatchType, "apply">, patch: unknown, subresource: string | undefined, dryRun?: boolean, writer: Writer = {}): KubeObject {
    if (type.virtual) throw methodNotAllowed();
    // Custom resources: the API server cannot strategic-merge them (no Go struct with patch tags).
    if (patchType === "strategic" && CUSTOM_GROUPS.has(type.group)) {
      throw new ApiError(415, "UnsupportedMediaType", `strategic merge patch is not supported for ${apiVersionOf(type)}, Kind=${type.kind}`);
    }
    if (subresource === "scale") {
      const scale = this.getScale(type, namespace, name);
      return this.updateScale(type, namespace, name, applyPatch(scale, patchType, patch), dryRun);
    }
    const current = toView(type, this.store.mustGet(this.storedType(type), namespace, name));
    const patched = applyPatch(current, patchType, patch);
    if (!isRecord(patched) || !isRecord(patched["metadata"])) throw badRequest("the patch removed the object's metadata");
    return this.write(type, this.store.mustGet(this.storedType(type), namespace, name), this.prepare(type, namespace, patched, name), subresource, dryRun, writer);
  }

  delete(type: ResourceType, namespace: string | undefined, name: string, options: DeleteOptions): KubeObject {
    if (type.virtual) throw methodNotAllowed();
    const stored = this.storedType(type);
    const current = this.store.mustGet(stored, namespace, name);
    const pre = options.preconditions ?? {};
    if (pre.uid && pre.uid !== current.metadata.uid) {
      throw new ApiError(409, "Conflict", `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid ?? ""}`);
    }
    if (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) throw conflict(type, name);
    if (options.dryRun) return toView(type, current);
    if (options.propagationPolicy === "Orphan") this.orphanDependents(current);
    // Finalizers hold an object back: it is marked for deletion and goes when they are all removed.
    // Namespaces always pass through Terminating while the namespace controller empties them.
    if (stored.kind === "Namespace" || (current.metadata.finalizers ?? []).length > 0) {
      if (current.metadata.deletionTimestamp) return toView(type, current);
      const marked = clone(current);
      marked.metadata.deletionTimestamp = this.context(type, {}).now;
      marked.metadata.deletionGracePeriodSeconds = 0;
      if (stored.kind === "Namespace") marked["status"] = { ...(isRecord(current["status"]) ? current["status"] : {}), phase: "Terminating" };
      const written = this.store.update(stored, marked);
      this.committed(false);
      return toView(type, written);
    }
    if (stored.kind === "Pod") deletePod(this.cluster, current);
    const deleted = stored.kind === "Pod" ? current : this.store.delete(stored, namespace, name);
    this.committed(false);
    return toView(type, deleted);
  }

  deleteCollection(type: ResourceType, namespace: string | undefined, selectors: Selectors, options: DeleteOptions): KubeObject[] {
    const { stored } = this.list(type, namespace, selectors);
    return stored.map((o) => this.delete(type, o.metadata.namespace, o.metadata.name, options));
  }

  private orphanDependents(owner: KubeObject): void {
    for (const [key, obj] of this.store.all()) {
      const refs = obj.metadata.ownerReferences ?? [];
      if (!refs.some((r) => r.uid === owner.metadata.uid)) continue;
      const type = RESOURCES.find((r) => storageKey(r) === key && !r.storedAs && !r.virtual);
      if (!type) continue;
      const copy = clone(obj);
      copy.metadata.ownerReferences = refs.filter((r) => r.uid !== owner.metadata.uid);
      delete copy.metadata.resourceVersion;
      this.store.update(type, copy);
    }
  }

  getScale(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    if (!SCALABLE.has(`${type.group}/${type.resource}`)) throw notFound(type, name);
    const obj = this.store.mustGet(type, namespace, name);
    const spec = isRecord(obj["spec"]) ? obj["spec"] : {};
    const status = isRecord(obj["status"]) ? obj["status"] : {};
    return {
      kind: "Scale",
      apiVersion: "autoscaling/v1",
      metadata: { name, namespace: obj.metadata.namespace as string, uid: obj.metadata.uid as string, resourceVersion: obj.metadata.resourceVersion as string, creationTimestamp: obj.metadata.creationTimestamp as string },
      spec: { replicas: typeof spec["replicas"] === "number" ? spec["replicas"] : 1 },
      status: { replicas: typeof status["replicas"] === "number" ? status["replicas"] : 0, selector: selectorToString(spec["selector"] as LabelSelectorObject) },
    };
  }

  private updateScale(type: ResourceType, namespace: string | undefined, name: string, body: unknown, dryRun?: boolean): KubeObject {
    if (!SCALABLE.has(`${type.group}/${type.resource}`)) throw notFound(type, name);
    const scale = isRecord(body) ? body : {};
    const replicas = isRecord(scale["spec"]) ? scale["spec"]["replicas"] : undefined;
    if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) {
      throw invalid({ group: "autoscaling", resource: "scale", kind: "Scale" } as ResourceType, name, [{ field: "spec.replicas", message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` }]);
    }
    const current = this.store.mustGet(type, namespace, name);
    const rv = isRecord(scale["metadata"]) ? scale["metadata"]["resourceVersion"] : undefined;
    if (typeof rv === "string" && rv !== "" && rv !== current.metadata.resourceVersion) throw conflict(type, name);
    const next = clone(current);
    next["spec"] = { ...(isRecord(current["spec"]) ? current["spec"] : {}), replicas };
    const written = this.store.update(type, next, { dryRun: dryRun === true });
    this.committed(dryRun);
    const result = this.getScale(type, namespace, name);
    if (dryRun) {
      (result["spec"] as Json)["replicas"] = replicas;
      result.metadata.resourceVersion = written.metadata.resourceVersion as string;
    }
    return result;
  }

  /** The pods/eviction subresource: deletes the pod unless a PodDisruptionBudget forbids it (429). */
  evict(namespace: string, name: string, body: unknown, dryRun: boolean): Json {
    const pod = this.store.mustGet(PODS, namespace, name);
    const options = isRecord(body) && isRecord(body["deleteOptions"]) ? body["deleteOptions"] : {};
    const isDryRun = dryRun || (Array.isArray(options["dryRun"]) && options["dryRun"].includes("All"));
    const budgets = this.store.list(PDBS, namespace).filter((pdb) => selectorObjectMatcher((isRecord(pdb["spec"]) ? pdb["spec"]["selector"] : undefined) as LabelSelectorObject)(pod.metadata.labels));
    if (budgets.length > 1) throw new ApiError(500, "InternalError", "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
    const pdb = budgets[0];
    const phase = isRecord(pod["status"]) ? pod["status"]["phase"] : undefined;
    if (pdb && phase !== "Succeeded" && phase !== "Failed" && phase !== "Pending") {
      const b = budgetFor(this.cluster, pdb);
      const ready = isRecord(pod["status"]) && Array.isArray(pod["status"]["conditions"]) && pod["status"]["conditions"].some((c) => isRecord(c) && c["type"] === "Ready" && c["status"] === "True");
      const allowed = ready ? b.disruptionsAllowed > 0 : b.currentHealthy >= b.desiredHealthy;
      if (!allowed) {
        throw new ApiError(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.", {
          causes: [{ reason: "DisruptionBudget", message: `The disruption budget ${pdb.metadata.name} needs ${b.desiredHealthy} healthy pods and has ${b.currentHealthy} currently` }],
        });
      }
    }
    if (!isDryRun) {
      deletePod(this.cluster, pod);
      this.committed(false);
    }
    return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };
  }

  logs(namespace: string, name: string, query: LogQuery): string {
    return podLogs(this.cluster, this.store.mustGet(PODS, namespace, name), query);
  }
}

export function applyPatch(current: unknown, patchType: Exclude<PatchType, "apply">, patch: unknown): KubeObject {
  switch (patchType) {
    case "merge":
      return mergePatch(current, patch) as KubeObject;
    case "json":
      return jsonPatch(current, patch) as KubeObject;
    case "strategic":
      return strategicMerge(current, patch) as KubeObject;
  }
}
