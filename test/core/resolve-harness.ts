import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/index.js";
import { createRagK8s } from "../../src/core/runtime.js";
import type { RagK8s } from "../../src/core/runtime.js";
import { startSandbox } from "../../src/sandbox/index.js";
import type { Sandbox, SeedDocument } from "../../src/sandbox/index.js";

export interface FixtureHarness {
  readonly sandbox: Sandbox;
  readonly runtime: RagK8s;
  readonly auditPath: string;
  close(): Promise<void>;
}

/** A sandbox seeded with `fixture` and a runtime pointed at it through a kubeconfig (the real kubectl runs). */
export async function startFixtureHarness(fixture: string | SeedDocument, options: { cluster?: boolean } = {}): Promise<FixtureHarness> {
  const dir = mkdtempSync(join(tmpdir(), "rag-k8s-resolve-"));
  const sandbox = await startSandbox({ fixture });
  const kubeconfig = join(dir, "kubeconfig");
  await sandbox.writeKubeconfig(kubeconfig);
  const auditPath = join(dir, "audit.jsonl");
  const env = { PATH: process.env["PATH"] ?? "", HOME: dir, KUBECACHEDIR: join(dir, "kube-cache") };
  const { config } = loadConfig({ cwd: dir, env, overrides: { audit: { path: auditPath }, kube: { kubeconfig } } });
  const runtime = await createRagK8s({ config, sandbox: "never", env, onWarning: () => {}, ...(options.cluster === undefined ? {} : { cluster: options.cluster }) });
  return {
    sandbox,
    runtime,
    auditPath,
    async close() {
      await runtime.close();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
