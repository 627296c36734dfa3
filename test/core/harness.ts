import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRagK8s } from "../../src/app/runtime.js";
import type { RagK8s, RuntimeOptions } from "../../src/app/runtime.js";
import { loadConfig } from "../../src/config/index.js";
import type { Config, DeepPartial } from "../../src/config/index.js";
import { startSandbox } from "../../src/sandbox/index.js";
import type { Sandbox, SeedDocument } from "../../src/sandbox/index.js";

/**
 * The one sandbox harness for tests that drive rag-k8s against a cluster: a fresh sandbox with a kubeconfig in
 * a temp folder (as a user with a real cluster has), its own HOME and kubectl discovery cache.
 */
export interface ClusterFixture {
  readonly sandbox: Sandbox;
  readonly dir: string;
  readonly kubeconfig: string;
  /** The environment rag-k8s gives kubectl: its own HOME and discovery cache. */
  readonly env: NodeJS.ProcessEnv;
  /** A Config pointed at the sandbox through the kubeconfig, with its audit log in the temp folder. */
  config(overrides?: DeepPartial<Config>): Config;
  auditPath(name: string): string;
  close(): Promise<void>;
}

export interface ClusterOptions {
  /** Seed state for the sandbox; default the bundled fixture. */
  readonly fixture?: string | SeedDocument;
}

export async function startCluster(options: ClusterOptions = {}): Promise<ClusterFixture> {
  const dir = mkdtempSync(join(tmpdir(), "rag-k8s-e2e-"));
  const sandbox = await startSandbox(options.fixture === undefined ? {} : { fixture: options.fixture });
  const kubeconfig = join(dir, "kubeconfig");
  await sandbox.writeKubeconfig(kubeconfig);
  const env = { PATH: process.env["PATH"] ?? "", HOME: dir, KUBECACHEDIR: join(dir, "kube-cache") };
  const auditPath = (name: string) => join(dir, "audit", `${name}.jsonl`);
  return {
    sandbox,
    dir,
    kubeconfig,
    env,
    auditPath,
    config(overrides = {}) {
      return loadConfig({
        cwd: dir,
        env,
        overrides: {
          logLevel: "silent",
          ...overrides,
          kube: { kubeconfig, ...overrides.kube },
          audit: { path: auditPath("audit"), ...overrides.audit },
          http: { port: 0, ...overrides.http },
        },
      }).config;
    },
    async close() {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Harness {
  readonly sandbox: Sandbox;
  readonly runtime: RagK8s;
  readonly dir: string;
  readonly auditPath: string;
  close(): Promise<void>;
}

export interface HarnessOptions extends ClusterOptions {
  /** RuntimeOptions.cluster: false plans as if no cluster were configured. */
  readonly cluster?: boolean;
  /** More runtime options (an injected executor or audit log). */
  readonly runtime?: Omit<RuntimeOptions, "config">;
}

/** A cluster fixture and a runtime from the app root pointed at it, as a user with a cluster would run it. */
export async function startHarness(overrides: DeepPartial<Config> = {}, options: HarnessOptions = {}): Promise<Harness> {
  const cluster = await startCluster(options);
  const config = cluster.config(overrides);
  const runtime = await createRagK8s({
    config,
    sandbox: "never",
    env: cluster.env,
    onWarning: () => {},
    ...(options.cluster === undefined ? {} : { cluster: options.cluster }),
    ...options.runtime,
  });
  return {
    sandbox: cluster.sandbox,
    runtime,
    dir: cluster.dir,
    auditPath: config.audit.path,
    async close() {
      await runtime.close();
      await cluster.close();
    },
  };
}
