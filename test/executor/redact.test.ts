import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { isSensitiveKey, redact, REDACTED, redactValue } from "../../src/executor/index.js";
import { redactPatterns } from "../../src/executor/redact.js";

const SECRET_YAML = `apiVersion: v1
items:
- apiVersion: v1
  data:
    password: cGFzc3dvcmQ=
    tls.key: |
      LS0tLS1CRUdJTg==
      TUlJRXZnSUJBREFOQmdrcWhraUc5dzBC
  kind: Secret
  metadata:
    annotations:
      kubectl.kubernetes.io/last-applied-configuration: |
        {"apiVersion":"v1","data":{"password":"cGFzc3dvcmQ="},"kind":"Secret","metadata":{"name":"db"}}
    name: db
  type: Opaque
- apiVersion: v1
  data:
    app.properties: color=blue
  kind: ConfigMap
  metadata:
    name: settings
kind: List
`;

const SECRET_JSON = `{
    "apiVersion": "v1",
    "data": {
        "password": "cGFzc3dvcmQ=",
        "username": "YWRtaW4="
    },
    "kind": "Secret",
    "metadata": {
        "annotations": {
            "kubectl.kubernetes.io/last-applied-configuration": "{\\"apiVersion\\":\\"v1\\",\\"data\\":{\\"password\\":\\"c2VjcmV0\\"},\\"kind\\":\\"Secret\\"}\\n"
        },
        "name": "db"
    }
}`;

describe("redact", () => {
  it("masks Secret data in YAML but leaves ConfigMaps readable", () => {
    const out = redact(SECRET_YAML);
    for (const leaked of ["cGFzc3dvcmQ=", "LS0tLS1CRUdJTg==", "TUlJRXZnSUJBREFOQmdrcWhraUc5dzBC"]) assert.ok(!out.includes(leaked), leaked);
    assert.match(out, /^ {4}password: \*\*\*REDACTED\*\*\*$/m);
    assert.match(out, /^ {4}app\.properties: color=blue$/m);
    assert.match(out, /^ {4}name: db$/m);
  });

  it("masks Secret data in JSON, including the escaped last-applied annotation", () => {
    const out = redact(SECRET_JSON);
    for (const leaked of ["cGFzc3dvcmQ=", "YWRtaW4=", "c2VjcmV0"]) assert.ok(!out.includes(leaked), leaked);
    assert.match(out, /"username": "\*\*\*REDACTED\*\*\*"/);
    assert.match(out, /"name": "db"/);
    assert.equal(redact('{"kind":"ConfigMap","data":{"a":"b"}}'), '{"kind":"ConfigMap","data":{"a":"b"}}');
  });

  it("masks data of a Secret whose kind was cut off (truncated output)", () => {
    assert.equal(redact('{"apiVersion":"v1","data":{"token":"dG9r'), `{"apiVersion":"v1","data":{"token":"${REDACTED}`);
    assert.equal(redact("data:\n  key: dmFsdWU=\n"), `data:\n  key: ${REDACTED}\n`);
  });

  it("masks credential-named fields, flags and key=value pairs", () => {
    const cases: Array<[string, string]> = [
      ["password: my pass word", `password: ${REDACTED}`],
      ['"apiKey": "sk-123", "model": "x"', `"apiKey": "${REDACTED}", "model": "x"`],
      ["api_key=xyz123&other=1", `api_key=${REDACTED}&other=1`],
      ["--from-literal=password=s3cr3t", `--from-literal=password=${REDACTED}`],
      ["kubectl --token abcdef get pods", `kubectl --token ${REDACTED} get pods`],
      ["DB_PASSWD='x y'", `DB_PASSWD='${REDACTED}'`],
      ["    client-key-data: LS0tLS1CRUdJTiBSU0E", `    client-key-data: ${REDACTED}`],
      ["    client-certificate-data: LS0tLS1CRUdJTiBD", `    client-certificate-data: ${REDACTED}`],
      ["token: abc.def", `token: ${REDACTED}`],
      ["aws_secret_access_key = wJalrXUtnFEMI", `aws_secret_access_key = ${REDACTED}`],
    ];
    for (const [input, expected] of cases) assert.equal(redact(input), expected, input);
  });

  it("leaves names of secrets and unrelated numbers alone", () => {
    const text = "secretName: my-secret\nautomountServiceAccountToken: true\ntokenBudget: 1200\nmaxTokens: 160\nsecretKeyRef:\n  name: db";
    assert.equal(redact(text), text);
  });

  it("masks bearer/basic credentials, URL passwords, private keys, AWS keys and JWTs", () => {
    assert.equal(redact("Authorization: Bearer abcdefghijklmnop"), `Authorization: ${REDACTED}`);
    assert.equal(redact('curl -H "X: Basic dXNlcjpwYXNz"'), `curl -H "X: Basic ${REDACTED}"`);
    assert.equal(redact("https://user:hunter2@example.com/x"), `https://user:${REDACTED}@example.com/x`);
    assert.equal(
      redact("a\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\nb"),
      `a\n-----BEGIN RSA PRIVATE KEY-----${REDACTED}-----END RSA PRIVATE KEY-----\nb`,
    );
    assert.equal(redact("-----BEGIN PRIVATE KEY-----\nMIIEvg (cut"), `-----BEGIN PRIVATE KEY-----${REDACTED}`);
    assert.equal(redact("key AKIAIOSFODNN7EXAMPLE here"), `key ${REDACTED} here`);
    assert.equal(redact("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-nature_x end"), `jwt ${REDACTED} end`);
  });

  it("never lets a password=value secret through (property)", () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9+/]{8,24}$/);
    const noise = fc.string({ maxLength: 40 }).map((s) => s.replace(/[A-Za-z0-9]/g, " "));
    fc.assert(
      fc.property(secret, noise, noise, fc.constantFrom("password=", "token: ", '"apiKey": "', "--password "), (s, before, afterText, key) => {
        const out = redact(`${before}\n${key}${s}\n${afterText}`);
        return !out.includes(s);
      }),
      { numRuns: 300 },
    );
  });

  it("is idempotent (property)", () => {
    // Random text almost never looks like a secret; build it from the pieces the patterns react to.
    const piece = fc.constantFrom(..."password|token|data|kind: Secret|:|=| |  |\n|- |\"|'|{|}|eyJ|Bearer |abcdefgh12|--token|-----BEGIN PRIVATE KEY-----|//u:|@|AKIA".split("|"));
    const text = fc.oneof(fc.string({ maxLength: 80 }), fc.array(piece, { maxLength: 40 }).map((parts) => parts.join("")));
    fc.assert(
      fc.property(text, (t) => redact(redact(t)) === redact(t)),
      { numRuns: 1000 },
    );
    // Counterexamples the property found on other seeds, kept so every run checks them.
    const FOUND: readonly string[] = [
      // The value ends at the quote, the URL rule masks the quote: "password=***REDACTED***@" was left once.
      "password=//u:'@",
    ];
    for (const t of FOUND) assert.equal(redact(redact(t)), redact(t), JSON.stringify(t));
  });

  it("the shortcut for text without secret markers never changes a result (property)", () => {
    // Every word and marker the patterns react to, in odd cases and glued to each other, so the shortcut's
    // list is exercised word by word; any text that the patterns would change must also pass the shortcut.
    const piece = fc.constantFrom(
      ..."pass|PassWord|pwd|secret|Token|api-key|API.KEY|accessKey|private_key|clientKey|key-data|certificate-data|credential|Authorization|auth|cookie|data|stringData|binaryData|kind: Secret|kind: ConfigMap|:|=|: |= |\n|  |- |\"|'|\\|{|}|,|--|eyJ|eyJhbGciOiJIUzI1NiJ9|Bearer |basic |abcdefgh12|ABCDEFGHIJKLMNOP|AKIA|ASIA|AROA|-----BEGIN RSA PRIVATE KEY-----|//u:|@|x".split("|"),
      ..."name|value|name: |value: |DB_PW|GH_PAT|APP_KEY|SALT|DSN|tls.pem|id_rsa|is |to |with |\"name\":\"X_PW\",\"value\":\"|%3D|%3a|%22|ghp_|github_pat_|glpat-|xoxb-|xapp-1-|sk_live_|rk_test_|whsec_|AIza|ya29.|sk-|sk-proj-|npm_|pypi-|hf_|SG.|dop_v1_|dckr_pat_|hvs.|hooks.slack.com/services/|mysql -p|redis-cli -a |curl -u a:|sshpass -p |docker login -p |----\n|\x1b[31m|\x1b]0;t\x07|\r".split("|"),
    );
    const pieces = fc.array(piece, { maxLength: 30 }).map((parts) => parts.join(""));
    const assignment = fc
      .tuple(pieces, piece, fc.constantFrom(": ", "=", " ", '": "'), fc.constantFrom("abcdefgh12", "'x y'", "-v"))
      .map((parts) => parts.join(""));
    const text = fc.oneof(fc.string({ maxLength: 60 }), pieces, assignment);
    fc.assert(
      fc.property(text, (t) => redact(t) === redactPatterns(t)),
      { numRuns: 5000 },
    );
    // Found by this property with a random seed: an entry name whose suffix runs on into the next word.
    for (const found of ["name: GH_PATvalue: = : abcdefgh12"]) assert.equal(redact(found), redactPatterns(found), found);
  });

  it("still masks each kind of secret through the shortcut", () => {
    const cases: Array<[string, string]> = [
      ["x PASSWORD=abc", `x PASSWORD=${REDACTED}`],
      ["cookie: sid=1", `cookie: ${REDACTED}`],
      ["Credentials='a b'", `Credentials='${REDACTED}'`],
      ["kubectl --auth xyz", `kubectl --auth ${REDACTED}`],
      ["ASIAIOSFODNN7EXAMPLE", REDACTED],
      ["stringData:\n  a: b\n", `stringData:\n  a: ${REDACTED}\n`],
      ['{"data":{"a":"b"}}', `{"data":{"a":"${REDACTED}"}}`],
    ];
    for (const [input, expected] of cases) assert.equal(redact(input), expected, input);
    const plain = "kubectl rollout restart deployment/web -n staging";
    assert.equal(redact(plain), plain);
  });

  // A catastrophic pattern would take minutes here; the timeout turns that into a failure.
  it("handles 1 MB adversarial inputs", { timeout: 30_000 }, () => {
    const MB = 1 << 20;
    const units = [
      "a:", "a=", "data:\n", '{"data":{"a":', '\\"data\\":{', "-----BEGIN PRIVATE KEY-----", "eyJ", "a.b-", "//a:", "--token ", "- ", '"', "password: |\n",
      '"{\\"', '"[{\\"a\\":', '{"name":"X_PW","value":"', "- name: X_PW\n  value: ", "password is ", "password for a ", "with password ", "mysql -p",
      "mysql ", "curl -u ", "token%3D", "%22password%22%3A", "a%3D", "DB_PASSWORD:\n----\n", "--password\n", "ghp_", "AKIA0123456789ABCDEF ", "xoxb-", "\x1b]", "key=X_PW value=",
    ];
    for (const unit of units) {
      const text = unit.repeat(Math.ceil(MB / unit.length));
      assert.equal(typeof redact(text), "string");
    }
  });
});

describe("redactValue", () => {
  it("masks credential fields, Secret objects and secret argv flags, keeping JSON shape", () => {
    const input = {
      argv: ["kubectl", "get", "pods", "--token", "abc", "--password=hunter2"],
      params: { apiKey: "sk-1", password: 1234, count: 3 },
      plan: { kind: "Secret", data: { a: "YQ==" }, metadata: { name: "db" } },
      note: "Bearer abcdefghijkl",
      when: new Date(0),
    };
    assert.deepEqual(redactValue(input), {
      argv: ["kubectl", "get", "pods", "--token", REDACTED, `--password=${REDACTED}`],
      params: { apiKey: REDACTED, password: REDACTED, count: 3 },
      plan: { kind: "Secret", data: { a: REDACTED }, metadata: { name: "db" } },
      note: `Bearer ${REDACTED}`,
      when: "1970-01-01T00:00:00.000Z",
    });
  });

  it("masks secrets in deeply nested params, argv strings and error messages", () => {
    const input = {
      request: { params: { env: [{ name: "DB", value: "password=hunter2" }], nested: { deeper: { clientSecret: "cs-1", apiToken: 42 } } } },
      argv: ["kubectl create secret generic db --from-literal=token=t0k3n -n x"],
      error: "dial https://admin:pa55w0rd@10.0.0.1:6443 failed; sent Authorization: Bearer abcdefghijklmnop",
      stdout: "apiVersion: v1\ndata:\n  tls.key: LS0tLS1CRUdJTg==\nkind: Secret\n",
    };
    const text = JSON.stringify(redactValue(input));
    for (const secret of ["hunter2", "cs-1", "42", "t0k3n", "pa55w0rd", "abcdefghijklmnop", "LS0tLS1CRUdJTg=="]) {
      assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    }
    assert.ok(text.includes('"name":"DB"'));
  });

  it("never modifies its input, and copies only what it masks", () => {
    const clean = { plan: { steps: [["kubectl", "get", "pods"]] }, timings: { totalMs: 1 } };
    const dirty = { plan: clean.plan, argv: ["kubectl", "--token", "abc"], params: { password: "p" } };
    const before = JSON.stringify(dirty);
    const out = redactValue(dirty) as typeof dirty;
    assert.equal(JSON.stringify(dirty), before, "the input is unchanged");
    assert.deepEqual(out.argv, ["kubectl", "--token", REDACTED]);
    assert.deepEqual(out.params, { password: REDACTED });
    assert.equal(out.plan, dirty.plan, "a part with nothing to mask is shared");
    assert.equal(redactValue(clean), clean);
  });

  it("knows which keys are sensitive", () => {
    for (const key of ["password", "apiKey", "api_key", "client-key-data", "token", "secret", "auth", "DB_PASS"]) assert.ok(isSensitiveKey(key), key);
    for (const key of ["secretName", "tokenBudget", "maxTokens", "name", "namespace", "author"]) assert.ok(!isSensitiveKey(key), key);
  });
});
