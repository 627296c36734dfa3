import { allow, confirm, deny, section } from "./rows.js";
import type { Case } from "./rows.js";

const READ_ONLY = { readOnly: true } as const;
const NO_DESTRUCTIVE = { disableDestructive: true } as const;
const DENIED = { deniedKinds: ["secrets", "configmaps", "certificates.cert-manager.io", "deploy"] };

/** Namespace profiles (issue 17), mass changes and unsafe drains (issue 14), server modes (issue 15). */
export const PROFILE_ROWS: readonly Case[] = [
  // Namespaces nobody named: reads as usual, every change confirmed, nothing destructive.
  ...section("namespaces not named in the policy", [
    allow("kubectl logs web-0 -n team-a --tail=10"),
    confirm("kubectl rollout restart deployment/web -n default", "low"),
    confirm("kubectl scale deployment/web -n shop --replicas=3", "medium"),
    confirm("flux reconcile ks apps -n apps", "low"),
    confirm("kubectl annotate ks apps -n apps reconcile.fluxcd.io/requestedAt=now", "low"),
    confirm("kubectl create job nightly-1 --from=cronjob/nightly -n ops", "medium"),
    deny("kubectl scale deployment/web -n shop --replicas=0", "DESTRUCTIVE_NOT_ALLOWED"),
    deny("kubectl scale statefulset/db -n batch --replicas 0", "DESTRUCTIVE_NOT_ALLOWED"),
    deny("kubectl rollout undo deployment/web -n shop", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
    deny("kubectl delete job old -n shop", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
    deny("kubectl rollout pause deployment/web -n shop", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
    deny("kubectl scale deployment/web -n prod-eu --replicas=3", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
  ]),

  // Unlisted names that look like production get the strict rule, the same as prod.
  ...section("production-like namespaces", [
    allow("kubectl get pods -n production"),
    allow("kubectl describe deployment web -n live"),
    confirm("kubectl rollout restart deployment/web -n production", "low"),
    confirm("kubectl rollout restart deployment/web -n prd", "low"),
    confirm("kubectl rollout restart deployment/web -n live", "low"),
    confirm("kubectl rollout restart deployment/web -n shop-prod", "low"),
    confirm("kubectl rollout restart deployment/web -n prod-eu-1", "low"),
    confirm("kubectl rollout restart deployment/web -n prodx-live", "low"),
    deny("kubectl scale deployment/web -n products-prod --replicas=2", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
    deny("kubectl scale deployment/web -n production --replicas=0", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
    deny("kubectl scale deployment/web -n production --replicas=3", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
    deny("kubectl rollout undo deployment/web -n production", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
    deny("kubectl create job x --from=cronjob/y -n live", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
    deny("flux suspend ks apps -n prd", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
    deny("kubectl delete job x -n shop-prod", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
    // A word inside a name is not a dash-separated part: "products" and "delivery" are ordinary names.
    confirm("kubectl scale deployment/web -n products --replicas=2", "medium"),
    confirm("kubectl scale deployment/web -n delivery --replicas=2", "medium"),
    deny("kubectl scale deployment/web -n prod --replicas=0", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
  ]),

  // Changes whose objects the server chooses: confirmed (and one risk level up), and refused where the verb is.
  ...section("changes by selector, of a whole kind or of several kinds", [
    confirm("kubectl rollout restart deployments,statefulsets,daemonsets -l app -n staging", "medium"),
    confirm("kubectl rollout restart deployments,statefulsets,daemonsets -l app -n dev", "medium"),
    confirm("kubectl rollout restart deployment -l '!nonexistent' -n staging", "medium"),
    confirm("kubectl rollout restart deployment -l app=web -n dev", "medium"),
    confirm("kubectl rollout restart deployment/web statefulset/db -n staging", "medium"),
    confirm("kubectl scale deployment -l tier=batch -n staging --replicas=2", "high"),
    confirm("kubectl delete jobs -l app=backup -n dev", "high"),
    confirm("kubectl rollout resume deployments -l app=web -n dev", "medium"),
    deny("kubectl rollout restart deployments,statefulsets,daemonsets -l app -n flux-system", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
    deny("kubectl scale deployment -l tier=batch -n prod --replicas=2", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
    deny("kubectl rollout restart deployments --all -n staging", "FLAG_NOT_ALLOWED"),
    deny("kubectl delete jobs --all -n dev", "FLAG_NOT_ALLOWED"),
    deny("kubectl rollout restart deployments,statefulsets -A -l app", "ALL_NAMESPACES_MUTATION"),
    allow("kubectl rollout restart deployment/web -n staging", "low"),
  ]),

  ...section("drains that bypass eviction", [
    deny("kubectl drain worker-1 --ignore-daemonsets --disable-eviction", "UNSAFE_DRAIN"),
    deny("kubectl drain worker-1 --ignore-daemonsets --disable-eviction=true --force", "UNSAFE_DRAIN"),
    deny("kubectl drain worker-1 --ignore-daemonsets --force --grace-period=0", "UNSAFE_DRAIN"),
    deny("kubectl drain worker-1 --ignore-daemonsets --grace-period=0 --delete-emptydir-data", "UNSAFE_DRAIN"),
    deny("kubectl drain worker-1 --delete-local-data --force", "FLAG_NOT_ALLOWED"),
    confirm("kubectl drain worker-1 --ignore-daemonsets --disable-eviction=false", "high"),
    confirm("kubectl drain worker-1 --ignore-daemonsets --grace-period=30 --timeout=5m", "high"),
  ]),

  ...section("quantifiers are never names", [
    deny("kubectl rollout restart deployment/every -n staging", "INVALID_NAME"),
    deny("kubectl rollout restart deployment every -n staging", "INVALID_NAME"),
    deny("kubectl rollout restart deploy/all -n staging", "INVALID_NAME"),
    deny("kubectl scale deployment each -n staging --replicas=2", "INVALID_NAME"),
    deny("kubectl rollout restart statefulset/any -n staging", "INVALID_NAME"),
    deny("kubectl get pod everything -n staging", "INVALID_NAME"),
    deny("kubectl logs all -n staging", "INVALID_NAME"),
    deny("kubectl cordon every", "INVALID_NAME"),
    deny("kubectl create job every --from=cronjob/nightly -n staging", "INVALID_NAME"),
    deny("kubectl create job rerun-1 --from=cronjob/all -n staging", "CREATE_NOT_ALLOWED"),
    deny("flux reconcile ks all -n flux-system", "INVALID_NAME"),
    deny("kubectl get pods -n all", "INVALID_NAME"),
    allow("kubectl get all -n staging"),
    allow("kubectl rollout restart deployment/everyday -n staging", "low"),
  ]),

  ...section("server mode: read-only", [
    allow("kubectl get pods -n staging", "none", { modes: READ_ONLY }),
    allow("kubectl get certificates.cert-manager.io -A", "none", { modes: READ_ONLY }),
    allow("kubectl logs web-0 -n prod --tail=10", "none", { modes: READ_ONLY }),
    allow("flux get ks -n flux-system", "none", { modes: READ_ONLY }),
    deny("kubectl rollout restart deployment/web -n staging", "READ_ONLY_MODE", { modes: READ_ONLY }),
    deny("kubectl rollout restart deployment/web -n prod", "READ_ONLY_MODE", { modes: READ_ONLY }),
    deny("kubectl scale deployment/web -n staging --replicas=3", "READ_ONLY_MODE", { modes: READ_ONLY }),
    deny("kubectl uncordon worker-1", "READ_ONLY_MODE", { modes: READ_ONLY }),
    deny("kubectl create job x --from=cronjob/y -n staging", "READ_ONLY_MODE", { modes: READ_ONLY }),
    deny("kubectl annotate ks apps -n flux-system reconcile.fluxcd.io/requestedAt=now", "READ_ONLY_MODE", { modes: READ_ONLY }),
    deny("flux reconcile ks apps -n flux-system", "READ_ONLY_MODE", { modes: READ_ONLY }),
    deny("flux resume ks apps -n flux-system", "READ_ONLY_MODE", { modes: READ_ONLY }),
    deny("kubectl delete pod web-0 -n dev", "FORBIDDEN", { modes: READ_ONLY }),
    deny("kubectl get secrets -n staging -o yaml", "SECRET_OUTPUT", { modes: READ_ONLY }),
  ]),

  ...section("server mode: destructive changes disabled", [
    deny("kubectl delete job old -n dev", "DESTRUCTIVE_DISABLED", { modes: NO_DESTRUCTIVE }),
    deny("kubectl drain worker-1 --ignore-daemonsets", "DESTRUCTIVE_DISABLED", { modes: NO_DESTRUCTIVE }),
    deny("kubectl scale deployment/web -n staging --replicas=0", "DESTRUCTIVE_DISABLED", { modes: NO_DESTRUCTIVE }),
    deny("kubectl rollout undo deployment/web -n staging", "DESTRUCTIVE_DISABLED", { modes: NO_DESTRUCTIVE }),
    confirm("kubectl scale deployment/web -n staging --replicas=1", "medium", { modes: NO_DESTRUCTIVE }),
    confirm("kubectl cordon worker-1", "medium", { modes: NO_DESTRUCTIVE }),
    allow("kubectl rollout restart deployment/web -n staging", "low", { modes: NO_DESTRUCTIVE }),
    allow("kubectl get pods -n staging", "none", { modes: NO_DESTRUCTIVE }),
  ]),

  ...section("server mode: denied kinds", [
    deny("kubectl get secrets -n staging", "KIND_DENIED", { modes: DENIED }),
    deny("kubectl get cm -n staging", "KIND_DENIED", { modes: DENIED }),
    deny("kubectl get configmaps.v1 app -n staging", "KIND_DENIED", { modes: DENIED }),
    deny("kubectl get pods,cm -n staging", "KIND_DENIED", { modes: DENIED }),
    deny("kubectl get certificates -n staging", "KIND_DENIED", { modes: DENIED }),
    deny("kubectl get certificates.cert-manager.io -A", "KIND_DENIED", { modes: DENIED }),
    deny("kubectl describe deployments.apps web -n staging", "KIND_DENIED", { modes: DENIED }),
    deny("kubectl rollout restart deployment/web -n staging", "KIND_DENIED", { modes: DENIED }),
    deny("kubectl logs deployment/web -n staging", "KIND_DENIED", { modes: DENIED }),
    deny("kubectl get all -n staging", "KIND_DENIED", { modes: DENIED }),
    allow("kubectl get pods -n staging", "none", { modes: DENIED }),
    allow("kubectl rollout restart statefulset/db -n staging", "low", { modes: DENIED }),
  ]),
];
