import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const MAIN = join(ROOT, "src", "interfaces", "cli", "main.ts");
const CLI_ARGV = [process.execPath, "--import", "tsx", MAIN];
const home = mkdtempSync(join(tmpdir(), "rag-k8s-cli-"));
after(() => rmSync(home, { recursive: true, force: true }));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly auditPath: string;
}

let runs = 0;

/** A clean environment: no KUBECONFIG and an empty HOME, so every command targets the built-in sandbox. */
function cliEnv(auditPath: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env["PATH"] ?? "",
    HOME: home,
    RAGK8S_AUDIT_PATH: auditPath,
    KUBECACHEDIR: join(home, "kube-cache"),
    NO_COLOR: "1",
    SHELL: "/bin/sh",
  };
}

function spawnRun(argv: readonly string[], input: string | undefined, auditPath: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const [command = "", ...args] = argv;
    const child = spawn(command, args, { cwd: ROOT, env: cliEnv(auditPath), stdio: ["pipe", "pipe", "pipe"], timeout: 90_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, auditPath }));
    child.stdin.end(input ?? "");
  });
}

/** Runs the real CLI; stdin is a pipe (never a terminal) and each run gets its own audit log. */
function cli(args: readonly string[], input?: string): Promise<Run> {
  return spawnRun([...CLI_ARGV, ...args], input, join(home, `audit-${++runs}.jsonl`));
}

function json<T = Record<string, unknown>>(run: Run): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    assert.fail(`stdout is not JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
}

function expectExit(run: Run, code: number): void {
  assert.equal(run.code, code, `expected exit ${code}, got ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
}

interface AuditRecord {
  readonly kind: string;
  readonly status: string;
  readonly argv?: unknown;
}

function auditRecords(run: Run): AuditRecord[] {
  if (!existsSync(run.auditPath)) return [];
  return readFileSync(run.auditPath, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditRecord);
}

const RESTART = ["--intent", "restart", "--resource", "deployment", "-n", "staging", "--name", "web"];
const SCALE = ["--intent", "scale", "--resource", "deployment", "-n", "staging", "--name", "web", "--replicas", "3"];

describe("rag-k8s CLI", { concurrency: 3 }, () => {
  test("--help lists the commands and the exit codes", async () => {
    const run = await cli(["--help"]);
    expectExit(run, 0);
    for (const command of ["tour", "exec", "plan", "validate", "search", "retrieve", "cards", "config", "eval", "serve", "mcp"]) {
      assert.match(run.stdout, new RegExp(`^  ${command}\\b`, "m"), `--help does not list ${command}`);
    }
    for (const line of ["0  success", "2  usage error", "3  needs confirmation", "4  denied by policy", "5  the goal needs more input", "70 internal error"]) {
      assert.ok(run.stdout.includes(line), `--help lacks exit code line "${line}"`);
    }
  });

  test("validate: allow 0, confirm 3 (--json shape), deny 4, missing argument 2", async () => {
    const [allow, confirm, deny, missing] = await Promise.all([
      cli(["validate", "kubectl get pods -n prod"]),
      cli(["validate", "kubectl scale deployment/web -n staging --replicas=3", "--json"]),
      cli(["validate", "kubectl delete pod web-0 -n prod"]),
      cli(["validate"]),
    ]);
    expectExit(allow, 0);
    assert.match(allow.stdout, /^ALLOW {2}risk none, read-only/);
    assert.match(allow.stdout, /argv: \["kubectl","get","pods","-n","prod"\]/);

    expectExit(confirm, 3);
    const verdict = json(confirm);
    assert.equal(verdict["decision"], "confirm");
    assert.equal(verdict["risk"], "medium");
    assert.equal(verdict["readOnly"], false);
    assert.ok(Array.isArray(verdict["reasons"]) && Array.isArray(verdict["suggestions"]));
    assert.deepEqual(verdict["argv"], ["kubectl", "scale", "deployment/web", "-n", "staging", "--replicas=3"]);
    assert.equal("parsed" in verdict, false, "--json leaks the parser's internals");

    expectExit(deny, 4);
    assert.match(deny.stdout, /^DENY/);
    assert.match(deny.stdout, /try: kubectl rollout restart/);

    expectExit(missing, 2);
    assert.match(missing.stderr, /missing required argument 'command'/);
  });

  test("exec restart --json succeeds against the sandbox and is audited", async () => {
    const run = await cli(["exec", ...RESTART, "--json"]);
    expectExit(run, 0);
    const response = json(run);
    assert.equal(response["status"], "succeeded");
    assert.equal(response["executed"], true);
    assert.equal((response["plan"] as { command: string }).command, "kubectl rollout restart deployment/web -n staging");
    assert.match(String(response["stdout"]), /deployment\.apps\/web restarted/);
    const records = auditRecords(run);
    assert.deepEqual(records.map((r) => [r.kind, r.status]), [["exec", "succeeded"]]);
  });

  test("exec scale: no TTY and no --confirm waits (3), --confirm runs (0), --dry-run is a dry run (0)", async () => {
    const [waiting, confirmed, dry] = await Promise.all([
      cli(["exec", ...SCALE, "--json"]),
      cli(["exec", ...SCALE, "--confirm", "--json"]),
      cli(["exec", ...SCALE, "--dry-run", "--json"]),
    ]);
    expectExit(waiting, 3);
    assert.equal(json(waiting)["status"], "awaiting_confirmation");
    assert.equal(json(waiting)["executed"], false);

    expectExit(confirmed, 0);
    assert.equal(json(confirmed)["status"], "succeeded");
    assert.match(String(json(confirmed)["stdout"]), /deployment\.apps\/web scaled/);

    expectExit(dry, 0);
    assert.equal(json(dry)["status"], "dry_run");
    assert.equal(json(dry)["dryRun"], true);
    const argv = (json(dry)["steps"] as { argv: string[] }[])[0]?.argv ?? [];
    assert.ok(argv.includes("--dry-run=server"), `dry run argv: ${argv.join(" ")}`);
  });

  test("exec scale in prod is denied by policy (4) and nothing runs", async () => {
    const run = await cli(["exec", "--intent", "scale", "--resource", "deployment", "-n", "prod", "--name", "web", "--replicas", "3"]);
    expectExit(run, 4);
    assert.match(run.stdout, /^DENIED/);
    assert.match(run.stdout, /"scale" is not allowed in namespace prod/);
    assert.deepEqual(auditRecords(run).map((r) => r.status), ["denied"]);
  });

  test("bad input exits 2, names the field or the valid values, and runs nothing", async () => {
    writeFileSync(join(home, "malformed.json"), '{"intent": "restart",');
    const cases: { args: string[]; message: RegExp }[] = [
      { args: ["exec", "--intent", "bogus", "--resource", "deployment", "-n", "staging", "--name", "web"], message: /intent: .*"restart"\|"status"/ },
      { args: ["exec", "--intent", "restart", "--resource", "deployment", "-n", "a;b", "--name", "web"], message: /namespace: must be a DNS-1123 label/ },
      { args: ["exec", "--intent", "restart", "--resource", "deployment", "-n", "staging", "--name", "$(id)"], message: /name: must be a DNS-1123 subdomain/ },
      { args: ["exec", "--intent", "scale", "--resource", "deployment", "-n", "staging", "--name", "web", "--replicas", "abc"], message: /--replicas must be a whole number, got "abc"/ },
      { args: ["exec", "--file", join(home, "malformed.json")], message: /malformed\.json is not valid JSON/ },
      { args: ["exec", "--file", join(home, "missing.json")], message: /cannot read .*missing\.json: ENOENT/ },
    ];
    const runsDone = await Promise.all(cases.map((c) => cli(c.args)));
    for (const [i, run] of runsDone.entries()) {
      const c = cases[i];
      if (!c) continue;
      expectExit(run, 2);
      assert.match(run.stderr, c.message, `${c.args.join(" ")}`);
      assert.doesNotMatch(run.stderr, /\n\s+at /, "a usage error printed a stack trace");
      assert.equal(run.stdout, "");
      assert.deepEqual(auditRecords(run), [], `${c.args.join(" ")} reached the audit log`);
    }
  });

  test("a request read from stdin with --file - is planned (0)", async () => {
    const request = { intent: "status", resource: "deployment", namespace: "staging", name: "web", params: { timeout: "30s" } };
    const run = await cli(["plan", "--file", "-", "--json"], JSON.stringify(request));
    expectExit(run, 0);
    assert.equal(json(run)["status"], "planned");
    assert.equal((json(run)["plan"] as { command: string }).command, "kubectl rollout status deployment/web -n staging --timeout=30s");
  });

  test("flags hold with --file: --dry-run from stdin is a dry run (0), --confirm approves (0), a contradicting flag is a usage error (2)", async () => {
    const scaleToZero = JSON.stringify({ intent: "scale", resource: "deployment", namespace: "staging", name: "worker", params: { replicas: 0 }, constraints: { confirm: true } });
    const scale = { intent: "scale", resource: "deployment", namespace: "staging", name: "web", params: { replicas: 3 } };
    writeFileSync(join(home, "scale.json"), JSON.stringify(scale));
    const [dry, confirmed, conflict, conflictFile] = await Promise.all([
      cli(["exec", "--file", "-", "--dry-run", "--json"], scaleToZero),
      cli(["plan", "--file", join(home, "scale.json"), "--confirm", "--json"]),
      cli(["exec", "--file", "-", "--dry-run"], JSON.stringify({ ...scale, constraints: { dryRun: false } })),
      cli(["exec", "--file", join(home, "scale.json"), "-n", "prod"]),
    ]);
    expectExit(dry, 0);
    assert.equal(json(dry)["status"], "dry_run");
    assert.equal(json(dry)["dryRun"], true);
    assert.ok(((json(dry)["steps"] as { argv: string[] }[])[0]?.argv ?? []).includes("--dry-run=server"));
    expectExit(confirmed, 0);
    assert.equal(json(confirmed)["status"], "planned", "--confirm with --file approved the plan");
    for (const run of [conflict, conflictFile]) {
      expectExit(run, 2);
      assert.match(run.stderr, /^rag-k8s: --(dry-run|namespace) says .* but .* says .*; give it once\n$/);
      assert.deepEqual(auditRecords(run), []);
    }
  });

  test("approval at the CLI: confirm inside a request file is not the person's --confirm (3); a forged --confirm-token is refused (3); prototype keys exit 2", async () => {
    const scaleToZero = { intent: "scale", resource: "deployment", namespace: "staging", name: "worker", params: { replicas: 0 }, constraints: { confirm: true } };
    writeFileSync(join(home, "proto.json"), '{"intent":"restart","resource":"deployment","namespace":"staging","name":"web","params":{"__proto__":{"replicas":0}}}');
    // Well-formed (canonical base64url parts) but signed by no one.
    const forged = `rk1.${"A".repeat(22)}.zzzzzzzz.${"A".repeat(21)}g.${"A".repeat(21)}Q`;
    const [fromFile, withForged, proto] = await Promise.all([
      cli(["exec", "--file", "-", "--json"], JSON.stringify(scaleToZero)),
      cli(["exec", ...SCALE, "--confirm", "--confirm-token", forged, "--json"]),
      cli(["exec", "--file", join(home, "proto.json")]),
    ]);
    expectExit(fromFile, 3);
    assert.match(String(json(fromFile)["message"]), /confirm = true alone is not an approval/);
    expectExit(withForged, 3);
    assert.match(String(json(withForged)["message"]), /not issued by this rag-k8s installation/);
    expectExit(proto, 2);
    assert.match(proto.stderr, /params\.__proto__: "__proto__" is not allowed as a key/);
    for (const run of [fromFile, withForged, proto]) assert.ok(auditRecords(run).every((r) => r.status !== "succeeded"));
  });

  test("audit verify: 0 after a clean mutation; 1 listing an orphaned intent and a torn line", async () => {
    const cleanPath = join(home, "verify-clean.jsonl");
    const restarted = await spawnRun([...CLI_ARGV, "exec", "--intent", "restart", "--resource", "deployment", "-n", "staging", "--name", "payments-api", "--json"], undefined, cleanPath);
    expectExit(restarted, 0);
    const mutations = readFileSync(join(home, "verify-clean.mutations.jsonl"), "utf8").split("\n").filter(Boolean);
    assert.deepEqual(mutations.map((line) => (JSON.parse(line) as { record: string }).record), ["intent", "result"], "the intent is written before the result");
    const clean = await spawnRun([...CLI_ARGV, "audit", "verify"], undefined, cleanPath);
    expectExit(clean, 0);
    assert.match(clean.stdout, /^OK .*: 1 intents, 1 results/);
    // A crash after the intent (kill -9 while kubectl ran) leaves the intent alone; a torn write leaves half a line.
    writeFileSync(join(home, "verify-crash.mutations.jsonl"), `${mutations[0]}\n{"seq":3,"wri`);
    const crashed = await spawnRun([...CLI_ARGV, "audit", "verify"], undefined, join(home, "verify-crash.jsonl"));
    expectExit(crashed, 1);
    assert.match(crashed.stdout, /^PROBLEMS /);
    assert.match(crashed.stdout, /orphaned intent .* kubectl rollout restart deployment\/payments-api -n staging .*may have run without its result being recorded/);
    assert.match(crashed.stdout, /malformed line at .*verify-crash\.mutations\.jsonl:2: not JSON/);
    const asJson = await spawnRun([...CLI_ARGV, "audit", "verify", "--json"], undefined, join(home, "verify-crash.jsonl"));
    expectExit(asJson, 1);
    assert.equal(json<{ orphanIntents: unknown[] }>(asJson).orphanIntents.length, 1);
  });

  test("card parameter names drive the flags: --revision reaches rollout undo, --param any declared parameter", async () => {
    const [undo, param, undeclared] = await Promise.all([
      cli(["plan", "--intent", "undo", "--resource", "deployment", "-n", "staging", "--name", "web", "--revision", "3", "--json"]),
      cli(["plan", "--intent", "events", "--resource", "event", "-n", "staging", "--param", "type=Warning", "--json"]),
      cli(["plan", "--intent", "events", "--resource", "event", "-n", "staging", "--param", "colour=red"]),
    ]);
    expectExit(undo, 3);
    assert.equal((json(undo)["plan"] as { command: string }).command, "kubectl rollout undo deployment/web -n staging --to-revision=3");
    expectExit(param, 0);
    assert.match((json(param)["plan"] as { command: string }).command, /--field-selector=type=Warning$/);
    expectExit(undeclared, 2);
    assert.match(undeclared.stderr, /params\.colour: is not used by card/);
  });

  test("sandbox --fixture with a missing file ends with one line and exit 2", async () => {
    const run = await cli(["sandbox", "--fixture", join(home, "nonexistent.yaml"), "--kubeconfig-out", join(home, "sandbox.kubeconfig")]);
    expectExit(run, 2);
    assert.match(run.stderr, /^rag-k8s: cannot read sandbox fixture .*nonexistent\.yaml/);
    assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
  });

  test("search: empty query 2, --json hits, unknown --intent 2 listing the valid intents", async () => {
    const [empty, hits, bogus] = await Promise.all([
      cli(["search", ""]),
      cli(["search", "pod keeps crashing", "--json"]),
      cli(["search", "restart", "--intent", "bogus"]),
    ]);
    expectExit(empty, 2);
    assert.match(empty.stderr, /the query is empty/);

    expectExit(hits, 0);
    const result = json<{ mode: string; hits: { id: string; score: number; template: unknown }[] }>(hits);
    assert.equal(result.mode, "lexical");
    assert.equal(result.hits[0]?.id, "pod-crashloop-diagnose");
    assert.ok(result.hits.length >= 1 && result.hits.length <= 4, `k defaults to 4, got ${result.hits.length}`);

    expectExit(bogus, 2);
    assert.match(bogus.stderr, /unknown --intent "bogus"; valid values: restart, status, history, undo, scale/);
  });

  test("cards lint: bundled cards pass (0); a malformed card fails (2) with file:line", async () => {
    const dir = join(home, "cards");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "broken.yaml"), "id: broken\ntitle: Broken\nintent: restart\n  nested: [\n");
    const [bundled, broken] = await Promise.all([cli(["cards", "lint"]), cli(["cards", "lint", dir])]);
    expectExit(bundled, 0);
    assert.match(bundled.stdout, /^0 error\(s\), 0 warning\(s\) in /m);
    expectExit(broken, 2);
    assert.match(broken.stdout, /broken\.yaml:\d+:\d+: error: /);
    assert.match(broken.stdout, /[1-9]\d* error\(s\)/);
  });

  test("config show prints values with their source; --json is machine-readable", async () => {
    const [text, asJson] = await Promise.all([cli(["config", "show"]), cli(["config", "show", "--json"])]);
    expectExit(text, 0);
    assert.match(text.stdout, new RegExp(`^audit\\.path\\s+= ${text.auditPath.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s+\\(env:RAGK8S_AUDIT_PATH\\)$`, "m"));
    assert.match(text.stdout, /^retrieval\.mode\s+= lexical\s+\(default\)$/m);
    expectExit(asJson, 0);
    const config = json<{ config: { audit: { path: string } } }>(asJson);
    assert.equal(config.config.audit.path, asJson.auditPath);
  });

  test("plan with a goal: the goal parser plans it (0); an incomplete goal needs input (5) with candidates", async () => {
    const [planned, incomplete] = await Promise.all([
      cli(["plan", "restart deployment web in staging", "--json"]),
      cli(["plan", "restart", "deployment", "payments-api"]),
    ]);
    expectExit(planned, 0);
    const response = json<{ status: string; executed: boolean; plan: { command: string; planner: string } }>(planned);
    assert.equal(response.status, "planned");
    assert.equal(response.executed, false);
    assert.equal(response.plan.planner, "goal-parser");
    assert.equal(response.plan.command, "kubectl rollout restart deployment/web -n staging");

    expectExit(incomplete, 5);
    assert.match(incomplete.stdout, /^NEEDS_INPUT {2}missing namespace/);
    assert.match(incomplete.stdout, /^candidates\n {2}deployment-restart: .*\(missing: namespace\)/m);
    assert.deepEqual(auditRecords(incomplete).filter((r) => r.status !== "needs_input"), []);
  });

  test("tour runs its six steps against the sandbox", async () => {
    const run = await cli(["tour"]);
    expectExit(run, 0);
    assert.match(run.stdout, /^rag-k8s tour — against the built-in sandbox cluster at https?:\/\/127\.0\.0\.1:\d+/);
    const steps = [...run.stdout.matchAll(/^(\d)\. /gm)].map((m) => m[1]);
    assert.deepEqual(steps, ["1", "2", "3", "4", "5", "6"]);
    assert.match(run.stdout, /^3\. Scale up.*\n(?:.*\n)*?AWAITING_CONFIRMATION/m);
    assert.match(run.stdout, /^6\. A model proposes: kubectl delete pod web-0 -n prod\nDENY/m);
    assert.equal(auditRecords(run).length, 5, "each executed tour step is audited");
  });

  test("eval --set eval/goals.jsonl prints the report, finds no wrong command and meets the set's threshold", async () => {
    const run = await cli(["eval", "--set", "eval/goals.jsonl"]);
    expectExit(run, 0);
    assert.match(run.stdout, /^PASS {2}eval\/goals\.jsonl: \d+\.\d% correct \(threshold 95\.0%\)$/m);
    assert.match(run.stdout, /^\| planner \| cases \| correct \| exact \| regex \| decision accuracy \|$/m);
    assert.match(run.stdout, /^\| goal-parser \| \d+ \| (9\d|100)\.\d% \|/m);
    assert.match(run.stdout, /wrong commands that policy would have let run: 0/);
  });

  const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).stdout.includes("util-linux");
  test(
    "on a terminal, exec asks y/N: n runs nothing (3), y runs it (0)",
    { skip: hasScript ? false : "needs util-linux `script` to give the CLI a pseudo-terminal" },
    async () => {
      const quote = (arg: string) => `'${arg.replace(/'/g, "'\\''")}'`;
      // script(1) runs its command line through /bin/sh; every word is quoted, and the words are fixed here.
      const line = [...CLI_ARGV, "exec", ...SCALE].map(quote).join(" ");
      const terminal = (answer: string) => spawnRun(["script", "-qec", line, "/dev/null"], answer, join(home, `audit-${++runs}.jsonl`));
      const [no, yes] = await Promise.all([terminal("n\n"), terminal("y\n")]);
      expectExit(no, 3);
      assert.match(no.stdout, /Proceed\? \[y\/N\]/);
      assert.doesNotMatch(no.stdout, /confirmToken|constraints\.confirm/, "agent instructions are not for the terminal");
      assert.match(no.stdout, /Not confirmed; nothing was run\./);
      assert.deepEqual(auditRecords(no).map((r) => r.status), ["awaiting_confirmation"]);

      expectExit(yes, 0);
      assert.match(yes.stdout, /\[y\/N\]/);
      assert.equal(yes.stdout.match(/\$ kubectl scale/g)?.length, 1, `the plan is shown once:\n${yes.stdout}`);
      assert.match(yes.stdout, /^SUCCEEDED/m);
      assert.match(yes.stdout, /deployment\.apps\/web scaled/);
      assert.deepEqual(auditRecords(yes).map((r) => r.status), ["awaiting_confirmation", "succeeded"]);
    },
  );
});
