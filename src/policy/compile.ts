import { normalizeResource } from "../kube/index.js";
import type { RiskLevel } from "./risk.js";
import { canonicalFieldPath } from "./output.js";
import type { NamespaceRuleConfig, PolicyConfig, ServerModes } from "./schema.js";
import { ServerModesSchema } from "./schema.js";

export type FieldType = "boolean" | "string" | "integer";

export interface NamespaceRule {
  readonly verbs: ReadonlySet<string>;
  readonly confirmMutations: boolean;
  /** Refuse delete, drain, scale to 0 and rollout undo even where the verb is listed. */
  readonly denyDestructive: boolean;
}

export interface ForbiddenRule {
  readonly resource?: string;
  readonly reason: string;
  readonly suggestion?: string;
}

export interface PatchRule {
  readonly type: "merge" | "strategic" | "json";
  readonly fields: ReadonlyMap<string, FieldType>;
}

/** Unlisted namespaces whose name looks like production. */
export interface ProdLike {
  readonly rule: NamespaceRule;
  readonly words: ReadonlySet<string>;
  readonly pattern: RegExp | null;
}

/** Server modes as applied: see withServerModes. */
export interface ActiveModes {
  readonly readOnly: boolean;
  readonly disableDestructive: boolean;
  /** Canonical kinds (built-in aliases resolved), from the policy files and the server's configuration. */
  readonly deniedKinds: ReadonlySet<string>;
}

/** A loaded policy, with every list turned into a set or map once so a verdict costs lookups only. */
export interface Policy {
  /** The folder it was loaded from. */
  readonly dir: string;
  /** The validated policy files, for display. */
  readonly config: PolicyConfig;
  readonly binaries: readonly string[];
  readonly verbs: ReadonlySet<string>;
  readonly resources: ReadonlySet<string>;
  readonly forbidden: ReadonlyMap<string, readonly ForbiddenRule[]>;
  readonly allowSecretGet: boolean;
  readonly patches: ReadonlyMap<string, readonly PatchRule[]>;
  readonly annotations: ReadonlyMap<string, ReadonlySet<string>>;
  readonly labels: ReadonlyMap<string, ReadonlySet<string>>;
  readonly confirmRisks: ReadonlySet<RiskLevel>;
  readonly confirmVerbs: ReadonlySet<string>;
  readonly allNamespacesReads: boolean;
  readonly anyKindReads: boolean;
  readonly secretKinds: ReadonlySet<string>;
  readonly clusterKinds: ReadonlySet<string>;
  /** Canonical JSONPath fields (see output.ts) that may be printed bare, per resource. */
  readonly fieldPaths: ReadonlyMap<string, ReadonlySet<string>>;
  readonly namespaces: ReadonlyMap<string, NamespaceRule>;
  readonly prodLike: ProdLike;
  readonly unlisted: NamespaceRule;
  readonly cluster: NamespaceRule;
  readonly modes: ActiveModes;
}

const rule = (config: NamespaceRuleConfig): NamespaceRule => ({
  verbs: new Set(config.verbs),
  confirmMutations: config.confirmMutations,
  denyDestructive: config.denyDestructive,
});

function groupBy<T, V>(items: readonly T[], key: (item: T) => string, value: (item: T) => V): Map<string, V[]> {
  const map = new Map<string, V[]>();
  for (const item of items) {
    const k = key(item);
    map.set(k, [...(map.get(k) ?? []), value(item)]);
  }
  return map;
}

function keySets(rules: readonly { resource: string; keys: readonly string[] }[]): Map<string, ReadonlySet<string>> {
  return new Map([...groupBy(rules, (r) => r.resource, (r) => r.keys)].map(([resource, keys]) => [resource, new Set(keys.flat())]));
}

/** Kind lists are compared by canonical name: `Secret`, `deploy`, `Certificates.cert-manager.io` → one spelling. */
const kinds = (names: readonly string[]): ReadonlySet<string> => new Set(names.map(normalizeResource));

export function compilePolicy(config: PolicyConfig, dir: string): Policy {
  const { words, pattern, ...prodRule } = config.prodLikeNamespaces;
  return {
    dir,
    config,
    binaries: config.binaries,
    verbs: new Set(config.verbs),
    resources: new Set(config.resources),
    forbidden: groupBy(
      config.forbidden,
      (f) => f.verb,
      (f): ForbiddenRule => ({
        ...(f.resource !== undefined ? { resource: f.resource } : {}),
        reason: f.reason,
        ...(f.suggestion !== undefined ? { suggestion: f.suggestion } : {}),
      }),
    ),
    allowSecretGet: config.secrets.allowGet,
    patches: groupBy(config.patches, (p) => p.resource, (p): PatchRule => ({ type: p.type, fields: new Map(Object.entries(p.fields)) })),
    annotations: keySets(config.annotations),
    labels: keySets(config.labels),
    confirmRisks: new Set(config.confirm.risks),
    confirmVerbs: new Set(config.confirm.verbs),
    allNamespacesReads: config.allNamespacesReads,
    anyKindReads: config.anyKindReads,
    secretKinds: kinds(config.secretKinds),
    clusterKinds: kinds(config.clusterScopedKinds),
    fieldPaths: new Map(
      [...groupBy(config.fieldPaths, (f) => f.resource, (f) => canonicalFieldPath(f.path))].map(([resource, paths]) => [
        resource,
        new Set(paths.filter((p): p is string => p !== null)),
      ]),
    ),
    namespaces: new Map(Object.entries(config.namespaces).map(([name, r]) => [name, rule(r)])),
    prodLike: { rule: rule(prodRule), words: new Set(words), pattern: pattern === undefined ? null : new RegExp(pattern) },
    unlisted: rule(config.unlistedNamespaces),
    cluster: rule(config.cluster),
    modes: { readOnly: false, disableDestructive: false, deniedKinds: kinds(config.deniedKinds) },
  };
}

/**
 * The policy with server modes applied (`--read-only`, `--disable-destructive`, denied kinds from
 * configuration). Modes only ever narrow: kinds denied by the policy files stay denied, and a mode already on
 * stays on. Throws a ZodError for input that is not ServerModes.
 */
export function withServerModes(policy: Policy, modes: ServerModes): Policy {
  const parsed = ServerModesSchema.parse(modes);
  return {
    ...policy,
    modes: {
      readOnly: policy.modes.readOnly || parsed.readOnly,
      disableDestructive: policy.modes.disableDestructive || parsed.disableDestructive,
      deniedKinds: new Set([...policy.modes.deniedKinds, ...kinds(parsed.deniedKinds)]),
    },
  };
}
