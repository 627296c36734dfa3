/**
 * What a read may name. Reads work on any kind, custom resources included, so instead of an allow-list of
 * kinds these checks say which spellings are kinds at all, which kinds carry credentials, and which names
 * expand on the server to kinds rag-k8s cannot see.
 */

/** A resource type after lower-casing: a plural (DNS-1035 label), then `.version.group` segments; kubectl reads a trailing dot as the core group. */
const RESOURCE_TYPE = /^[a-z]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\.?$/;

export function isResourceType(resource: string): boolean {
  return resource.length <= 253 && RESOURCE_TYPE.test(resource);
}

const firstSegment = (resource: string): string => {
  const dot = resource.indexOf(".");
  return dot === -1 ? resource : resource.slice(0, dot);
};

/**
 * Whether a policy's list of kinds names this resource. Compared by plural as well as in full, both ways:
 * `certificates` and `certificates.cert-manager.io` are taken to be the same kind, since a bare plural may
 * resolve to any group on the server.
 */
export function kindListed(resource: string, kinds: ReadonlySet<string>): boolean {
  if (kinds.size === 0) return false;
  if (kinds.has(resource)) return true;
  const first = firstSegment(resource);
  for (const kind of kinds) if (firstSegment(kind) === first) return true;
  return false;
}

/**
 * Whether a (normalized) resource is, or may be, Secret objects: `secrets` in any spelling and in any group
 * (`secrets.v1.`, `secret.evil.io` — a custom resource named like Secret is treated as one), plus the kinds a
 * policy lists as carrying credentials.
 */
export function isSecretKind(resource: string, extra: ReadonlySet<string>): boolean {
  const first = firstSegment(resource);
  return first === "secrets" || first === "secret" || kindListed(resource, extra);
}

/**
 * Category names: the server expands them to every kind that declares the category, custom resources
 * included, so a verdict cannot know which kinds (and fields) such a read prints.
 */
export const CATEGORIES: ReadonlySet<string> = new Set(["all"]);

/** Words that quantify over objects; a plan that writes `deployment/every` misread a request, whatever kubectl would do. */
export const QUANTIFIERS: ReadonlySet<string> = new Set(["all", "any", "each", "every", "everything"]);
