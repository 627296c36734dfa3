// Regenerates the corpus: `node --import tsx test/executor/secrets-corpus/generate.ts`.
// Starts the sandbox twice (a cluster seeded with planted credentials, and the bundled fixture for ordinary
// output), runs the real kubectl against each, and writes what it prints to planted/ and ordinary/, plus
// planted.json: every planted value, which redact() must remove from every file in planted/.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parse } from "yaml";
import { startSandbox, type SeedDocument } from "../../../src/sandbox/index.js";
import { ORDINARY_LOG_LINES, plantedLogLines } from "./log-lines.js";
import { pem, SecretMaker } from "./secrets.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");

function secretEnv(s: SecretMaker): Array<Record<string, unknown>> {
  return [
    { name: "DB_HOST", value: "pg.corp.svc" },
    { name: "DB_PASSWORD", value: s.password() },
    { name: "DATABASE_URL", value: `postgres://billing:${s.password()}@pg.corp.svc:5432/billing` },
    { name: "REDIS_PASSWORD", value: s.password() },
    { name: "API_TOKEN", value: s.opaque(32) },
    { name: "STRIPE_SECRET_KEY", value: s.stripe() },
    { name: "GITHUB_TOKEN", value: s.github() },
    { name: "SLACK_WEBHOOK_URL", value: `https://hooks.slack.com/services/${s.slackWebhookPath()}` },
    { name: "AWS_ACCESS_KEY_ID", value: s.awsAccessKeyId() },
    { name: "AWS_SECRET_ACCESS_KEY", value: s.awsSecretKey() },
    { name: "JWT_SECRET", value: s.opaque(40) },
    { name: "APP_KEY", value: `base64:${s.base64(32)}` },
    { name: "SENTRY_DSN", value: `https://${s.hex(32)}@o4504.ingest.sentry.io/4504` },
    { name: "OAUTH_CLIENT_SECRET", value: s.opaque(36) },
    { name: "LOG_LEVEL", value: "info" },
    { name: "TLS_PRIVATE_KEY", value: pem(s.pemBody(), "") },
    { name: "MAIL_PASSWORD", valueFrom: { secretKeyRef: { name: "mail", key: "password" } } },
    { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
  ];
}

/** Token-format credentials only: what a bare jsonpath or custom-columns print can still be checked for. */
function tokenEnv(s: SecretMaker): Array<Record<string, unknown>> {
  return [
    { name: "GH", value: s.github() },
    { name: "GH_FINE", value: s.githubFineGrained() },
    { name: "SLACK", value: s.slack() },
    { name: "STRIPE", value: s.stripe() },
    { name: "AWS_ID", value: s.awsAccessKeyId() },
    { name: "GOOGLE", value: s.googleApiKey() },
    { name: "OPENAI", value: s.openai() },
    { name: "NPM", value: s.npm() },
    { name: "HF", value: s.huggingface() },
    { name: "SENDGRID", value: s.sendgrid() },
    { name: "JWT", value: s.jwt() },
    { name: "GITLAB", value: s.gitlab() },
  ];
}

function lastApplied(manifest: Record<string, unknown>): string {
  return `${JSON.stringify(manifest)}\n`;
}

function plantedSeed(s: SecretMaker): SeedDocument {
  const podTemplateEnv = secretEnv(s);
  const sidecarEnv = secretEnv(s);
  const deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "billing", namespace: "corp", labels: { app: "billing" } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: "billing" } },
      template: {
        metadata: { labels: { app: "billing" } },
        spec: {
          containers: [
            { name: "billing", image: "registry.corp/billing:2.1.0", env: podTemplateEnv },
            { name: "sync", image: "registry.corp/sync:1.0.0", env: sidecarEnv },
          ],
        },
      },
    },
  };
  // What `kubectl apply` leaves behind: the applied manifest, with values that have been changed since.
  const applied = { ...deployment, spec: { ...deployment.spec, template: { ...deployment.spec.template, spec: { containers: [{ name: "billing", image: "registry.corp/billing:2.0.0", env: secretEnv(s) }] } } } };
  deployment.metadata = { ...deployment.metadata, annotations: { "kubectl.kubernetes.io/last-applied-configuration": lastApplied(applied) } } as typeof deployment.metadata;

  const configMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "billing-config", namespace: "corp" },
    data: {
      LOG_LEVEL: "info",
      DB_PASSWORD: s.password(),
      API_KEY: s.opaque(32),
      "tls.key": pem(s.pemBody()),
      "application.properties": `server.port=8080\nspring.datasource.url=jdbc:postgresql://pg:5432/billing\nspring.datasource.password=${s.password()}\nmanagement.endpoints=health\n`,
      "config.json": JSON.stringify({ db: { host: "pg", password: s.password() }, features: ["a", "b"] }, null, 2),
      ".npmrc": `//registry.npmjs.org/:_authToken=${s.npm()}\n`,
      "webhook-url": `https://hooks.slack.com/services/${s.slackWebhookPath()}`,
    },
    binaryData: { "keystore.jks": s.base64(48), "id_rsa": s.base64(64) },
  };
  configMap.metadata = { ...configMap.metadata, annotations: { "kubectl.kubernetes.io/last-applied-configuration": lastApplied({ ...configMap, data: { ...configMap.data, DB_PASSWORD: s.password() } }) } } as typeof configMap.metadata;

  const secret = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "db-credentials", namespace: "corp" },
    type: "Opaque",
    data: { username: Buffer.from("billing").toString("base64"), password: s.base64(18), "ca.key": s.base64(64) },
  };
  const registrySecret = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "registry", namespace: "corp" },
    type: "kubernetes.io/dockerconfigjson",
    data: { ".dockerconfigjson": s.base64(90) },
  };
  const kubeconfigMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "ci-kubeconfig", namespace: "corp" },
    data: {
      config: [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- cluster:",
        "    server: https://10.0.0.1:6443",
        "  name: prod",
        "users:",
        "- name: ci",
        "  user:",
        `    token: ${s.jwt()}`,
        "- name: admin",
        "  user:",
        `    client-key-data: ${s.base64(120)}`,
        `    password: ${s.password()}`,
        "",
      ].join("\n"),
    },
  };

  const event = (name: string, reason: string, message: string) => ({
    apiVersion: "v1",
    kind: "Event",
    metadata: { name, namespace: "corp" },
    involvedObject: { kind: "Pod", namespace: "corp", name: "worker" },
    reason,
    message,
    type: "Warning",
    count: 1,
    source: { component: "kubelet" },
  });

  return {
    kubernetesMinor: 31,
    images: {
      "registry.corp/worker:*": { logs: plantedLogLines(s) },
    },
    objects: [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "corp" } },
      { apiVersion: "v1", kind: "Node", metadata: { name: "node-1", labels: { "kubernetes.io/hostname": "node-1" } } },
      deployment,
      configMap,
      secret,
      registrySecret,
      kubeconfigMap,
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "worker", namespace: "corp", labels: { app: "worker" } },
        spec: { containers: [{ name: "worker", image: "registry.corp/worker:3.0.0", env: secretEnv(s), args: ["--db-password", s.password()] }] },
      },
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "tokens", namespace: "corp", labels: { app: "tokens" } },
        spec: { containers: [{ name: "tokens", image: "registry.corp/tokens:1.0.0", env: tokenEnv(s) }] },
      },
      event("worker.1", "Failed", `Error: failed to start container "worker": exec: "mysql -u root -p${s.password()}": executable file not found`),
      event("worker.2", "FailedMount", `MountVolume.SetUp failed: fetching https://ci:${s.password()}@git.corp/config.git: 403`),
      event("worker.3", "Unhealthy", `Readiness probe failed: GET /health?token=${s.opaque(24)}: 401`),
      event("worker.4", "BackOff", `Back-off pulling image: auth Bearer ${s.jwt()} rejected`),
    ],
  };
}

const PLANTED_COMMANDS: Record<string, string[]> = {
  "get-deployment.yaml": ["get", "deployment", "billing", "-n", "corp", "-o", "yaml"],
  "get-deployment.json": ["get", "deployment", "billing", "-n", "corp", "-o", "json"],
  "get-pods-list.yaml": ["get", "pods", "-n", "corp", "-o", "yaml"],
  "get-pods-list.json": ["get", "pods", "-n", "corp", "-o", "json"],
  "describe-pod.txt": ["describe", "pod", "worker", "-n", "corp"],
  "describe-deployment.txt": ["describe", "deployment", "billing", "-n", "corp"],
  "describe-configmap.txt": ["describe", "configmap", "billing-config", "-n", "corp"],
  "get-configmap.yaml": ["get", "configmap", "billing-config", "-n", "corp", "-o", "yaml"],
  "get-configmap.json": ["get", "configmap", "billing-config", "-n", "corp", "-o", "json"],
  "get-events.txt": ["get", "events", "-n", "corp"],
  "describe-pods-billing.txt": ["describe", "pods", "-n", "corp", "-l", "app=billing"],
  "get-secret.yaml": ["get", "secret", "db-credentials", "-n", "corp", "-o", "yaml"],
  "get-secrets.json": ["get", "secrets", "-n", "corp", "-o", "json"],
  "get-configmap-kubeconfig.yaml": ["get", "configmap", "ci-kubeconfig", "-n", "corp", "-o", "yaml"],
  "describe-configmap-kubeconfig.txt": ["describe", "configmap", "ci-kubeconfig", "-n", "corp"],
  "logs-worker.txt": ["logs", "worker", "-n", "corp"],
  "go-template-env.txt": ["get", "pod", "worker", "-n", "corp", "-o", 'go-template={{range .spec.containers}}{{range .env}}{{.name}}={{.value}}{{"\\n"}}{{end}}{{end}}'],
  "jsonpath-env-pairs.txt": ["get", "pod", "worker", "-n", "corp", "-o", 'jsonpath={range .spec.containers[*].env[*]}{.name}{"\\t"}{.value}{"\\n"}{end}'],
  "jsonpath-token-values.txt": ["get", "pod", "tokens", "-n", "corp", "-o", "jsonpath={.spec.containers[*].env[*].value}"],
  "custom-columns-tokens.txt": ["get", "pod", "tokens", "-n", "corp", "-o", "custom-columns=NAME:.metadata.name,VALUES:.spec.containers[*].env[*].value"],
  "jsonpath-configmap-data.txt": ["get", "configmap", "billing-config", "-n", "corp", "-o", "jsonpath={.data}"],
  "jsonpath-annotation.txt": ["get", "deployment", "billing", "-n", "corp", "-o", "jsonpath={.metadata.annotations}"],
};

const ORDINARY_COMMANDS: Record<string, string[]> = {
  "get-pods-all.txt": ["get", "pods", "-A", "-o", "wide"],
  "get-deployments-all.txt": ["get", "deployments", "-A"],
  "get-replicasets.txt": ["get", "replicasets", "-A"],
  "get-all-prod.txt": ["get", "all", "-n", "prod"],
  "get-events-all.txt": ["get", "events", "-A"],
  "get-nodes.txt": ["get", "nodes", "-o", "wide"],
  "get-configmaps.txt": ["get", "configmaps", "-A"],
  "get-secrets.txt": ["get", "secrets", "-A"],
  "describe-deployment-payments.txt": ["describe", "deployment", "payments-api", "-n", "prod"],
  "describe-pod-redis.txt": ["describe", "pods", "-n", "prod", "-l", "app=redis"],
  "describe-node.txt": ["describe", "node", "worker-1"],
  "get-deployment-payments.yaml": ["get", "deployment", "payments-api", "-n", "prod", "-o", "yaml"],
  "get-deployment-payments.json": ["get", "deployment", "payments-api", "-n", "prod", "-o", "json"],
  "get-pods-prod.yaml": ["get", "pods", "-n", "prod", "-o", "yaml"],
  "get-configmaps-all.yaml": ["get", "configmaps", "-A", "-o", "yaml"],
  "rollout-history.txt": ["rollout", "history", "deployment/api", "-n", "prod"],
  "logs-ordinary.txt": ["logs", "ordinary", "-n", "default"],
  "top-pods.txt": ["top", "pods", "-A"],
};

// Asynchronous: the sandbox answers kubectl from this same process.
async function kubectl(env: NodeJS.ProcessEnv, kubeconfig: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)("kubectl", ["--kubeconfig", kubeconfig, ...args], { env, encoding: "utf8", maxBuffer: 1 << 24 });
  return stdout;
}

async function capture(seed: SeedDocument | undefined, commands: Record<string, string[]>, outDir: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "rag-k8s-corpus-"));
  const sandbox = await startSandbox(seed === undefined ? {} : { fixture: seed });
  try {
    const kubeconfig = join(dir, "kubeconfig");
    await sandbox.writeKubeconfig(kubeconfig);
    const env = { PATH: process.env["PATH"] ?? "", HOME: dir, KUBECACHEDIR: join(dir, "cache") };
    mkdirSync(outDir, { recursive: true });
    for (const [file, args] of Object.entries(commands)) writeFileSync(join(outDir, file), await kubectl(env, kubeconfig, args));
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const secrets = new SecretMaker(1414);
await capture(plantedSeed(secrets), PLANTED_COMMANDS, join(here, "planted"));
writeFileSync(join(here, "planted.json"), `${JSON.stringify(secrets.planted, null, 1)}\n`);

// The bundled fixture plus one pod that prints ordinary log lines.
const bundled = parse(readFileSync(join(root, "fixtures", "sandbox.yaml"), "utf8"), { merge: true }) as { images: Record<string, unknown>; objects: unknown[] };
bundled.images["registry.example.com/ordinary:*"] = { logs: ORDINARY_LOG_LINES };
bundled.objects.push({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "ordinary", namespace: "default" },
  spec: { nodeName: "worker-1", containers: [{ name: "app", image: "registry.example.com/ordinary:1.0.0" }] },
});
await capture(bundled as SeedDocument, ORDINARY_COMMANDS, join(here, "ordinary"));
console.log(`planted ${secrets.planted.length} values`);
