import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  ApprovalSecretError,
  ApprovalStoreError,
  CONFIRM_TOKEN_PATTERN,
  createApprovals,
  defaultApprovalPaths,
  type ApprovalBinding,
  type ApprovalsOptions,
} from "../../src/approval/index.js";

const root = mkdtempSync(join(tmpdir(), "rag-k8s-approval-"));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
function paths(): { secretPath: string; usedDir: string } {
  const dir = join(root, `i${dirs++}`);
  return { secretPath: join(dir, "approval", "secret"), usedDir: join(dir, "approval", "used") };
}

const T0 = Date.parse("2026-06-01T12:00:00Z");
const binding: ApprovalBinding = {
  argv: [["kubectl", "scale", "deployment/web", "--replicas=0", "-n", "shop"]],
  target: "prod@https://10.0.0.1:6443",
  namespace: "shop",
};

function approvals(options: Partial<ApprovalsOptions> = {}) {
  let now = T0;
  const where = paths();
  const made = createApprovals({ ...where, now: () => now, ...options });
  return { ...made, where, advance: (ms: number) => (now += ms) };
}

describe("confirmation tokens", () => {
  it("a token redeems once for exactly its binding", () => {
    const a = approvals();
    const { token, expiresAt } = a.issue(binding);
    assert.match(token, CONFIRM_TOKEN_PATTERN);
    assert.equal(expiresAt, T0 + 10 * 60_000);
    assert.deepEqual(a.redeem(token, binding), { ok: true });
    const again = a.redeem(token, binding);
    assert.equal(again.ok, false);
    assert.equal(!again.ok && again.reason, "used");
    assert.match(!again.ok ? again.message : "", /already used/);
  });

  it("every token is different, even for the same binding", () => {
    const a = approvals();
    const tokens = new Set(Array.from({ length: 100 }, () => a.issue(binding).token));
    assert.equal(tokens.size, 100);
  });

  it("every nonce is fresh, across refills of the random pool (256 nonces each) and across installations", () => {
    const nonceOf = (token: string) => token.split(".")[1] as string;
    const [a, b] = [approvals(), approvals()];
    const nonces = Array.from({ length: 600 }, (_, i) => nonceOf((i % 2 === 0 ? a : b).issue(binding).token));
    assert.equal(new Set(nonces).size, nonces.length);
    // 128 random bits each: no byte position sticks (a pool handed out twice, or never refilled, would show here).
    const bytes = nonces.map((n) => Buffer.from(n, "base64url"));
    assert.ok(bytes.every((n) => n.length === 16));
    for (let i = 0; i < 16; i++) assert.ok(new Set(bytes.map((n) => n[i])).size > 100, `byte ${i} varies`);
  });

  it("expires after the TTL (default 10 minutes; configurable)", () => {
    const a = approvals();
    const first = a.issue(binding).token;
    const second = a.issue(binding).token;
    a.advance(10 * 60_000 - 1);
    assert.deepEqual(a.redeem(first, binding), { ok: true });
    a.advance(1);
    assert.equal((a.redeem(second, binding) as { reason: string }).reason, "expired");
    const short = approvals({ ttlMs: 1000 });
    const token = short.issue(binding).token;
    short.advance(1000);
    assert.equal((short.redeem(token, binding) as { reason: string }).reason, "expired");
    assert.throws(() => createApprovals({ ...paths(), ttlMs: 0 }), RangeError);
  });

  const mismatches: { name: string; binding: ApprovalBinding }[] = [
    { name: "another replica count", binding: { ...binding, argv: [["kubectl", "scale", "deployment/web", "--replicas=1", "-n", "shop"]] } },
    { name: "another deployment", binding: { ...binding, argv: [["kubectl", "scale", "deployment/api", "--replicas=0", "-n", "shop"]] } },
    { name: "an extra argument", binding: { ...binding, argv: [[...(binding.argv[0] as string[]), "--all"]] } },
    { name: "an extra step", binding: { ...binding, argv: [...binding.argv, ["kubectl", "delete", "pod", "x", "-n", "shop"]] } },
    { name: "arguments split differently", binding: { ...binding, argv: [["kubectl", "scale deployment/web", "--replicas=0", "-n", "shop"]] } },
    { name: "steps split differently", binding: { ...binding, argv: [["kubectl", "scale", "deployment/web"], ["--replicas=0", "-n", "shop"]] } },
    { name: "another target", binding: { ...binding, target: "sandbox" } },
    { name: "another context on the same server", binding: { ...binding, target: "staging@https://10.0.0.1:6443" } },
    { name: "another namespace", binding: { ...binding, namespace: "default" } },
    { name: "no namespace", binding: { ...binding, namespace: null } },
    { name: "a namespace named null", binding: { ...binding, namespace: "null" } },
  ];
  // Frozen argvs are what memoized plans hand over: their binding tags are remembered by argv (see BindingTags).
  const frozen = (b: ApprovalBinding): ApprovalBinding => ({ ...b, argv: Object.freeze(b.argv.map((step) => Object.freeze([...step]))) });
  for (const m of mismatches) {
    for (const [how, of] of [["", (b: ApprovalBinding) => b], [" (frozen argv, as a memoized plan gives)", frozen]] as const) {
      it(`refuses a token for ${m.name} without using it up${how}`, () => {
        const a = approvals();
        const issued = of(binding);
        const { token } = a.issue(issued);
        // The same frozen argv with another target or namespace must not find the tag issued for the first.
        const other = m.binding.argv === binding.argv ? { ...m.binding, argv: issued.argv } : of(m.binding);
        const result = a.redeem(token, other);
        assert.equal(result.ok, false);
        assert.equal(!result.ok && result.reason, "mismatch");
        assert.deepEqual(a.redeem(token, issued), { ok: true }, "the rightful redeem still works");
      });
    }
  }

  it("an argv changed after its token was issued no longer matches it (only frozen argvs are remembered)", () => {
    const a = approvals();
    const argv = [["kubectl", "scale", "deployment/web", "--replicas=0", "-n", "shop"]];
    const { token } = a.issue({ ...binding, argv });
    (argv[0] as string[])[3] = "--replicas=100";
    assert.equal((a.redeem(token, { ...binding, argv }) as { reason: string }).reason, "mismatch");
  });

  it("binds everything in argv except the time of planning", () => {
    const a = approvals();
    const at = (t: string): ApprovalBinding => ({ ...binding, argv: [["flux", "reconcile", "kustomization", "apps", `--annotate=requestedAt=${t}`]] });
    const { token } = a.issue(at("2026-06-01T12:00:00Z"));
    assert.deepEqual(a.redeem(token, at("2026-06-01T12:03:10.25Z")), { ok: true });
  });

  it("a token of another installation (another secret) is unknown", () => {
    const mine = approvals();
    const theirs = approvals();
    const { token } = theirs.issue(binding);
    assert.equal((mine.redeem(token, binding) as { reason: string }).reason, "unknown");
  });

  it("a token made up in the right shape is unknown", () => {
    const a = approvals();
    a.issue(binding);
    const b64 = (byte: number) => Buffer.alloc(16, byte).toString("base64url");
    const forged = ["rk1", b64(1), (T0 + 60_000).toString(36), b64(2), b64(3)].join(".");
    assert.match(forged, CONFIRM_TOKEN_PATTERN);
    assert.equal((a.redeem(forged, binding) as { reason: string }).reason, "unknown");
  });

  it("any changed character makes a token unknown or malformed, never valid", () => {
    const a = approvals();
    const { token } = a.issue(binding);
    const alphabet = "AZaz09-_.";
    for (let i = 0; i < token.length; i++) {
      for (const c of alphabet) {
        if (token[i] === c) continue;
        const tampered = token.slice(0, i) + c + token.slice(i + 1);
        const result = a.redeem(tampered, binding);
        assert.ok(!result.ok && ["unknown", "malformed"].includes(result.reason), `changing position ${i} to ${c} gave ${JSON.stringify(result)}`);
      }
    }
    assert.deepEqual(a.redeem(token, binding), { ok: true });
  });

  it("a later expiry written into a token makes it unknown", () => {
    const a = approvals();
    const parts = a.issue(binding).token.split(".");
    parts[2] = (T0 + 24 * 3_600_000).toString(36);
    a.advance(11 * 60_000);
    assert.equal((a.redeem(parts.join("."), binding) as { reason: string }).reason, "unknown");
  });

  const malformed: [string, unknown][] = [
    ["empty", ""],
    ["the old unkeyed 16 hex digits", "0123456789abcdef"],
    ["prefix only", "rk1"],
    ["another version", "rk2.AAAAAAAAAAAAAAAAAAAAAA.abc.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA"],
    ["a part missing", "rk1.AAAAAAAAAAAAAAAAAAAAAA.abc.AAAAAAAAAAAAAAAAAAAAAA"],
    ["an extra part", "rk1.AAAAAAAAAAAAAAAAAAAAAA.abc.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.x"],
    ["a path in the nonce", "rk1.../../../../etc/passwd.abc.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA"],
    ["whitespace around", " rk1.AAAAAAAAAAAAAAAAAAAAAA.abc.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA\n"],
    ["unicode look-alikes", "rk1.ΑAAAAAAAAAAAAAAAAAAAAA.abc.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA"],
    ["non-canonical base64 (unused bits set)", "rk1.AAAAAAAAAAAAAAAAAAAAAA.abc.AAAAAAAAAAAAAAAAAAAAAB.AAAAAAAAAAAAAAAAAAAAAA"],
    ["a number", 12345],
    ["null", null],
    ["very long", `rk1.${"A".repeat(100_000)}`],
  ];
  for (const [name, token] of malformed) {
    it(`a malformed token (${name}) is refused as malformed`, () => {
      const a = approvals();
      const result = a.redeem(token as string, binding);
      assert.equal(!result.ok && result.reason, "malformed");
    });
  }

  it("a token issued in one process redeems once in another (the CLI's two steps)", () => {
    const where = paths();
    const planStep = createApprovals(where);
    const { token } = planStep.issue(binding);
    const execStep = createApprovals(where);
    assert.deepEqual(execStep.redeem(token, binding), { ok: true });
    assert.equal((createApprovals(where).redeem(token, binding) as { reason: string }).reason, "used");
    assert.equal((planStep.redeem(token, binding) as { reason: string }).reason, "used");
  });

  it("without a used-token folder a token is single-use within the process only", () => {
    const where = { ...paths(), usedDir: null };
    const a = createApprovals(where);
    const { token } = a.issue(binding);
    assert.deepEqual(a.redeem(token, binding), { ok: true });
    assert.equal((a.redeem(token, binding) as { reason: string }).reason, "used");
  });

  it("of many redeemers sharing the used-token folder in one process exactly one wins", async () => {
    const where = paths();
    const { token } = createApprovals(where).issue(binding);
    const results = await Promise.all(Array.from({ length: 20 }, async () => createApprovals(where).redeem(token, binding)));
    assert.equal(results.filter((r) => r.ok).length, 1);
    assert.ok(results.every((r) => r.ok || r.reason === "used"));
  });

  it("of four processes redeeming one token at once exactly one wins", { timeout: 60_000 }, async () => {
    const where = paths();
    const { token } = createApprovals(where).issue(binding);
    const go = join(dirname(where.secretPath), "go");
    const child = fileURLToPath(new URL("./redeem-child.ts", import.meta.url));
    let ready = 0;
    const outputs = Array.from({ length: 4 }, () => {
      const proc = spawn(process.execPath, ["--import", "tsx", child, where.secretPath, where.usedDir, go, token, JSON.stringify(binding)], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      let out = "";
      proc.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        // Released together once all four have loaded (they poll for the file every 2 ms).
        if (chunk.toString().includes("ready") && ++ready === 4) writeFileSync(go, "");
      });
      return new Promise<string>((resolve) => proc.on("close", () => resolve(out.replace("ready\n", "").trim())));
    });
    const results = (await Promise.all(outputs)).sort();
    assert.deepEqual(results, ["ok", "used", "used", "used"]);
  });

  it("forgets used tokens once they expired", () => {
    const a = approvals();
    const tokens = Array.from({ length: 3 }, () => a.issue(binding).token);
    for (const token of tokens) a.redeem(token, binding);
    assert.equal(readdirSync(a.where.usedDir).length, 3);
    a.advance(11 * 60_000);
    const fresh = a.issue(binding).token;
    assert.deepEqual(a.redeem(fresh, binding), { ok: true });
    assert.deepEqual(readdirSync(a.where.usedDir), [readdirSync(a.where.usedDir)[0]]);
    assert.equal(readdirSync(a.where.usedDir).length, 1, "only the fresh token's marker is left");
  });

  it("reports a used-token folder it cannot write as ApprovalStoreError", () => {
    const where = paths();
    mkdirSync(dirname(where.usedDir), { recursive: true });
    writeFileSync(where.usedDir, "not a folder");
    const a = createApprovals(where);
    const { token } = a.issue(binding);
    assert.throws(() => a.redeem(token, binding), ApprovalStoreError);
  });
});

describe("approval secret", () => {
  it("is created on first use: 64 hex digits, file 0600, folder 0700, and reused afterwards", () => {
    const where = paths();
    const { token } = createApprovals(where).issue(binding);
    const text = readFileSync(where.secretPath, "utf8");
    assert.match(text, /^[0-9a-f]{64}\n$/);
    assert.equal(statSync(where.secretPath).mode & 0o777, 0o600);
    assert.equal(statSync(dirname(where.secretPath)).mode & 0o777, 0o700);
    assert.deepEqual(createApprovals(where).redeem(token, binding), { ok: true });
    assert.equal(readFileSync(where.secretPath, "utf8"), text);
    assert.deepEqual(readdirSync(dirname(where.secretPath)).filter((n) => n.endsWith(".tmp")), [], "no temporary file is left");
  });

  function withSecret(prepare: (path: string) => void, pattern: RegExp): void {
    const where = paths();
    mkdirSync(dirname(where.secretPath), { recursive: true, mode: 0o700 });
    prepare(where.secretPath);
    const a = createApprovals(where);
    assert.throws(() => a.issue(binding), (e: unknown) => e instanceof ApprovalSecretError && pattern.test(e.message));
  }

  it("refuses a secret others can read", () => {
    withSecret((path) => {
      writeFileSync(path, `${"a".repeat(64)}\n`);
      chmodSync(path, 0o644);
    }, /mode 644.*chmod 600/);
  });

  it("refuses a secret that is not 64 hex digits", () => {
    withSecret((path) => writeFileSync(path, "short\n", { mode: 0o600 }), /not 64 hex digits/);
  });

  it("refuses a symlink in place of the secret", () => {
    const target = join(root, `planted-${dirs}`);
    writeFileSync(target, `${"b".repeat(64)}\n`, { mode: 0o600 });
    withSecret((path) => symlinkSync(target, path), /ELOOP|cannot open/);
  });

  it("refuses a secret owned by another user", { skip: process.getuid?.() !== 0 ? "changing a file's owner needs root" : false }, () => {
    withSecret((path) => {
      writeFileSync(path, `${"c".repeat(64)}\n`, { mode: 0o600 });
      chownSync(path, 12345, 12345);
    }, /belongs to uid 12345/);
  });

  it("default paths live in the XDG state folder", () => {
    assert.deepEqual(defaultApprovalPaths({ XDG_STATE_HOME: "/s", HOME: "/h" }), { secretPath: "/s/rag-k8s/approval/secret", usedDir: "/s/rag-k8s/approval/used" });
    assert.deepEqual(defaultApprovalPaths({ XDG_STATE_HOME: "relative", HOME: "/h" }).secretPath, "/h/.local/state/rag-k8s/approval/secret");
  });
});
