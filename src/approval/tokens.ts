import { createHmac, randomFillSync, timingSafeEqual } from "node:crypto";
import { loadOrCreateSecret } from "./secret.js";
import { UsedTokens } from "./used.js";

/** What an approval is for: exactly this command, on this cluster, in this namespace. */
export interface ApprovalBinding {
  /** Every step's argv as the policy engine parsed it (without the target arguments rag-k8s adds). */
  readonly argv: readonly (readonly string[])[];
  /** Where it runs: "sandbox", or "<context>@<server>". */
  readonly target: string;
  /** The namespace the request named (null for cluster-scoped operations). */
  readonly namespace: string | null;
}

export interface IssuedToken {
  readonly token: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

export type RedeemFailure = "malformed" | "unknown" | "expired" | "mismatch" | "used";

export type RedeemResult = { readonly ok: true } | { readonly ok: false; readonly reason: RedeemFailure; readonly message: string };

export interface Approvals {
  /** A token approving exactly `binding`, valid once, until `expiresAt`. */
  issue(binding: ApprovalBinding): IssuedToken;
  /**
   * Uses up `token` if it was issued by this installation for exactly `binding` and is neither expired nor
   * used. A token presented with another binding is not used up (so a wrong guess cannot burn it).
   */
  redeem(token: string, binding: ApprovalBinding): RedeemResult;
}

export interface ApprovalsOptions {
  /** The installation's secret (created 0600 on first use); see defaultApprovalPaths. */
  readonly secretPath: string;
  /** Folder recording redeemed tokens across processes; null keeps them in this process only. */
  readonly usedDir: string | null;
  /** How long a token stays valid (default 10 minutes). */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

export const DEFAULT_TOKEN_TTL_MS = 10 * 60_000;

const PREFIX = "rk1";
const B64_16 = "[A-Za-z0-9_-]{22}";
/** `rk1.<nonce>.<expiry, base 36 ms>.<binding tag>.<mac>`: 128-bit random nonce, 128-bit HMAC tags. */
export const CONFIRM_TOKEN_PATTERN = new RegExp(`^${PREFIX}\\.(${B64_16})\\.([0-9a-z]{1,11})\\.(${B64_16})\\.(${B64_16})$`);
const TAG_BYTES = 16;

/**
 * A time inside argv (RFC 3339, e.g. a reconcile annotation's requestedAt) is the moment of planning, so it
 * differs between the plan the person approved and the same plan made again when the approval arrives.
 * It is the only part of an argv that may differ; every other character is bound.
 */
const INSTANT = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g;

const NONCE_BYTES = 16;
/** Random bytes for nonces, drawn from the CSPRNG 256 nonces at a time (one system call each, not one per token); each byte is used once. */
const noncePool = Buffer.alloc(NONCE_BYTES * 256);
let noncePoolAt = noncePool.length;

/** A fresh 128-bit random nonce, base64url. */
function freshNonce(): string {
  if (noncePoolAt === noncePool.length) {
    randomFillSync(noncePool);
    noncePoolAt = 0;
  }
  const nonce = noncePool.toString("base64url", noncePoolAt, noncePoolAt + NONCE_BYTES);
  noncePoolAt += NONCE_BYTES;
  return nonce;
}

function canonicalBinding(binding: ApprovalBinding): string {
  const argv = binding.argv.map((step) => step.map((arg) => arg.replace(INSTANT, "<instant>")));
  return JSON.stringify([argv, binding.target, binding.namespace]);
}

/** An argv no one can change any more: it may be remembered by identity. */
function isFrozenArgv(argv: ApprovalBinding["argv"]): boolean {
  return Object.isFrozen(argv) && argv.every((step) => Object.isFrozen(step));
}

/**
 * Binding tags by the binding's argv. A memoized plan hands out one frozen argv, so a plan asked for again (an
 * agent retrying, an approval arriving) reuses its tag; an argv that is not frozen could change under the
 * cache and is tagged afresh every time.
 */
class BindingTags {
  private readonly byArgv = new WeakMap<object, { readonly target: string; readonly namespace: string | null; readonly tag: Buffer }>();

  constructor(private readonly compute: (binding: ApprovalBinding) => Buffer) {}

  of(binding: ApprovalBinding): Buffer {
    if (!isFrozenArgv(binding.argv)) return this.compute(binding);
    const known = this.byArgv.get(binding.argv);
    if (known !== undefined && known.target === binding.target && known.namespace === binding.namespace) return known.tag;
    const tag = this.compute(binding);
    this.byArgv.set(binding.argv, { target: binding.target, namespace: binding.namespace, tag });
    return tag;
  }
}

const MESSAGES: Record<RedeemFailure, string> = {
  malformed: "the confirmToken is not a rag-k8s approval token; use the confirmToken of the awaiting_confirmation answer",
  unknown: "the confirmToken was not issued by this rag-k8s installation, or was altered; plan again and approve the new token",
  expired: "the confirmToken has expired; plan again and approve the new token",
  mismatch: "the confirmToken approves a different command, target or namespace; show this plan to the person and approve its own token",
  used: "the confirmToken was already used; plan again and approve the new token",
};

function failure(reason: RedeemFailure): RedeemResult {
  return { ok: false, reason, message: MESSAGES[reason] };
}

/**
 * Confirmation tokens a model cannot make up: HMAC-SHA256 under a per-installation secret that never leaves
 * the machine. A token carries a random nonce, its expiry, a tag binding it to the command, and a MAC over
 * the three; tags are compared in constant time. The binding tag depends on the command alone (the MAC makes
 * each token unique and unforgeable), so the two checks stay apart: a token altered or made up is "unknown",
 * a genuine one shown with another command is "mismatch". The secret is read (or created) at the first
 * issue or redeem.
 */
export function createApprovals(options: ApprovalsOptions): Approvals {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? DEFAULT_TOKEN_TTL_MS;
  if (!Number.isInteger(ttlMs) || ttlMs < 1) throw new RangeError(`ttlMs must be an integer ≥ 1, got ${ttlMs}`);
  const used = new UsedTokens(options.usedDir, now);
  let secret: Buffer | undefined;
  const key = (): Buffer => (secret ??= loadOrCreateSecret(options.secretPath));

  const tag = (...parts: string[]): Buffer => createHmac("sha256", key()).update(parts.join("\0")).digest().subarray(0, TAG_BYTES);
  // v2: the binding tag no longer covers the nonce; a v1 token (issued before an upgrade) fails its MAC as "unknown".
  const bindingTags = new BindingTags((binding) => tag("rag-k8s approval binding v2", canonicalBinding(binding)));
  const tokenMac = (nonce: string, expiry: string, bound: string): Buffer => tag("rag-k8s approval token v2", nonce, expiry, bound);

  return {
    issue(binding) {
      const nonce = freshNonce();
      const expiresAt = now() + ttlMs;
      const expiry = expiresAt.toString(36);
      const bound = bindingTags.of(binding).toString("base64url");
      const mac = tokenMac(nonce, expiry, bound).toString("base64url");
      return { token: [PREFIX, nonce, expiry, bound, mac].join("."), expiresAt };
    },

    redeem(token, binding) {
      const parts = typeof token === "string" ? CONFIRM_TOKEN_PATTERN.exec(token) : null;
      if (!parts) return failure("malformed");
      const [, nonce, expiry, bound, mac] = parts as unknown as [string, string, string, string, string];
      const claimedMac = Buffer.from(mac, "base64url");
      const claimedBinding = Buffer.from(bound, "base64url");
      // 22 base64url characters can carry bits past 128; a non-canonical spelling is a different token.
      if (claimedMac.toString("base64url") !== mac || claimedBinding.toString("base64url") !== bound) return failure("malformed");
      if (!timingSafeEqual(tokenMac(nonce, expiry, bound), claimedMac)) return failure("unknown");
      const expiresAt = parseInt(expiry, 36);
      if (now() >= expiresAt) return failure("expired");
      if (!timingSafeEqual(bindingTags.of(binding), claimedBinding)) return failure("mismatch");
      return used.claim(nonce, expiresAt) === "claimed" ? { ok: true } : failure("used");
    },
  };
}
