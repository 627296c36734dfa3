import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/index.js";
import type { Config, DeepPartial } from "../../src/config/index.js";
import { createRagK8s } from "../../src/core/runtime.js";
import type { RagK8s } from "../../src/core/runtime.js";
import { startSandbox } from "../../src/sandbox/index.js";
import type { Sandbox, SeedDocument } from "../../src/sandbox/index.js";

export interface Harness {
  readonly sandbox: Sandbox;
  readonly runtime: RagK8s;
  readonly dir: string;
  readonly auditPath: string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Seed state for the sandbox; default the bundled fixture. */
  readonly fixture?: string | SeedDocument;
  /** RuntimeOptions.cluster: false plans as if no cluster were configured. */
  readonly cluster?: boolean;
}

/** A fresh sandbox and a runtime pointed at it through a kubeconfig, as a user with a cluster would run it. */
export async function startHarness(overrides: DeepPartial<Config> = {}, options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "rag-k8s-e2e-"));
  const sandbox = await startSandbox(options.fixture === undefined ? {} : { fixture: options.fixture });
  const kubeconfig = join(dir, "kubeconfig");
  await sandbox.writeKubeconfig(kubeconfig);
  const auditPath = join(dir, "audit", "audit.jsonl");
  const env = { PATH: process.env["PATH"] ?? "", HOME: dir, KUBECACHEDIR: join(dir, "kube-cache") };
  const { config } = loadConfig({
    cwd: dir,
    env,
    overrides: { ...overrides, audit: { path: auditPath, ...overrides.audit }, kube: { kubeconfig, ...overrides.kube } },
  });
  const runtime = await createRagK8s({
    config,
    sandbox: "never",
    env,
    onWarning: () => {},
    ...(options.cluster === undefined ? {} : { cluster: options.cluster }),
  });
  return {
    sandbox,
    runtime,
    dir,
    auditPath,
    async close() {
      await runtime.close();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
