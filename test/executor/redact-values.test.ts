import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { redact, REDACTED, redactValue } from "../../src/executor/index.js";

const R = REDACTED;

// Token-shaped inputs are split (`${"ghp"}_…`) so that secret scanners reading the repository do not
// take the test data for leaked credentials.
// Table-driven: [what, input, expected output]. Each row is one rule and the readable parts it keeps.
const MASKED: Array<[string, string, string]> = [
  // env entries in YAML and JSON (pod, deployment, lists)
  ["yaml env value", "    env:\n    - name: DB_PASSWORD\n      value: hunter2\n    - name: LOG\n      value: debug\n", `    env:\n    - name: DB_PASSWORD\n      value: ${R}\n    - name: LOG\n      value: debug\n`],
  ["yaml env, value before name", "- value: 'x y'\n  name: API_TOKEN\n", `- value: ${R}\n  name: API_TOKEN\n`],
  ["yaml env block scalar", "- name: TLS_KEY\n  value: |\n    line1\n    line2\n- name: A\n", `- name: TLS_KEY\n  value: |\n    ${R}\n    ${R}\n- name: A\n`],
  ["yaml env valueFrom kept", "- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef:\n      key: password\n      name: db\n", "- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef:\n      key: password\n      name: db\n"],
  ["json env value", '{"name": "STRIPE_KEY", "value": "abc123"}', `{"name": "STRIPE_KEY", "value": "${R}"}`],
  ["json env in a log line", 'msg {"env":[{"name":"DB_PASSWORD","value":"p4ss"},{"name":"HOST","value":"db"}]}', `msg {"env":[{"name":"DB_PASSWORD","value":"${R}"},{"name":"HOST","value":"db"}]}`],
  ["json key/value entry", '{"key":"SMTP_PASSWORD","value":"x1"}', `{"key":"SMTP_PASSWORD","value":"${R}"}`],
  ["probe header", "httpHeaders:\n- name: Authorization\n  value: Bearer abc\n", `httpHeaders:\n- name: Authorization\n  value: ${R}\n`],
  // ConfigMap data by key name; Secret data whole
  ["configmap data yaml", "data:\n  LOG_LEVEL: info\n  tls.key: abc\n  id_rsa: def\nkind: ConfigMap\n", `data:\n  LOG_LEVEL: info\n  tls.key: ${R}\n  id_rsa: ${R}\nkind: ConfigMap\n`],
  ["configmap binaryData yaml", "binaryData:\n  keystore.jks: AAEC\n  logo.png: iVBO\nkind: ConfigMap\n", `binaryData:\n  keystore.jks: ${R}\n  logo.png: iVBO\nkind: ConfigMap\n`],
  ["configmap data json", '{"kind":"ConfigMap","data":{"a":"b","APP_KEY":"k1"}}', `{"kind":"ConfigMap","data":{"a":"b","APP_KEY":"${R}"}}`],
  ["describe configmap entry", "Data\n====\nDB_PASSWORD:\n----\ns3cr3t\nLOG:\n----\ninfo\n\nBinaryData\n====\n", `Data\n====\nDB_PASSWORD:\n----\n${R}\nLOG:\n----\ninfo\n\nBinaryData\n====\n`],
  // last-applied-configuration: raw JSON in YAML, escaped JSON in JSON
  ["annotation in yaml", '  annotations:\n    last-applied: |\n      {"env":[{"name":"API_TOKEN","value":"t0k"}]}\n', `  annotations:\n    last-applied: |\n      {"env":[{"name":"API_TOKEN","value":"${R}"}]}\n`],
  ["annotation in json", '"last-applied": "{\\"env\\":[{\\"name\\":\\"API_TOKEN\\",\\"value\\":\\"t0k\\"}]}\\n"', `"last-applied": "{\\"env\\":[{\\"name\\":\\"API_TOKEN\\",\\"value\\":\\"${R}\\"}]}\\n"`],
  ["escaped Secret data, cut short", '"a": "{\\"kind\\":\\"Secret\\",\\"data\\":{\\"k\\":\\"c2Vj', `"a": "{\\"kind\\":\\"Secret\\",\\"data\\":{\\"k\\":\\"${R}`],
  // describe env, args
  ["describe env", "    Environment:\n      DB_PASSWORD:  hunter2\n      HOST:         db\n", `    Environment:\n      DB_PASSWORD:  ${R}\n      HOST:         db\n`],
  ["describe env continued", "      KEY_PEM:   line1\n                 line2\n      HOST:      db\n", `      KEY_PEM:   ${R}\n                 ${R}\n      HOST:      db\n`],
  ["args on separate lines", "    Args:\n      --db-password\n      hunter2\n", `    Args:\n      --db-password\n      ${R}\n`],
  ["args in a yaml list", "- args:\n  - --api-token\n  - abc\n", `- args:\n  - --api-token\n  - ${R}\n`],
  ["args in a json array", '"args": ["--password", "abc", "-v"]', `"args": ["--password", "${R}", "-v"]`],
  ["custom-columns row", "NAME          VALUE\nDB_PASSWORD   hunter2\n", `NAME          VALUE\nDB_PASSWORD   ${R}\n`],
  // prose and command lines
  ["password is", "the password is swordfish", `the password is ${R}`],
  ["password to", "set DB password to hunter2", `set DB password to ${R}`],
  ["password for user is", "root password for mysql is S3cret!", `root password for mysql is ${R}`],
  ["with password", "login with password Tr0ub4dor", `login with password ${R}`],
  ["quoted after word", 'password "x y z" set', `password "${R}" set`],
  ["api key colon", "API key: abc123", `API key: ${R}`],
  ["key=/value= logfmt", "key=DB_PASSWORD value=pw1", `key=DB_PASSWORD value=${R}`],
  ["mysql -p", "mysql -u root -pS3cret -e 'select 1'", `mysql -u root -p${R} -e 'select 1'`],
  ["mysqldump -p quoted", "mysqldump -p'a b' db", `mysqldump -p'${R}' db`],
  ["sshpass", "sshpass -p hunter2 ssh x", `sshpass -p ${R} ssh x`],
  ["redis-cli -a", "redis-cli -h r -a pw123 ping", `redis-cli -h r -a ${R} ping`],
  ["curl -u", "curl -u admin:pw123 https://x", `curl -u admin:${R} https://x`],
  ["docker login -p", "docker login -u ci -p pw123 reg", `docker login -u ci -p ${R} reg`],
  // URL-encoded
  ["encoded pair", "q=1&token%3Dabc%2F12%26x%3D1", `q=1&token%3D${R}%26x%3D1`],
  ["encoded json", "%7B%22password%22%3A%22pw1%22%7D", `%7B%22password%22%3A%22${R}%22%7D`],
  // token formats anywhere
  ["github", `clone with ${"ghp"}_0123456789abcdefghijABCDEFGHIJ012345 ok`, `clone with ${R} ok`],
  ["github fine-grained", `${"github"}_pat_11ABCDEFG0123456789abc_defghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU`, R],
  ["gitlab", `${"glpat"}-abcdefghij0123456789`, R],
  ["slack token", `${"xoxb"}-12345678901-1234567890123-abcdefghijklmnopqrstuvwx`, R],
  ["slack webhook", `https://hooks.slack.com/${"services"}/T0000000/B00000000/abcdefghijklmnopqrstuvwx`, `https://hooks.slack.com/services/${R}`],
  ["stripe", `${"sk"}_live_abcdefghijklmnop0123 ${"rk"}_live_abcdefghijklmnop0123`, `${R} ${R}`],
  ["google api key", `${"AIza"}SyA0123456789abcdefghijklmnopqrstuv`, R],
  ["openai", `${"sk"}-proj-abcdefghijklmnopqrstuvwxyz012345`, R],
  ["npm", `${"npm"}_abcdefghijklmnopqrstuvwxyz0123456789`, R],
  ["vault", `${"hvs"}.CAESIabcdefghijklmnopqrstuvwxyz012345`, R],
  ["aws key id and secret", "AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", `${R} ${R}`],
  ["jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", R],
  ["pem with escaped newlines", '"-----BEGIN PRIVATE KEY-----\\nMIIEvQ\\n-----END PRIVATE KEY-----\\n"', `"-----BEGIN PRIVATE KEY-----${R}-----END PRIVATE KEY-----\\n"`],
  ["pgp key block", "-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF\n-----END PGP PRIVATE KEY BLOCK-----", `-----BEGIN PGP PRIVATE KEY BLOCK-----${R}-----END PGP PRIVATE KEY BLOCK-----`],
  ["authorization token scheme", "Authorization: token abcdef123456", `Authorization: ${R}`],
  ["redis url without user", "redis://:pw123@redis:6379", `redis://:${R}@redis:6379`],
  ["env-style key names", "APP_KEY=base64:abc JWT_SALT: xyz", `APP_KEY=${R} JWT_SALT: ${R}`],
  ["dsn", "SENTRY_DSN=https://abc@o1.ingest.sentry.io/1", `SENTRY_DSN=${R}`],
];

// Ordinary text that must come out unchanged.
const KEPT = [
  "kubectl get pods -n prod -o wide",
  "web-7d4b9c-x2x9q   1/1   Running   0   45m   10.244.1.4   worker-1",
  "image: registry.example.com/api@sha256:9b2a4c1d7e3f5a6b8c0d2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4b",
  "uid: 6f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b\nresourceVersion: \"81234\"",
  "token is expired",
  "password is incorrect for user bob",
  "the secret \"db\" was not found",
  'Error from server (NotFound): secrets "db-credentials" not found',
  "Basic authentication enabled",
  "level=info msg=\"secret reloaded\" secret=prod/payments-db-credentials",
  "sk-worker-7d9f8c6b5-x2x9z ready",
  "    - name: DB_PASSWORD\n      valueFrom:\n        secretKeyRef:\n          key: password\n          name: db",
  "      API_TOKEN:  <set to the key 'token' in secret 'api'>  Optional: false",
  "tolerations:\n- key: node.kubernetes.io/not-ready\n  operator: Exists\n  value: gpu",
  "data:\n  LOG_LEVEL: info\nkind: ConfigMap",
  "mysql: [Warning] Using a password on the command line interface can be insecure.",
  "curl -sf http://localhost:8080/healthz",
  "GET /api/v1/orders?page=2&limit=50 200",
];

describe("redact by value", () => {
  for (const [what, input, expected] of MASKED) {
    it(`masks ${what}`, () => {
      assert.equal(redact(input), expected);
      assert.equal(redact(expected), expected, "idempotent");
    });
  }

  it("leaves ordinary output unchanged", () => {
    for (const text of KEPT) assert.equal(redact(text), text);
  });

  it("sees through colour codes and removes escape sequences", () => {
    assert.equal(redact("\x1b[36mpassword\x1b[0m=hunter2\x1b]52;c;ZXZpbA==\x07"), `password=${R}`);
    assert.equal(redact("progress 50%\rDB_PASS=x1"), `progress 50%DB_PASS=${R}`);
  });
});

describe("redactValue (audit records)", () => {
  it("masks passwords typed into goals (and plan summaries echoing them)", () => {
    const typed: Array<[string, string]> = [
      ["set DB password to hunter2", `set DB password to ${R}`],
      ["mysql -u root -pS3cret -e 'select 1'", `mysql -u root -p${R} -e 'select 1'`],
      ["rotate db password hunter2 in prod", `rotate db password ${R} in prod`],
      ["deploy with token abc123", `deploy with token ${R}`],
      ["reset password for bob", "reset password for bob"],
      ["password rotation for prod db", "password rotation for prod db"],
      ["show secret db-creds in prod", "show secret db-creds in prod"],
    ];
    for (const [goal, expected] of typed) {
      assert.deepEqual(redactValue({ request: { goal }, plan: { summary: goal } }), { request: { goal: expected }, plan: { summary: expected } });
    }
    // Program output keeps the narrower rule: a word after "password" is not taken for the secret there.
    assert.equal(redact("password rotation hunter2"), "password rotation hunter2");
  });

  it("masks env-style entries by their name and keeps valueFrom", () => {
    const input = {
      env: [
        { name: "DB_PASSWORD", value: "hunter2" },
        { name: "HOST", value: "db" },
        { name: "API_TOKEN", valueFrom: { secretKeyRef: { name: "api", key: "token" } } },
      ],
    };
    assert.deepEqual(redactValue(input), {
      env: [
        { name: "DB_PASSWORD", value: R },
        { name: "HOST", value: "db" },
        { name: "API_TOKEN", valueFrom: { secretKeyRef: { name: "api", key: "token" } } },
      ],
    });
  });
});
