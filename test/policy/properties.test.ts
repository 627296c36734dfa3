import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { loadPolicy, parseCommand, quoteArgv, tokenize, validateCommand } from "../../src/policy/index.js";
import { IDENTITY_FLAGS, VERBS } from "../../src/policy/spec.js";

const policy = loadPolicy();

/** Commands the bundled policy lets through (allow or confirm): the base every hostile variant starts from. */
const ALLOWED = [
  "kubectl get pods -n shop -o wide",
  "kubectl get deployments -n shop -l app=web",
  "kubectl describe pod web-1 -n shop",
  "kubectl logs web-1 -n shop --tail=100 --previous",
  "kubectl top pod -n shop --sort-by=cpu",
  "kubectl get nodes",
  "kubectl rollout restart deployment/web -n shop",
  "kubectl rollout status deployment/web -n shop --timeout=5m",
  "kubectl scale deployment/web -n staging --replicas=3",
  "kubectl drain worker-1 --ignore-daemonsets --delete-emptydir-data",
  "kubectl create job backup-1 --from=cronjob/backup -n ops",
  "kubectl patch kustomizations.kustomize.toolkit.fluxcd.io/apps -n flux-system --type=merge -p '{\"spec\":{\"suspend\":true}}'",
  "kubectl annotate --overwrite ks/apps -n flux-system reconcile.fluxcd.io/requestedAt=now",
  "flux reconcile kustomization apps -n flux-system --with-source",
  "flux get kustomizations -n flux-system",
].map((command) => {
  const t = tokenize(command);
  if (!t.ok) throw new Error(command);
  return t.tokens;
});

const allowed = (command: string) => validateCommand(command, policy).decision !== "deny";

describe("the base commands", () => {
  it("are all let through, so the properties below test something", () => {
    for (const argv of ALLOWED) assert.ok(allowed(quoteArgv(argv)), quoteArgv(argv));
  });
});

/** Inserts `extra` tokens into the quoted base command at a random token boundary after the binary. */
const withInserted = (extra: fc.Arbitrary<string>) =>
  fc.tuple(fc.constantFrom(...ALLOWED), extra, fc.nat()).map(([argv, insert, at]) => {
    const i = 1 + (at % argv.length);
    return `${quoteArgv(argv.slice(0, i))} ${insert} ${quoteArgv(argv.slice(i))}`.trim();
  });

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });

describe("properties (fast-check)", () => {
  it("the parser never throws, whatever the input (8,000 runs)", () => {
    const soup = fc.array(
      fc.oneof(
        printable,
        fc.constantFrom("kubectl", "flux", "get", "rollout", "restart", "-n", "-A", "--", "-s", "'", '"', "\\", "pods/x", "-p", "--dry-run", "=", "-nshop"),
      ),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "grapheme", maxLength: 60 }), soup.map((t) => t.join(" "))), (input) => {
        const r = parseCommand(input);
        assert.equal(typeof r.ok, "boolean");
        validateCommand(input, policy);
      }),
      { numRuns: 8000 },
    );
  });

  it("no command with an unquoted shell operator is let through (3,000 runs)", () => {
    const operator = fc.constantFrom(";", "&", "|", "&&", "||", ">", "<", ">>", "$(id)", "`id`", "${HOME}", "$HOME", "(", ")");
    const glued = fc.tuple(operator, fc.constantFrom("", "x", "-n", "shop")).map(([op, word]) => `${word}${op}${word}`);
    fc.assert(
      fc.property(withInserted(glued), (command) => {
        const v = validateCommand(command, policy);
        assert.equal(v.decision, "deny", command);
        assert.equal(v.reasons[0]?.code, "SHELL_OPERATOR", command);
      }),
      { numRuns: 3000 },
    );
  });

  it("no command with an identity/target flag is let through, in any spelling or position (3,000 runs)", () => {
    const spelled = fc.tuple(fc.constantFrom(...IDENTITY_FLAGS), fc.boolean(), fc.boolean()).map(([name, underscores, upper]) => {
      const n = underscores ? name.replaceAll("-", "_") : name;
      return upper ? n.toUpperCase() : n;
    });
    const form = fc.oneof(
      spelled.map((n) => `--${n}=x`),
      spelled.map((n) => `--${n} x`),
      spelled.map((n) => `--${n}`),
      fc.constantFrom("-s https://evil", "-s=https://evil", "-shttps://evil", "-As https://evil", "-Ashttp://evil"),
    );
    fc.assert(
      fc.property(withInserted(form), (command) => assert.equal(validateCommand(command, policy).decision, "deny", command)),
      { numRuns: 3000 },
    );
  });

  it("no command with the start of an identity flag is let through, as a CLI that expands prefixes would read it (2,000 runs)", () => {
    const prefix = fc.tuple(fc.constantFrom(...IDENTITY_FLAGS), fc.nat(), fc.boolean()).map(([name, cut, upper]) => {
      const p = name.slice(0, 2 + (cut % (name.length - 1)));
      return upper ? p.toUpperCase() : p;
    });
    const form = fc.tuple(prefix, fc.constantFrom("=x", " x", "")).map(([p, value]) => `--${p}${value}`);
    fc.assert(
      fc.property(withInserted(form), (command) => assert.equal(validateCommand(command, policy).decision, "deny", command)),
      { numRuns: 2000 },
    );
  });

  it("no command that prints a Secret's fields is let through, in any spelling of the kind or the format (3,000 runs)", () => {
    const casing = (word: string, mask: number) => [...word].map((c, i) => ((mask >> i) & 1 ? c.toUpperCase() : c)).join("");
    const kind = fc
      .tuple(fc.constantFrom("secret", "secrets"), fc.nat(), fc.constantFrom("", ".v1", ".v1.", ".", ".evil.io", ".v1beta1.x.example.com"), fc.constantFrom("", "/db"))
      .map(([word, mask, group, name]) => `${casing(word, mask)}${group}${name}`);
    const path = fc.constantFrom("{.data}", "{.data.password}", "{.items[*].data}", "{.metadata.name}", "{..password}", "{.stringData}", "{range .items[*]}{.data}{end}", "{.}", "{@}", "{.items[*]['data']}");
    const format = fc.oneof(
      fc.constantFrom("yaml", "json"),
      path.map((p) => `jsonpath=${p}`),
      path.map((p) => `jsonpath-as-json=${p}`),
      path.map((p) => `custom-columns=V:${p.replace(/[{}]/g, "")}`),
      fc.constantFrom("go-template={{.data}}", "template={{index .data \"x\"}}", "go-template={{range .items}}{{.metadata.name}}{{end}}"),
    );
    const output = fc.tuple(format, fc.constantFrom("-o ", "-o=", "-o", "--output=", "--output ")).map(([f, flag]) => quoteArgv([`${flag}${f}`]).replace(/^'(-o |--output )/, "$1'"));
    const others = fc.constantFrom("", "pods,", "configmaps,", "all,");
    fc.assert(
      fc.property(kind, output, others, fc.constantFrom("-n shop", "-A", "-n prod"), fc.boolean(), (k, o, prefix, scope, outputFirst) => {
        const resource = k.includes("/") ? k : `${prefix}${k}`;
        const command = outputFirst ? `kubectl get ${o} ${resource} ${scope}` : `kubectl get ${resource} ${scope} ${o}`;
        assert.equal(validateCommand(command, policy).decision, "deny", command);
      }),
      { numRuns: 3000 },
    );
  });

  it("no jsonpath, custom-columns or sort key that reaches env values, ConfigMap data or annotations is let through (3,000 runs)", () => {
    // Every expression below passes through, or stops above, a field that may hold a credential.
    const sensitive = fc.constantFrom(
      ".env",
      ".data",
      ".binaryData",
      ".stringData",
      ".annotations",
      ".values",
      "['data']",
      '["env"]',
      ".Data",
      "..value",
      "..password",
      ".spec[*]",
      ".spec.*",
      ".metadata[*]",
      ".template.*",
      "[?(@.data.password=='x')]",
    );
    const step = fc.constantFrom(".spec", ".template", ".containers", "[*]", "[0]", ".metadata", ".items", ".jobTemplate", "[?(@.name=='app')]", ".status");
    const tail = fc.constantFrom("", ".value", "[*].value", "[0]", ".password", "['DB_PASSWORD']", ".name");
    const expr = fc.tuple(fc.array(step, { maxLength: 5 }), sensitive, tail).map(([steps, s, t]) => `${steps.join("")}${s}${t}`);
    const kind = fc.constantFrom("pods", "deploy", "cronjobs", "configmaps", "cm", "statefulsets", "helmreleases", "foo.example.com");
    const render = fc.tuple(expr, fc.constantFrom("jsonpath", "jsonpath-as-json", "custom-columns", "sort-by", "range")).map(([e, how]) => {
      if (how === "sort-by") return `--sort-by=${e}`;
      if (how === "custom-columns") return `-o=custom-columns=NAME:.metadata.name,V:${e}`;
      if (how === "range") return `-o=jsonpath={range .items[*]}{${e}}{end}`;
      return `-o=${how}={${e}}`;
    });
    fc.assert(
      fc.property(kind, render, (k, r) => {
        const command = `kubectl get ${k} -n shop ${quoteArgv([r])}`;
        const v = validateCommand(command, policy);
        assert.equal(v.decision, "deny", `${command}: ${v.reasons[0]?.message ?? ""}`);
      }),
      { numRuns: 3000 },
    );
  });

  it("whatever is let through never pairs a Secret with an output that prints fields (5,000 runs)", () => {
    const piece = fc.constantFrom("secret", "secrets", "Secret/db", "secrets.v1.", "pods", "cm,secrets", "db", "-n", "shop", "-A", "-o", "yaml", "json", "name", "wide", "jsonpath={.data}", "-oyaml", "--output=json", "-o=json", "custom-columns=A:.data", "--", "-l", "app=web", "--sort-by=.data.x");
    const FIELD_FORMAT = /^(yaml|json|jsonpath|jsonpath-as-json|custom-columns|go-template|template)(=|$)/;
    /** The -o values written in an argv, read without the policy engine. */
    const outputs = (argv: readonly string[]): string[] =>
      argv.flatMap((token, i) => {
        if (token === "-o" || token === "--output") return [argv[i + 1] ?? ""];
        const m = /^(?:-o=?|--output=)(.+)$/.exec(token);
        return m ? [m[1] as string] : [];
      });
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 6 }), (extra) => {
        const command = quoteArgv(["kubectl", "get", ...extra]);
        const v = validateCommand(command, policy);
        if (v.decision === "deny") return;
        // The resource argument: the first word after the verb that is neither a flag nor a flag's value.
        const rest = v.argv.slice(2);
        const types = rest.find((t, i) => !t.startsWith("-") && !["-n", "-o", "-l", "--output"].includes(rest[i - 1] ?? "")) ?? "";
        const namesSecret = types.split(/[,/]/).some((t) => /^secrets?(\.|$)/i.test(t));
        if (namesSecret) assert.deepEqual(outputs(v.argv).filter((o) => FIELD_FORMAT.test(o)), [], command);
        assert.ok(!v.argv.some((t) => t.includes(".data")), command);
      }),
      { numRuns: 5000 },
    );
  });

  it("no command with a flag outside its verb's list is let through (3,000 runs)", () => {
    const anyFlag = [...new Set([...VERBS.values()].flatMap((spec) => [...spec.flags.keys()]))];
    const flag = fc.oneof(
      fc.constantFrom(...anyFlag, "follow", "watch", "filename", "kustomize", "v", "all", "image", "record", "template"),
      fc.stringMatching(/^[a-z][a-z-]{0,15}$/),
    );
    const letter = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
    fc.assert(
      fc.property(fc.constantFrom(...ALLOWED), fc.oneof(flag.map((f) => `--${f}`), letter.map((c) => `-${c}`)), fc.constantFrom("", "=x", " x", "=true"), fc.nat(), (argv, written, value, at) => {
        const verb = parseCommand(quoteArgv(argv));
        assert.ok(verb.ok);
        const spec = VERBS.get(verb.parsed.verb);
        const known = written.startsWith("--") ? spec?.flags.has(written.slice(2)) : spec?.shorts.has(written.slice(1));
        fc.pre(!known);
        const i = 1 + (at % argv.length);
        const command = `${quoteArgv(argv.slice(0, i))} ${written}${value} ${quoteArgv(argv.slice(i))}`.trim();
        assert.equal(validateCommand(command, policy).decision, "deny", command);
      }),
      { numRuns: 3000 },
    );
  });

  it("whatever is let through, every argv token that starts with '-' is a listed, non-identity flag of its verb (3,000 runs)", () => {
    const piece = fc.constantFrom("-n", "shop", "-A", "-o", "yaml", "--output=json", "-l", "app=web", "--previous", "-p", "--tail=5", "web-1", "pods", "secret", "--", "-w", "--all-namespaces", "-s", "x");
    fc.assert(
      fc.property(fc.constantFrom(...ALLOWED), fc.array(piece, { maxLength: 5 }), (argv, extra) => {
        const command = quoteArgv([...argv, ...extra]);
        const v = validateCommand(command, policy);
        if (v.decision === "deny" || !v.parsed) return;
        const spec = VERBS.get(v.parsed.verb);
        const end = v.parsed.endOfFlags ?? v.argv.length;
        for (const token of v.argv.slice(1, end)) {
          if (!token.startsWith("-")) continue;
          const name = token.startsWith("--") ? token.slice(2).split("=")[0] ?? "" : spec?.shorts.get(token[1] ?? "") ?? "";
          assert.ok(spec?.flags.has(name), `${command}: ${token} is not a flag of ${v.parsed.verb}`);
          assert.ok(!IDENTITY_FLAGS.has(name.toLowerCase().replaceAll("_", "-")), `${command}: ${token}`);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("quoteArgv output tokenizes back to the same argv (5,000 runs)", () => {
    fc.assert(
      fc.property(fc.array(printable, { minLength: 1, maxLength: 8 }), (argv) => {
        const t = tokenize(quoteArgv(argv));
        assert.ok(t.ok, quoteArgv(argv));
        assert.deepEqual(t.tokens, argv);
      }),
      { numRuns: 5000 },
    );
  });
});
