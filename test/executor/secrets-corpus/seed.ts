// The seeded cluster of the planted corpus. Pure and deterministic: the corpus test rebuilds the same
// planted values from the same seed, so no credential-shaped string has to be committed (the captured
// outputs hold placeholders where kubectl printed them).
import type { SeedDocument } from "../../../src/sandbox/index.js";
import { plantedLogLines } from "./log-lines.js";
import { pem, SecretMaker } from "./secrets.js";

export const PLANTED_SEED = 1414;

/** Placeholder for planted value `index` in the committed outputs. */
export function placeholder(index: number): string {
  return `<<planted:${index}>>`;
}

export const PLACEHOLDER = /<<planted:(\d+)>>/g;

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

export function plantedSeed(s: SecretMaker): SeedDocument {
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

/** The planted values, in the order the seed makes them. */
export function plantedValues(): SecretMaker["planted"] {
  const maker = new SecretMaker(PLANTED_SEED);
  plantedSeed(maker);
  return maker.planted;
}
