import { badRequest } from "./status.js";
import { clone, isRecord } from "./types.js";
import type { Json, KubeObject } from "./types.js";

/**
 * The authentication and authorization reviews a client creates to learn who it is and what it may
 * do. The sandbox has no RBAC (policy lives in rag-k8s): the token holder is a cluster admin, so the
 * answers are the ones a real server gives a member of system:masters.
 */

const SANDBOX_USER = { username: "rag-k8s-sandbox-admin", groups: ["system:masters", "system:authenticated"] };

const REVIEW_KINDS = new Set(["SelfSubjectAccessReview", "SelfSubjectRulesReview", "SelfSubjectReview"]);

export function isReviewKind(kind: string): boolean {
  return REVIEW_KINDS.has(kind);
}

/** The created review: the request echoed back with its status filled in (reviews are never stored). */
export function answerReview(kind: string, apiVersion: string, body: unknown): KubeObject {
  const review: Json = isRecord(body) ? clone(body) : {};
  const metadata = { ...(isRecord(review["metadata"]) ? review["metadata"] : {}), creationTimestamp: null };
  const base = { ...review, apiVersion, kind, metadata } as unknown as KubeObject;
  switch (kind) {
    case "SelfSubjectAccessReview": {
      const spec = isRecord(review["spec"]) ? review["spec"] : {};
      if (!isRecord(spec["resourceAttributes"]) && !isRecord(spec["nonResourceAttributes"])) {
        throw badRequest(`SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified`);
      }
      return { ...base, status: { allowed: true, reason: "the rag-k8s sandbox authorizes every authenticated request" } };
    }
    case "SelfSubjectRulesReview": {
      const spec = isRecord(review["spec"]) ? review["spec"] : {};
      if (typeof spec["namespace"] !== "string" || spec["namespace"] === "") throw badRequest(`SelfSubjectRulesReview.authorization.k8s.io "" is invalid: spec.namespace: Required value`);
      return {
        ...base,
        status: {
          resourceRules: [
            { verbs: ["create"], apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"] },
            { verbs: ["create"], apiGroups: ["authentication.k8s.io"], resources: ["selfsubjectreviews"] },
            { verbs: ["*"], apiGroups: ["*"], resources: ["*"] },
          ],
          nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }],
          incomplete: false,
        },
      };
    }
    default:
      return { ...base, status: { userInfo: { username: SANDBOX_USER.username, groups: SANDBOX_USER.groups } } };
  }
}
