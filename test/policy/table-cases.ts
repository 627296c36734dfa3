import type { RiskLevel } from "../../src/cards/index.js";
import type { Decision, ReasonCode } from "../../src/policy/index.js";

/**
 * A second policy table, organised by rule, with the namespace matrix, the suggestions a denial carries,
 * the exact argv an allowed command runs, and the ways a plan can make kubectl run another verb than the
 * one it seems to name. A denial names the first reason's code; an allow or confirm names the risk.
 */
export interface Case {
  readonly section: string;
  readonly command: string;
  readonly decision: Decision;
  readonly code?: ReasonCode;
  readonly risk?: RiskLevel;
  /** ValidateOptions.namespace: the namespace the request is for. */
  readonly namespace?: string;
  /** The exact first suggestion a denial must carry. */
  readonly suggestion?: string;
}

interface Extra {
  readonly namespace?: string;
  readonly suggestion?: string;
}
type Row = Omit<Case, "section">;

const allow = (command: string, risk: RiskLevel = "none", extra: Extra = {}): Row => ({ command, decision: "allow", risk, ...extra });
const confirm = (command: string, risk: RiskLevel, extra: Extra = {}): Row => ({ command, decision: "confirm", risk, ...extra });
const deny = (command: string, code: ReasonCode, extra: Extra = {}): Row => ({ command, decision: "deny", code, ...extra });
const section = (name: string, rows: readonly Row[]): Case[] => rows.map((row) => ({ section: name, ...row }));

const LOOKALIKE_DASHES = ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\uFE63", "\uFF0D"];

export const CASES: readonly Case[] = [
  ...section("reads in every namespace", [
    allow("kubectl get pods -n prod"),
    allow("kubectl get pods -n staging"),
    allow("kubectl get pods -n dev"),
    allow("kubectl get pods -n flux-system"),
    allow("kubectl get pods -n shop"),
    allow("kubectl get deploy web -n prod -o yaml"),
    allow("kubectl get deployments.apps web -n prod -o json"),
    allow("kubectl get deployments.v1.apps -n prod"),
    allow("kubectl get hpa,pdb -n prod"),
    allow("kubectl get pvc -n dev --show-labels"),
    allow("kubectl get cm web-config -n shop -o yaml"),
    allow("kubectl get svc,ep web -n shop -o wide"),
    allow("kubectl get ing -n shop --no-headers"),
    allow("kubectl get rs -n shop -l app=web -o wide"),
    allow("kubectl get pods -n shop -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName"),
    allow("kubectl get pods -n shop -o jsonpath={.items[*].metadata.name}"),
    allow("kubectl get events -n prod --sort-by=.lastTimestamp"),
    allow("kubectl get cronjobs,jobs -n staging"),
    allow("kubectl describe deployment web -n prod"),
    allow("kubectl describe pod web-0 -n staging"),
    allow("kubectl describe sts/db -n dev"),
    allow("kubectl logs web-0 -n prod --tail=100"),
    allow("kubectl logs web-0 -n prod --previous --tail=100"),
    allow("kubectl logs web-0 istio-proxy -n prod"),
    allow("kubectl logs web-0 -n prod -c migrate --since=15m"),
    allow("kubectl logs deployment/web -n staging --since=1h --all-containers"),
    allow("kubectl logs job/backup-1 -n dev --timestamps"),
    allow("kubectl logs -n shop -l app=web --prefix --tail=100"),
    allow("kubectl top pod -n prod"),
    allow("kubectl top pods -n dev --sort-by=cpu"),
    allow("kubectl top po -n shop -l app=web"),
    allow("kubectl events -n dev"),
    allow("kubectl events -n dev --for=pod/web-0 --types=Warning"),
    allow("kubectl rollout status deployment/web -n prod --timeout=2m"),
    allow("kubectl rollout history deployment/web -n prod"),
    allow("kubectl rollout history deployment/web -n prod --revision=3"),
    allow("flux get kustomizations -n flux-system"),
    allow("flux get ks -n staging --status-selector=ready=false"),
    allow("flux get helmreleases -n dev"),
    deny("kubectl top pod -n flux-system", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
    deny("flux get ks -n prod", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
  ]),

  ...section("flag spellings and placement", [
    allow("kubectl -n prod get pods"),
    allow("kubectl --namespace prod get pods"),
    allow("kubectl get -o wide pods -n prod"),
    allow("kubectl rollout -n prod status deployment/web"),
    allow("kubectl get pods -n dev -lapp=web"),
    allow("kubectl get pods -n dev -ojson"),
    allow("kubectl get pods -n dev -- web-0"),
    allow("  kubectl   get   pods   -n   dev  "),
    allow("kubectl get pods -n 'dev'"),
    allow('kubectl get pods -n "dev"'),
    allow('kubectl get pods -n d"e"v'),
    allow('kubectl get pods -n dev -l "app=web"'),
    allow("kubectl logs web-0 -n dev --previous=true"),
    allow("kubectl logs web-0 -n dev --previous=false"),
  ]),

  ...section("per-namespace verb sets", [
    deny("kubectl scale deployment/web -n prod --replicas=3", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
    confirm("kubectl scale deployment/web -n staging --replicas=3", "medium"),
    confirm("kubectl scale deployment web -n dev --replicas=3", "medium"),
    confirm("kubectl scale statefulset/kafka -n shop --replicas=5", "medium"),
    deny("kubectl scale deployment/web -n flux-system --replicas=1", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
    confirm("kubectl delete job old-backup -n dev", "medium"),
    confirm("kubectl delete jobs -n dev -l app=backup", "medium"),
    deny("kubectl delete job old-backup -n staging", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
    deny("kubectl delete job old-backup -n prod", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
    deny("kubectl delete job old-backup -n shop", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
    confirm("kubectl delete cm stale -n dev", "high"),
    confirm("kubectl rollout undo deployment/web -n staging", "medium"),
    confirm("kubectl rollout undo deployment/web -n staging --to-revision=3", "medium"),
    confirm("kubectl rollout pause deployment/web -n dev", "medium"),
    allow("kubectl rollout resume deployment/web -n dev", "low"),
    deny("kubectl rollout resume deployment/web -n staging", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
    confirm("kubectl rollout restart deployment/web -n prod", "low"),
    allow("kubectl rollout restart deployment/web -n staging", "low"),
    allow("kubectl rollout restart statefulset/db -n dev", "low"),
    allow("kubectl rollout restart daemonset/agent -n shop", "low"),
    allow("kubectl rollout restart deployment web -n shop", "low"),
    deny("kubectl rollout restart deployment/web -n flux-system", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
    allow("kubectl create job backup-1 --from=cronjob/backup -n staging", "low"),
    deny("kubectl create job backup-1 --from=cronjob/backup -n flux-system", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
    allow("flux reconcile kustomization apps -n flux-system", "low"),
    allow("flux reconcile ks apps -n flux-system --with-source", "low"),
    allow("flux resume ks apps -n flux-system", "low"),
    allow("flux reconcile hr web -n staging", "low"),
    allow("flux reconcile source git infra -n flux-system", "low"),
    deny("flux reconcile helmrelease web -n prod", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
  ]),

  ...section("confirmation by risk", [
    confirm("kubectl scale deployment/web -n staging --replicas=0", "high"),
    confirm("kubectl scale deployment/web -n staging --replicas 0", "high"),
    confirm("kubectl scale deployment/web -n staging --replicas=1", "medium"),
    confirm("kubectl cordon worker-1", "medium"),
    confirm("kubectl cordon node/worker-1", "medium"),
    allow("kubectl uncordon worker-1", "low"),
    confirm("kubectl drain worker-1 --ignore-daemonsets --delete-emptydir-data --timeout=5m", "high"),
    confirm("kubectl drain worker-1 --ignore-daemonsets --force", "high"),
    confirm("kubectl drain worker-1 --ignore-daemonsets --grace-period=0", "high"),
    confirm("kubectl drain worker-1 --ignore-daemonsets --disable-eviction", "high"),
    confirm("kubectl delete job old -n dev --grace-period=30", "medium"),
    confirm("kubectl delete job old -n dev --force", "high"),
    confirm("kubectl delete job old -n dev --grace-period=0", "high"),
    confirm("kubectl delete job old -n dev --force=true", "high"),
    confirm("kubectl delete job old -n dev --force=false", "medium"),
    confirm("kubectl patch kustomization apps -n flux-system --type=merge -p '{\"spec\":{\"suspend\":true}}'", "medium"),
    allow("kubectl patch kustomization apps -n flux-system --type=merge -p '{\"spec\":{\"suspend\":false}}'", "low"),
  ]),

  ...section("forbidden verbs and their suggestions", [
    deny("kubectl delete pod web-0 -n dev", "FORBIDDEN", { suggestion: "kubectl rollout restart deployment/<owner> -n dev" }),
    deny("kubectl delete po/web-0 -n shop", "FORBIDDEN", { suggestion: "kubectl rollout restart deployment/<owner> -n shop" }),
    deny("kubectl delete deployment web -n dev", "FORBIDDEN", { suggestion: "kubectl scale deployment/web -n dev --replicas=0" }),
    deny("kubectl delete sts db -n dev", "FORBIDDEN", { suggestion: "kubectl scale statefulset/db -n dev --replicas=0" }),
    deny("kubectl delete namespace/dev", "FORBIDDEN"),
    deny("kubectl exec web-0 -n dev -- ls /", "FORBIDDEN"),
    deny("kubectl exec web-0 -n dev", "FORBIDDEN", { suggestion: "kubectl logs <name> -n dev" }),
    deny("kubectl cp dev/web-0:/etc/passwd ./passwd", "FORBIDDEN"),
    deny("kubectl apply -f deploy.yaml", "FORBIDDEN", { suggestion: "flux reconcile kustomization <name> -n flux-system" }),
    deny("kubectl apply -k ./overlays/prod -n prod", "FORBIDDEN"),
    deny("kubectl create -f job.yaml", "FORBIDDEN"),
    deny("kubectl -n dev create --edit job x --from=cronjob/y", "FORBIDDEN"),
    deny("kubectl replace -f deploy.yaml", "FORBIDDEN"),
    deny("kubectl set image deployment/web web=nginx:1.27 -n dev", "FORBIDDEN"),
    deny("kubectl config view -o yaml", "FORBIDDEN"),
    deny("kubectl config current-context", "FORBIDDEN"),
    deny("kubectl auth can-i delete pods -n dev", "VERB_NOT_ALLOWED"),
    deny("kubectl api-versions", "VERB_NOT_ALLOWED"),
  ]),

  ...section("programs and verbs rag-k8s does not know", [
    deny("./kubectl get pods -n dev", "BINARY_NOT_ALLOWED"),
    deny("KUBECTL get pods -n dev", "BINARY_NOT_ALLOWED"),
    deny("sudo kubectl get pods -n dev", "BINARY_NOT_ALLOWED"),
    deny("env KUBECONFIG=/tmp/x kubectl get pods -n dev", "BINARY_NOT_ALLOWED"),
    deny("kubectl run x --image=busybox -n dev", "UNKNOWN_VERB"),
    deny("kubectl debug node/worker-1 -it --image=busybox", "UNKNOWN_VERB"),
    deny("kubectl certificate approve csr-1", "UNKNOWN_VERB"),
    deny("kubectl GET pods -n dev", "UNKNOWN_VERB"),
    deny("kubectl rollout deployment/web -n dev", "UNKNOWN_VERB"),
    deny("kubectl config set-context x --user=admin", "UNKNOWN_VERB"),
    deny("kubectl plugin list", "UNKNOWN_VERB"),
    deny("flux install", "UNKNOWN_VERB"),
    deny("flux delete ks apps -n flux-system", "UNKNOWN_VERB"),
  ]),

  ...section("cluster-scoped objects", [
    allow("kubectl get nodes"),
    allow("kubectl get no worker-1 -o wide"),
    allow("kubectl get namespaces --show-labels"),
    allow("kubectl get ns dev -o yaml"),
    allow("kubectl get pv"),
    allow("kubectl describe node worker-1"),
    allow("kubectl top node"),
    allow("kubectl top nodes --sort-by=cpu"),
    allow("kubectl top no worker-1"),
    allow("kubectl api-resources"),
    allow("kubectl api-resources --namespaced=true -o name"),
    allow("kubectl version"),
    allow("kubectl version --client -o json"),
    deny("kubectl describe node worker-1 -n dev", "NAMESPACE_ON_CLUSTER_SCOPED"),
    deny("kubectl get pv -n dev", "NAMESPACE_ON_CLUSTER_SCOPED"),
    deny("kubectl get nodes -A", "NAMESPACE_ON_CLUSTER_SCOPED"),
    deny("kubectl cordon worker-1 -n prod", "FLAG_NOT_ALLOWED"),
    deny("kubectl annotate node worker-1 reconcile.fluxcd.io/requestedAt=now", "VERB_NOT_ALLOWED_ON_CLUSTER"),
    deny("kubectl logs node/worker-1", "VERB_NOT_ALLOWED_ON_CLUSTER"),
    deny("kubectl version -n dev", "FLAG_NOT_ALLOWED"),
  ]),

  ...section("all namespaces", [
    allow("kubectl get pods -A --field-selector=spec.nodeName=worker-3"),
    allow("kubectl describe pods -A -l app=web"),
    allow("kubectl events -A"),
    allow("kubectl get events -A --sort-by=.lastTimestamp"),
    deny("flux get ks -A", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
    deny("kubectl get pods -A -n prod", "NAMESPACE_CONFLICT"),
    deny("kubectl get pods -A", "NAMESPACE_MISMATCH", { namespace: "dev" }),
    deny("kubectl delete jobs -A -l app=backup", "ALL_NAMESPACES_MUTATION"),
    deny("kubectl annotate ks apps --all-namespaces=true reconcile.fluxcd.io/requestedAt=now", "ALL_NAMESPACES_MUTATION"),
    deny("kubectl get secrets -A", "SECRET_READ"),
  ]),

  ...section("the namespace a command must name", [
    deny("kubectl events", "NAMESPACE_REQUIRED"),
    deny("kubectl get pods", "NAMESPACE_REQUIRED", { namespace: "dev" }),
    allow("kubectl get pods -n dev", "none", { namespace: "dev" }),
    confirm("kubectl scale deploy/web --replicas=2 -n staging", "medium", { namespace: "staging" }),
    deny("kubectl get pods -n prod", "NAMESPACE_MISMATCH", { namespace: "dev" }),
    deny("kubectl rollout restart deployment/web -n prod", "NAMESPACE_MISMATCH", { namespace: "staging" }),
    deny("kubectl get pods -n dev --namespace=prod", "NAMESPACE_CONFLICT"),
    deny("kubectl get pods -n ''", "INVALID_NAME"),
    deny("kubectl get pods -n dev.example", "INVALID_NAME"),
  ]),

  ...section("identity and target flags", [
    deny("kubectl get pods -n dev --kubeconfig /tmp/x", "IDENTITY_FLAG"),
    deny("kubectl --kubeconfig /tmp/x get pods -n dev", "IDENTITY_FLAG"),
    deny("kubectl --cluster other get pods -n dev", "IDENTITY_FLAG"),
    deny("kubectl --user admin get pods -n dev", "IDENTITY_FLAG"),
    deny("kubectl --server https://evil:6443 get pods -n dev", "IDENTITY_FLAG"),
    deny("kubectl --token abc get pods -n dev", "IDENTITY_FLAG"),
    deny("kubectl --as system:admin get pods -n dev", "IDENTITY_FLAG"),
    deny("kubectl --insecure-skip-tls-verify get pods -n dev", "IDENTITY_FLAG"),
    deny("kubectl get pods -n dev --Kubeconfig=/tmp/x", "IDENTITY_FLAG"),
    deny("kubectl get pods -n dev --overrides={}", "IDENTITY_FLAG"),
    deny("kubectl rollout restart deployment/web -n prod --as=admin", "IDENTITY_FLAG"),
    deny("kubectl scale deployment/web -n staging --replicas=2 --context=prod", "IDENTITY_FLAG"),
    deny("kubectl drain worker-1 --ignore-daemonsets --kubeconfig=/tmp/x", "IDENTITY_FLAG"),
    deny("kubectl cordon worker-1 -s https://evil", "IDENTITY_FLAG"),
    deny("kubectl exec web-0 -n dev --kubeconfig=/tmp/x -- sh", "IDENTITY_FLAG"),
    deny("flux --context=prod get ks -n flux-system", "IDENTITY_FLAG"),
    deny("kubectl get pods -n dev --sort-by --kubeconfig=/tmp/x", "FLAG_VALUE_MISSING"),
    deny("kubectl top node --sort-by --kubeconfig=/tmp/x", "FLAG_VALUE_MISSING"),
  ]),

  ...section("shell operators and quoting", [
    deny("kubectl get pods -n dev|sh", "SHELL_OPERATOR"),
    deny("kubectl get pods -n dev>/tmp/out", "SHELL_OPERATOR"),
    deny("kubectl get pods -n dev 2>&1", "SHELL_OPERATOR"),
    deny("kubectl get pods -n dev$(id)", "SHELL_OPERATOR"),
    deny("kubectl get pods -n dev &", "SHELL_OPERATOR"),
    deny('kubectl get pods -n "${NS}"', "SHELL_OPERATOR"),
    deny("kubectl get pods -l ';' -n dev", "INVALID_SELECTOR"),
    deny("kubectl get pods -l '$(id)' -n dev", "INVALID_SELECTOR"),
    deny("kubectl get pods -l 'a=b && c' -n dev", "INVALID_SELECTOR"),
    deny("kubectl get pods -n dev \\;", "INVALID_NAME"),
  ]),

  ...section("control characters", [
    deny("kubectl get pods -n dev\r\nkubectl delete ns dev", "CONTROL_CHARACTER"),
    deny("kubectl get pods -n dev\u000b", "CONTROL_CHARACTER"),
    deny("kubectl get pods -n dev\u000c", "CONTROL_CHARACTER"),
    deny("kubectl get pods -n dev\u007f", "CONTROL_CHARACTER"),
    deny("kubectl\tget\tpods\t-n\tdev", "CONTROL_CHARACTER"),
    deny("'kubectl get pods -n dev\n'", "CONTROL_CHARACTER"),
    deny("\t", "CONTROL_CHARACTER"),
  ]),

  ...section("unicode look-alikes", [
    ...LOOKALIKE_DASHES.map((dash) => deny(`kubectl get pods -n dev ${dash}${dash}kubeconfig=/tmp/x`, "NON_ASCII")),
    ...LOOKALIKE_DASHES.map((dash) => deny(`kubectl scale deployment/web -n staging ${dash}${dash}replicas=0`, "NON_ASCII")),
    deny("kub\u0435ctl get pods -n dev", "NON_ASCII"),
    deny("kubectl get pods --nam\u0435space=dev", "NON_ASCII"),
    deny("kubectl get pods -n \uff44\uff45\uff56", "NON_ASCII"),
    deny("\ufeffkubectl get pods -n dev", "NON_ASCII"),
    deny("kubectl get pods -n dev\u2028rm", "NON_ASCII"),
    deny("kubectl get pods -n d\u0117v", "NON_ASCII"),
  ]),

  ...section("secrets", [
    deny("kubectl get secret,pods -n dev -o jsonpath={.items[*].data}", "SECRET_OUTPUT"),
    deny("kubectl get secret db -n dev -o go-template={{.data.password}}", "SECRET_OUTPUT"),
    deny("kubectl get secret db -n dev -o jsonpath-as-json={.data}", "SECRET_OUTPUT"),
    deny("kubectl get secret db -n dev -o template={{.data}}", "SECRET_OUTPUT"),
    deny("kubectl get secrets.v1 -n dev", "SECRET_READ"),
    deny("kubectl get secret -n dev", "SECRET_READ"),
    deny("kubectl get SECRETS -n dev", "SECRET_READ"),
    deny("kubectl get secrets -n dev -o wide", "SECRET_READ"),
    deny("kubectl get pod/web-0 secret/db -n dev", "SECRET_READ"),
  ]),

  ...section("patches", [
    confirm("kubectl patch ks apps -n staging --type merge --patch '{\"spec\":{\"suspend\":true}}'", "medium"),
    confirm("kubectl patch ks/apps -n dev --type=merge --patch='{\"spec\":{\"suspend\":true}}'", "medium"),
    deny("kubectl patch ks/apps -n flux-system --type=merge -p '{\"spec\":{\"suspend\":{\"x\":1}}}'", "PATCH_NOT_ALLOWED"),
    deny("kubectl patch ks/apps -n flux-system --type=merge -p '{\"spec.suspend\":true}'", "PATCH_NOT_ALLOWED"),
    deny("kubectl patch ks/apps -n flux-system --type=merge -p '{\"spec\":{}}'", "PATCH_NOT_ALLOWED"),
    deny("kubectl patch ks/apps -n flux-system --type=merge -p '{\"spec\":{\"suspend\":null}}'", "PATCH_NOT_ALLOWED"),
    deny("kubectl patch ks/apps -n flux-system --type=merge -p true", "PATCH_NOT_ALLOWED"),
    deny("kubectl patch ks/apps -n flux-system --type=merge -p '[]'", "PATCH_NOT_ALLOWED"),
    deny("kubectl patch ks/apps -n flux-system --type=strategic -p '{\"spec\":{\"suspend\":true}}'", "PATCH_NOT_ALLOWED"),
    deny("kubectl patch ks/apps -n flux-system --type=Merge -p '{\"spec\":{\"suspend\":true}}'", "PATCH_NOT_ALLOWED"),
    deny("kubectl patch cronjob nightly -n staging --type=merge -p '{\"spec\":{\"suspend\":true}}'", "PATCH_NOT_ALLOWED"),
    deny("kubectl patch ks/apps -n flux-system --type=merge -p", "FLAG_VALUE_MISSING"),
    deny("kubectl patch ks/apps -n flux-system --type=merge --patch-file=/tmp/p.json", "FLAG_NOT_ALLOWED"),
    deny("kubectl patch ks/apps -n flux-system --type=merge -p '{\"spec\":{\"suspend\":true}}' -p '{\"spec\":{\"path\":\"x\"}}'", "FLAG_REPEATED"),
    deny("kubectl patch ks/apps -n prod --type=merge -p '{\"spec\":{\"suspend\":true}}'", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
  ]),

  ...section("annotations", [
    allow("kubectl annotate ks apps -n staging reconcile.fluxcd.io/requestedAt-", "low"),
    deny("kubectl annotate ks/apps deploy/web -n staging reconcile.fluxcd.io/requestedAt=now", "ANNOTATION_NOT_ALLOWED"),
    deny("kubectl annotate ks/apps -n prod reconcile.fluxcd.io/requestedAt=now", "VERB_NOT_ALLOWED_IN_NAMESPACE"),
  ]),

  ...section("create job", [
    allow("kubectl create job nightly-rerun-1 -n staging --from cronjob/nightly", "low"),
    deny("kubectl create job x --image=busybox -n staging", "FLAG_NOT_ALLOWED"),
    deny("kubectl create job x --from=job/y -n staging", "CREATE_NOT_ALLOWED"),
    deny("kubectl create job x --from=cronjob/Y -n staging", "CREATE_NOT_ALLOWED"),
    deny("kubectl create job a b --from=cronjob/nightly -n staging", "NAME_REQUIRED"),
    deny("kubectl create job x --from=cronjob/nightly -n staging -- sleep", "NAME_REQUIRED"),
    deny("kubectl create job --from=cronjob/nightly -n staging", "NAME_REQUIRED"),
  ]),

  ...section("flags a verb does not allow", [
    deny("kubectl -v=9 get pods -n dev", "FLAG_NOT_ALLOWED"),
    deny("kubectl get pods -n dev --all_namespaces", "FLAG_NOT_ALLOWED"),
    deny("kubectl get pods -n dev --template={{.}}", "FLAG_NOT_ALLOWED"),
    deny("kubectl get pods -n dev --filename=/etc/passwd", "FLAG_NOT_ALLOWED"),
    deny("kubectl get pods -n dev --profile=cpu", "FLAG_NOT_ALLOWED"),
    deny("kubectl get pods -n dev --warnings-as-errors", "FLAG_NOT_ALLOWED"),
    deny("kubectl get pods -n dev --kuberc=/tmp/rc", "FLAG_NOT_ALLOWED"),
    deny("kubectl scale deploy/web -n dev --replicas=1 --all", "FLAG_NOT_ALLOWED"),
    deny("kubectl rollout restart deployment -n dev --all", "FLAG_NOT_ALLOWED"),
    deny("kubectl delete job x -n dev --now", "FLAG_NOT_ALLOWED"),
    deny("kubectl delete job x -n dev --cascade orphan", "FLAG_VALUE_MISSING"),
    deny("kubectl drain worker-1 --delete-local-data", "FLAG_NOT_ALLOWED"),
    deny("kubectl get pods -n dev --show-labels=1", "INVALID_FLAG_VALUE"),
    deny("kubectl logs web-0 -n dev --tail=ten", "INVALID_FLAG_VALUE"),
    deny("kubectl scale deploy/web -n dev --replicas=two", "INVALID_FLAG_VALUE"),
    deny("kubectl scale deploy/web -n dev --replicas=00", "INVALID_FLAG_VALUE"),
    deny("kubectl get pods -n dev -o templatefile=/etc/passwd", "OUTPUT_NOT_ALLOWED"),
    deny("kubectl get pods -n dev -o GO-TEMPLATE-FILE=/etc/passwd", "OUTPUT_NOT_ALLOWED"),
    deny("kubectl events -n dev -o jsonpath-file=/etc/passwd", "OUTPUT_NOT_ALLOWED"),
    deny("kubectl rollout history deployment/web -n dev -o go-template-file=/etc/passwd", "OUTPUT_NOT_ALLOWED"),
    deny("kubectl version -o jsonpath-file=/etc/passwd", "OUTPUT_NOT_ALLOWED"),
  ]),

  ...section("missing and repeated values", [
    deny("kubectl get pods -n dev -o", "FLAG_VALUE_MISSING"),
    deny("kubectl logs web-0 -n dev --tail", "FLAG_VALUE_MISSING"),
    deny("kubectl scale deploy/web -n dev --replicas", "FLAG_VALUE_MISSING"),
    deny("kubectl get pods -n dev --selector=", "INVALID_SELECTOR"),
    deny("kubectl get pods -n dev -l a=b -l c=d", "FLAG_REPEATED"),
    deny("kubectl get pods -n dev --selector=a=b -l c=d", "FLAG_REPEATED"),
    deny("kubectl scale deploy/web -n dev --replicas=1 --replicas=0", "FLAG_REPEATED"),
    deny("kubectl logs web-0 -n dev --tail=1 --tail=2", "FLAG_REPEATED"),
  ]),

  ...section("reading the command string", [
    deny("", "EMPTY_COMMAND"),
    deny("    ", "EMPTY_COMMAND"),
    deny("kubectl get pods -n 'dev", "UNTERMINATED_QUOTE"),
    deny('kubectl get pods -n dev -l "app=web', "UNTERMINATED_QUOTE"),
    deny("kubectl get pods -n dev\\", "UNTERMINATED_QUOTE"),
    allow("kubectl get pods -n d\\ev"),
    allow("kubectl get pods -n 'd'ev"),
  ]),

  ...section("the end of flags", [
    deny("kubectl get pods -n dev -- -w", "INVALID_NAME"),
  ]),

  ...section("dry runs", [
    deny("kubectl scale deployment/web -n staging --replicas=2 --dry-run=client", "DRY_RUN_CLIENT"),
    deny("kubectl scale deployment/web -n staging --replicas=2 --dry-run=true", "INVALID_FLAG_VALUE"),
    deny("kubectl scale deployment/web -n staging --replicas=2 --dry-run=false", "INVALID_FLAG_VALUE"),
    deny("kubectl scale --dry-run server deployment/web -n staging --replicas=2", "FLAG_VALUE_MISSING"),
    confirm("kubectl scale deployment/web -n staging --replicas=2 --dry-run=server", "medium"),
    confirm("kubectl cordon worker-1 --dry-run=server", "medium"),
    confirm("kubectl drain worker-1 --ignore-daemonsets --dry-run=server", "high"),
    allow("kubectl create job x --from=cronjob/nightly -n staging --dry-run=server", "low"),
    deny("kubectl rollout restart deployment/web -n staging --dry-run=server", "FLAG_NOT_ALLOWED"),
    deny("kubectl get pods -n dev --dry-run=server", "FLAG_NOT_ALLOWED"),
  ]),

  ...section("names, resources and arguments", [
    deny("kubectl get pods web_1 -n dev", "INVALID_NAME"),
    deny("kubectl get pod/../secrets -n dev", "INVALID_NAME"),
    deny("kubectl get pods/ -n dev", "INVALID_NAME"),
    deny("kubectl logs web-0 a b -n dev", "UNEXPECTED_ARGUMENT"),
    deny("kubectl rollout restart deployment/web -n dev x=y", "UNEXPECTED_ARGUMENT"),
    deny("kubectl get , -n dev", "RESOURCE_REQUIRED"),
    deny("kubectl get foo -n dev", "RESOURCE_NOT_ALLOWED"),
    deny("kubectl get networkpolicies -n dev", "RESOURCE_NOT_ALLOWED"),
    deny("kubectl rollout restart deployment -n dev", "NAME_REQUIRED"),
    deny("flux reconcile ks -n flux-system", "NAME_REQUIRED"),
  ]),

  // `TYPE.GROUP` names the API group; a custom resource may reuse a built-in plural in its own group.
  ...section("API groups", [
    allow("kubectl get deployment.apps/web -n dev"),
    allow("kubectl get events.events.k8s.io -n dev"),
    allow("kubectl get events.v1.events.k8s.io -n dev"),
    allow("kubectl get pods.metrics.k8s.io -n dev"),
    allow("kubectl get kustomizations.v1.kustomize.toolkit.fluxcd.io -n flux-system"),
    allow("kubectl get cronjobs.v1beta1.batch -n dev"),
    allow("kubectl get Deployment.Apps -n dev"),
    deny("kubectl get configmaps.evil.example.com -n dev", "RESOURCE_NOT_ALLOWED"),
    deny("kubectl get deployments.v1.evil.io -n dev", "RESOURCE_NOT_ALLOWED"),
    deny("kubectl delete configmaps.evil.io stale -n dev", "RESOURCE_NOT_ALLOWED"),
    deny("kubectl patch kustomizations.evil.io/apps -n flux-system --type=merge -p '{\"spec\":{\"suspend\":true}}'", "RESOURCE_NOT_ALLOWED"),
    deny("kubectl get secrets.evil.io -n dev", "RESOURCE_NOT_ALLOWED"),
    deny("kubectl get secrets.v1. -n dev", "SECRET_READ"),
  ]),

  // Tokens before the verb are read the way kubectl's command finder reads them: an unknown flag there takes
  // the next word, so `kubectl -l get delete pods` runs `delete pods -l get`. Only -n/--namespace and
  // --request-timeout may stand before the verb, so the verb checked is the verb kubectl runs.
  ...section("verb confusion", [
    deny("kubectl -l get delete pods -n dev", "FLAG_NOT_ALLOWED"),
    deny("kubectl --selector get delete jobs -n dev", "FLAG_NOT_ALLOWED"),
    deny("kubectl rollout --selector status restart deployments -n prod", "FLAG_NOT_ALLOWED"),
    deny("kubectl rollout -w status restart deployment/web -n prod", "FLAG_NOT_ALLOWED"),
    deny("kubectl -o yaml get secrets -n dev", "FLAG_NOT_ALLOWED"),
    deny("kubectl --all-namespaces get pods", "FLAG_NOT_ALLOWED"),
    deny("kubectl -n dev -l get delete pods", "FLAG_NOT_ALLOWED"),
    allow("kubectl --request-timeout 5s get pods -n dev"),
    allow("kubectl --request-timeout=5s get pods -n dev"),
    confirm("kubectl rollout -n prod restart deployment/web", "low"),
    confirm("kubectl -n prod rollout restart deployment/web", "low"),
  ]),
];

/** The largest command accepted: 8 KiB. */
export const LONGEST = `kubectl get pods -n dev${" ".repeat(8192 - "kubectl get pods -n dev".length)}`;
