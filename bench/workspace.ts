import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config/index.js";
import type { Config, DeepPartial } from "../src/config/index.js";

/**
 * A scratch HOME for one section: the audit log, kubectl's discovery cache and any kubeconfig live here, so a
 * bench never reads or writes the user's real state and every section starts from the same place.
 */
export interface Workspace {
  readonly dir: string;
  readonly env: { readonly PATH: string; readonly HOME: string; readonly KUBECACHEDIR: string };
  readonly auditPath: string;
  config(overrides?: DeepPartial<Config>): Config;
  /** A syntactically valid kubeconfig pointing nowhere: enough for commands that never run kubectl. */
  dummyKubeconfig(): string;
  close(): void;
}

const DUMMY_KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
  - name: bench
    cluster: { server: "https://127.0.0.1:1" }
users:
  - name: bench
    user: { token: bench-not-a-real-token }
contexts:
  - name: bench
    context: { cluster: bench, user: bench }
current-context: bench
`;

export function openWorkspace(name: string): Workspace {
  const dir = mkdtempSync(join(tmpdir(), `rag-k8s-bench-${name}-`));
  const env = { PATH: process.env["PATH"] ?? "", HOME: dir, KUBECACHEDIR: join(dir, "kube-cache") };
  const auditPath = join(dir, "audit", "audit.jsonl");
  return {
    dir,
    env,
    auditPath,
    config(overrides = {}) {
      return loadConfig({ cwd: dir, env, overrides: { ...overrides, audit: { path: auditPath, ...overrides.audit } } }).config;
    },
    dummyKubeconfig() {
      const path = join(dir, "dummy.kubeconfig");
      writeFileSync(path, DUMMY_KUBECONFIG);
      return path;
    },
    close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const REPO_ROOT = join(import.meta.dirname, "..");

/** A path under the repository, whatever the working directory the bench was started from. */
export function repoPath(...parts: string[]): string {
  return join(REPO_ROOT, ...parts);
}
