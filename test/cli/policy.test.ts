import assert from "node:assert/strict";
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ROOT, cli, expectExit, freshHome } from "./harness.js";

const fresh = freshHome("policy");
after(fresh.dispose);

describe("rag-k8s policy show", { concurrency: 3 }, () => {
  const rows = [
    { namespace: "staging", source: "listed", destructive: "allowed where listed" },
    { namespace: "prod", source: "listed", destructive: "refused" },
    { namespace: "production", source: "prod-like", destructive: "refused" },
    { namespace: "team-x", source: "unlisted", destructive: "refused" },
  ] as const;
  for (const row of rows) {
    test(`${row.namespace}: ${row.source} profile, destructive ${row.destructive}`, async () => {
      const run = await cli(["policy", "show", "-n", row.namespace, "--json"], fresh.env());
      expectExit(run, 0);
      const shown = JSON.parse(run.stdout) as { namespace: string; source: string; why: string; destructive: string; policyDir: string };
      assert.equal(shown.namespace, row.namespace);
      assert.equal(shown.source, row.source);
      assert.equal(shown.destructive, row.destructive);
      assert.ok(shown.why.includes(row.namespace), shown.why);
      assert.equal(shown.policyDir, join(ROOT, "policy"));
    });
  }

  test("a namespace that is not a DNS label is a usage error that does not echo control characters", async () => {
    const hostile = ["Prod", "a_b", "x".repeat(64), "\u001b[31mred", "../etc", "-n"];
    const runs = await Promise.all(hostile.map((namespace) => cli(["policy", "show", `--namespace=${namespace}`], fresh.env())));
    for (const [i, run] of runs.entries()) {
      expectExit(run, 2);
      assert.match(run.stderr, /is not a namespace name/, hostile[i]);
      assert.ok(!run.stderr.includes(String.fromCharCode(27)), "the escape is quoted, not written raw");
    }
  });

  test("the text form names the profile and why; without -n it explains cluster-scoped objects", async () => {
    const [prodLike, cluster] = await Promise.all([cli(["policy", "show", "-n", "production"], fresh.env()), cli(["policy", "show"], fresh.env())]);
    expectExit(prodLike, 0);
    assert.match(prodLike.stdout, /^namespace production: prod-like \(.*production.*\)$/m);
    assert.match(prodLike.stdout, /delete, drain, scale to 0, rollout undo: refused/);
    expectExit(cluster, 0);
    assert.match(cluster.stdout, /^cluster-scoped objects: cluster/m);
  });
});

describe("rag-k8s policy lint", { concurrency: 3 }, () => {
  const broken = join(fresh.home, "broken-policy");
  const missing = join(fresh.home, "missing-rules");
  mkdirSync(broken, { recursive: true });
  cpSync(join(ROOT, "policy"), missing, { recursive: true });
  rmSync(join(missing, "rules.yaml"));
  cpSync(join(ROOT, "policy"), broken, { recursive: true });
  // A YAML syntax error on line 3 of a copy of the namespaces file.
  writeFileSync(join(broken, "namespaces.yaml"), "namespaces:\n  staging:\n    verbs: [get\n");

  test("the bundled policy is clean: exit 0", async () => {
    const run = await cli(["policy", "lint"], fresh.env());
    expectExit(run, 0);
    assert.match(run.stdout, /no problems/);
  });

  test("a folder missing rules.yaml says which file to copy from where: exit 2", async () => {
    const run = await cli(["policy", "lint", missing], fresh.env());
    expectExit(run, 2);
    assert.match(run.stdout, new RegExp(`${join(missing, "rules.yaml").replaceAll("/", "\\/")}: file not found: .*copy rules\\.yaml from the bundled policy`));
    assert.doesNotMatch(run.stdout, /:0:0:/);
  });

  test("a syntax error is reported as file:line:col: exit 2", async () => {
    const run = await cli(["policy", "lint", broken, "--json"], fresh.env());
    expectExit(run, 2);
    const { problems } = JSON.parse(run.stdout) as { problems: { file: string; line: number; column: number; message: string }[] };
    assert.ok(problems.length > 0);
    assert.ok(problems.every((p) => p.file === join(broken, "namespaces.yaml") && p.line > 0 && p.column > 0), JSON.stringify(problems));
  });

  test("a folder that does not exist is a problem, not a crash: exit 2", async () => {
    const run = await cli(["policy", "lint", join(fresh.home, "nope")], fresh.env());
    expectExit(run, 2);
    assert.match(run.stdout, /nope: cannot read the policy folder/);
    assert.equal(run.stderr, "");
  });
});
