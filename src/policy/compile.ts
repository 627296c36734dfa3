import type { RiskLevel } from "../cards/vocabulary.js";
import type { NamespaceRuleConfig, PolicyConfig } from "./schema.js";

export type FieldType = "boolean" | "string" | "integer";

export interface NamespaceRule {
  readonly verbs: ReadonlySet<string>;
  readonly confirmMutations: boolean;
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
  readonly namespaces: ReadonlyMap<string, NamespaceRule>;
  readonly defaultRule: NamespaceRule;
  readonly cluster: NamespaceRule;
}

const rule = (config: NamespaceRuleConfig): NamespaceRule => ({ verbs: new Set(config.verbs), confirmMutations: config.confirmMutations });

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

export function compilePolicy(config: PolicyConfig, dir: string): Policy {
  const namespaces = new Map(Object.entries(config.namespaces).map(([name, r]) => [name, rule(r)]));
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
    namespaces,
    defaultRule: namespaces.get("default") as NamespaceRule,
    cluster: rule(config.cluster),
  };
}
