import assert from "node:assert/strict";
import { test } from "node:test";
import { lintCards } from "../../src/cards/index.js";
import type { LintIssue } from "../../src/cards/index.js";
import { cardDir, cardYaml } from "./helpers.js";

async function lintOne(text: string, fileName = "c.yaml"): Promise<LintIssue[]> {
  return lintCards([cardDir({ [fileName]: text })]);
}
const errors = (issues: LintIssue[]) => issues.filter((i) => i.severity === "error").map((i) => i.message);

test("a valid card named after its id has no issues", async () => {
  assert.deepEqual(await lintOne(cardYaml("c")), []);
});

test("a file named unlike its card id gets a warning", async () => {
  const issues = await lintOne(cardYaml("other"));
  assert.deepEqual(issues.map((i) => [i.severity, i.line]), [["warning", 0]]);
  assert.match(issues[0]?.message ?? "", /name it other\.yaml/);
});

test("undeclared placeholders and unused parameters are errors at the template and parameter lines", async () => {
  const text = cardYaml("c", "kubectl get pods -n {{namespace}} -l {{selector}}").replace(
    "    description: the namespace\n",
    "    description: the namespace\n  - name: unused\n    type: boolean\n    description: never used\n",
  );
  const issues = await lintOne(text);
  const undeclared = issues.find((i) => i.message.includes(`"selector" is used in the template but not declared`));
  assert.equal(undeclared?.line, 6);
  const unused = issues.find((i) => i.message.includes(`"unused" is declared but the template never uses it`));
  assert.equal(unused?.line, 12);
});

test("example commands must equal the rendered template exactly", async () => {
  const text = cardYaml("c").replace("command: kubectl get pods -n shop", "command: kubectl get pods -n shop -o wide");
  const issues = await lintOne(text);
  assert.equal(issues.length, 1);
  assert.equal(issues[0]?.line, 15);
  assert.match(issues[0]?.message ?? "", /example: {2}kubectl get pods -n shop -o wide\n {2}rendered: kubectl get pods -n shop$/);
});

test("example values must be declared and valid", async () => {
  const undeclared = await lintOne(cardYaml("c").replace("values: { namespace: shop }", "values: { namespace: shop, color: red }"));
  assert.deepEqual(errors(undeclared).filter((m) => m.includes("color")).length >= 1, true);
  assert.equal(undeclared.find((i) => i.message.includes(`"color" is not a declared parameter`))?.line, 14);
  const invalid = await lintOne(cardYaml("c").replace("values: { namespace: shop }", "values: { namespace: Shop }"));
  assert.match(errors(invalid)[0] ?? "", /example does not render: .*"namespace"/);
});

test("templates using {{now}} need a fixed now in every example", async () => {
  const command = "kubectl annotate --overwrite pod/x -n {{namespace}} a={{now}}";
  const text = cardYaml("c", command);
  assert.match(errors(await lintOne(text))[0] ?? "", /give the example a fixed "now" value/);
  const fixed = text
    .replace("values: { namespace: shop }", 'values: { namespace: shop, now: "2024-05-01T12:00:00Z" }')
    .replace("-n shop a={{now}}", "-n shop a=2024-05-01T12:00:00Z");
  assert.deepEqual(await lintOne(fixed), []);
});

test("commands must start with kubectl or flux and contain no shell syntax", async () => {
  assert.match(errors(await lintOne(cardYaml("c", "helm list -n {{namespace}}")))[0] ?? "", /must start with kubectl or flux, not "helm"/);
  const piped = errors(await lintOne(cardYaml("c", "kubectl get pods -n {{namespace}} | grep x")));
  assert.ok(piped.some((m) => m.includes("shell character")), piped.join("\n"));
});

test("section misuse and malformed placeholders are errors", async () => {
  const cases: [string, RegExp][] = [
    ["kubectl get pods -n {{namespace}} {{#namespace}}-o {{#namespace}}wide{{/namespace}}", /sections do not nest/],
    ["kubectl get pods -n {{namespace}} {{/namespace}}", /closes no open section/],
    ["kubectl get pods -n {{ namespace }}", /malformed placeholder/],
    ["kubectl get pods -n {{Namespace}}", /malformed placeholder/],
  ];
  for (const [command, message] of cases) {
    const found = errors(await lintOne(cardYaml("c", command)));
    assert.ok(found.some((m) => message.test(m)), `${command}: ${found.join(" | ")}`);
  }
});

test("parameter declarations are checked: free-text strings, bad defaults, optional without default", async () => {
  const base = cardYaml("c", "kubectl get pods -n {{namespace}} --sort-by={{order}}");
  const withParam = (param: string) => base.replace("    description: the namespace\n", `    description: the namespace\n${param}`);
  const free = errors(await lintOne(withParam("  - name: order\n    type: string\n    default: x\n    description: o\n")));
  assert.ok(free.some((m) => m.includes("needs a pattern or an enum")), free.join("\n"));
  const badDefault = errors(await lintOne(withParam("  - name: order\n    type: string\n    enum: [a]\n    default: b\n    description: o\n")));
  assert.ok(badDefault.some((m) => m.includes(`default of "order"`)), badDefault.join("\n"));
  const noDefault = errors(await lintOne(withParam("  - name: order\n    type: string\n    enum: [a]\n    description: o\n")));
  assert.ok(noDefault.some((m) => m.includes("has no default but is used outside")), noDefault.join("\n"));
});

test("duplicate ids across files of one directory are reported at the id line", async () => {
  const issues = await lintCards([cardDir({ "c.yaml": cardYaml("c"), "d.yaml": cardYaml("c") })]);
  const dup = issues.find((i) => i.message.startsWith(`duplicate card id "c"`));
  assert.ok(dup?.file.endsWith("d.yaml"));
  assert.equal(dup?.line, 1);
});
