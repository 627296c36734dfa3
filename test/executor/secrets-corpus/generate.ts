// Regenerates the corpus: `node --import tsx test/executor/secrets-corpus/generate.ts`.
// Starts the sandbox twice (a cluster seeded with planted credentials, and the bundled fixture for ordinary
// output), runs the real kubectl against each, and writes what it prints to planted/ and ordinary/, plus
// In planted/ every planted value is replaced by a placeholder; the corpus test rebuilds the values from the
// seed (seed.ts) and puts them back, so the repository holds no credential-shaped strings.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parse } from "yaml";
import { startSandbox, type SeedDocument } from "../../../src/sandbox/index.js";
import { ORDINARY_LOG_LINES } from "./log-lines.js";
import { placeholder, PLANTED_SEED, plantedSeed } from "./seed.js";
import { SecretMaker } from "./secrets.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");

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

async function capture(
  seed: SeedDocument | undefined,
  commands: Record<string, string[]>,
  outDir: string,
  conceal: (text: string) => string = (text) => text,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "rag-k8s-corpus-"));
  const sandbox = await startSandbox(seed === undefined ? {} : { fixture: seed });
  try {
    const kubeconfig = join(dir, "kubeconfig");
    await sandbox.writeKubeconfig(kubeconfig);
    const env = { PATH: process.env["PATH"] ?? "", HOME: dir, KUBECACHEDIR: join(dir, "cache") };
    mkdirSync(outDir, { recursive: true });
    for (const [file, args] of Object.entries(commands)) writeFileSync(join(outDir, file), conceal(await kubectl(env, kubeconfig, args)));
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const secrets = new SecretMaker(PLANTED_SEED);
const seed = plantedSeed(secrets);
// Longest first, so a value that contains another is replaced whole.
const byLength = secrets.planted.map(({ value }, index) => ({ value, index })).sort((a, b) => b.value.length - a.value.length);
const conceal = (text: string): string => byLength.reduce((out, { value, index }) => out.replaceAll(value, placeholder(index)), text);
await capture(seed, PLANTED_COMMANDS, join(here, "planted"), conceal);

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
