import type { Intent, Resource } from "../cards/vocabulary.js";

export type Severity = "critical" | "warning" | "info";
export const SEVERITIES: readonly Severity[] = ["critical", "warning", "info"];

/** What the pipeline runs for diagnose: one policy-checked, read-only kubectl call (argv without the binary's targets). */
export type ReadFn = (argv: string[]) => Promise<{ code: number | null; stdout: string; stderr: string }>;

export interface ObjectRef {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** A request rag-k8s accepts as is (exec/plan input); every value in it was validated first. */
export interface NextRequest {
  readonly intent: Intent;
  readonly resource: Resource;
  readonly namespace?: string;
  readonly name?: string;
  readonly selector?: string;
  /** Words that steer the choice between cards of the same intent and resource (e.g. crash loop vs image pull). */
  readonly goal?: string;
  readonly params?: Readonly<Record<string, string | number | boolean>>;
}

export interface NextOperation {
  readonly cardId: string;
  readonly request: NextRequest;
  /** true: it changes the cluster, so it needs the user's approval (and the policy may still refuse it). */
  readonly changesCluster: boolean;
  /** The policy's answer for this request when the caller could ask it (see DiagnoseOptions.decide). */
  readonly decision?: "allow" | "confirm";
}

export interface Finding {
  readonly severity: Severity;
  readonly object: ObjectRef;
  /** A short name for the problem: CrashLoopBackOff, ImagePullBackOff, ProgressDeadlineExceeded … */
  readonly problem: string;
  /** One or two lines of what the cluster says; text from the cluster is quoted and shortened. */
  readonly evidence: readonly string[];
  /** The read-only operation that shows why. */
  readonly next?: NextOperation;
  /** A change that may repair it; never run without the user's approval. */
  readonly fix?: NextOperation;
}

export interface SourceProblem {
  /** What was read, e.g. "pods,deployments,statefulsets,daemonsets,jobs" or "helmreleases". */
  readonly source: string;
  readonly reason: string;
}

export interface HealthReport {
  /** "all namespaces" or "namespace NAME". */
  readonly scope: string;
  /** How many objects of each kind were looked at. */
  readonly checked: Readonly<Record<string, number>>;
  /** Findings that fit the budget, most severe first. */
  readonly findings: readonly Finding[];
  /** Counts of all findings by severity, shown or not. */
  readonly totals: Readonly<Record<Severity, number>>;
  /** Findings left out to stay within the budget, by severity. */
  readonly omitted: Readonly<Record<Severity, number>>;
  /** Sources that could not be read (a Flux kind the cluster does not serve is not one). */
  readonly unavailable: readonly SourceProblem[];
  /** Kinds the cluster does not serve (no Flux, no HelmReleases): nothing to check there. */
  readonly notServed: readonly string[];
  /** Token budget and the tokens the larger of the text and JSON renderings uses (cl100k_base). */
  readonly budgetTokens: number;
  readonly tokens: number;
}
