import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { cli, expectExit, freshHome } from "./harness.js";

const fresh = freshHome("completion");
after(fresh.dispose);

const SHELLS = ["bash", "zsh", "fish"] as const;
type Shell = (typeof SHELLS)[number];

function installed(program: string): boolean {
  return spawnSync(program, ["--version"], { stdio: "ignore" }).status === 0;
}

/** `Commands:` of a help text: the command names, without `help`. */
function commandsIn(help: string): string[] {
  const section = (help.split(/^Commands:\n/m)[1] ?? "").split("\n\n")[0] ?? "";
  return [...section.matchAll(/^ {2}([a-z][a-z0-9-]*)/gm)].map((m) => m[1] ?? "").filter((name) => name !== "help");
}

describe("rag-k8s completion", () => {
  const scripts = {} as Record<Shell, string>;
  const files = {} as Record<Shell, string>;
  /** Every command path: top level from --help, then each group's subcommands from its own help. */
  const paths: string[][] = [];

  before(async () => {
    const [help, ...runs] = await Promise.all([cli(["--help"], fresh.env()), ...SHELLS.map((shell) => cli(["completion", shell], fresh.env()))]);
    expectExit(help!, 0);
    for (const [i, shell] of SHELLS.entries()) {
      expectExit(runs[i]!, 0);
      scripts[shell] = runs[i]!.stdout;
      files[shell] = join(fresh.home, `rag-k8s.${shell}`);
      writeFileSync(files[shell], scripts[shell]);
    }
    const top = commandsIn(help!.stdout);
    assert.ok(top.length >= 15, `too few commands parsed from --help: ${top.join(", ")}`);
    for (const name of top) paths.push([name]);
    // Subcommands from each group's own help; a group is a command the help lists without arguments that the
    // bash script offers words for (a missing group already fails at the top level).
    const groups = top.filter((name) => new RegExp(`'rag-k8s ${name}'\\) echo '[a-z]`).test(scripts.bash));
    assert.ok(groups.length >= 5, `groups: ${groups.join(", ")}`);
    const helps = await Promise.all(groups.map((name) => cli([name, "--help"], fresh.env())));
    for (const [i, name] of groups.entries()) for (const sub of commandsIn(helps[i]!.stdout)) paths.push([name, sub]);
  });

  test("each script names every command and subcommand of the program", () => {
    assert.ok(paths.some((p) => p.join(" ") === "policy lint") && paths.some((p) => p.join(" ") === "cards list"));
    for (const shell of SHELLS) {
      for (const path of paths) {
        assert.ok(scripts[shell].includes(`'rag-k8s ${path.join(" ")}'`), `${shell} script lacks "${path.join(" ")}"`);
      }
    }
  });

  test("bash: the script parses (bash -n) and completes commands, subcommands and options in place", () => {
    assert.equal(spawnSync("bash", ["-n", files.bash], { encoding: "utf8" }).stderr, "");
    const complete = (words: string[]) => {
      const script = `source ${JSON.stringify(files.bash)}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _rag_k8s; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const run = spawnSync("bash", ["--norc", "--noprofile", "-c", script], { encoding: "utf8" });
      assert.equal(run.status, 0, run.stderr);
      return run.stdout.split("\n").filter(Boolean).sort();
    };
    assert.deepEqual(complete(["rag-k8s", "pol"]), ["policy"]);
    assert.deepEqual(complete(["rag-k8s", "--json", "policy", ""]).filter((w) => !w.startsWith("-")), ["lint", "show"]);
    assert.deepEqual(complete(["rag-k8s", "policy", "show", "--na"]), ["--namespace"]);
    // An option value that is not a command leaves the position alone.
    assert.deepEqual(complete(["rag-k8s", "exec", "-n", "staging", "--dry"]), ["--dry-run"]);
    assert.deepEqual(complete(["rag-k8s", "cards", "l"]), ["lint", "list"]);
  });

  for (const shell of ["zsh", "fish"] as const) {
    const available = installed(shell);
    test(`${shell}: the script parses (${shell} -n)`, { skip: available ? false : `${shell} is not installed on this machine` }, () => {
      const run = spawnSync(shell, ["-n", files[shell]], { encoding: "utf8" });
      assert.equal(run.status, 0, run.stderr);
    });
  }

  test("an unknown shell is a usage error naming the choices", async () => {
    const run = await cli(["completion", "tcsh"], fresh.env());
    expectExit(run, 2);
    assert.match(run.stderr, /bash, zsh, fish/);
  });
});
