import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { Api } from "./api.js";
import { Cluster } from "./cluster.js";
import { ControllerManager } from "./controllers/index.js";
import { defaultFixturePath, loadSeed, readSeed } from "./fixture.js";
import type { SeedDocument } from "./fixture.js";
import { SandboxServer } from "./http.js";
import type { DelayMatcher, RecordedRequest } from "./http.js";
import { kubeconfigYaml } from "./kubeconfig.js";
import { selfSignedCertificate } from "./tls.js";
import type { KubeconfigOptions } from "./kubeconfig.js";
import { RESOURCES } from "./resources.js";
import type { ResourceType } from "./resources.js";
import { fieldMatcher, labelMatcher } from "./selectors.js";
import { clone } from "./types.js";
import type { KubeObject } from "./types.js";

export { defaultFixturePath, FixtureError, SeedDocumentSchema } from "./fixture.js";
export type { SeedDocument } from "./fixture.js";
export type { DelayMatcher, RecordedRequest, RequestInfo } from "./http.js";
export type { KubeconfigOptions } from "./kubeconfig.js";
export type { KubeObject } from "./types.js";

export interface SandboxOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** The bearer token clients must send; default a random one; false turns authentication off. */
  token?: string | false;
  /** A fixture file path or a seed document; default fixtures/sandbox.yaml. */
  fixture?: string | SeedDocument;
  /** The minor version /version reports (kubectl's dispatcher picks kubectl.1.<minor>); default 31, or the fixture's. */
  kubernetesMinor?: number;
  /** 0 (default): controllers run right after each write, settled before the next request is served; > 0: one controller pass per tick. */
  controllerTickMs?: number;
  /** How often watches with allowWatchBookmarks=true get a BOOKMARK event; default 60000, as the API server. */
  watchBookmarkMs?: number;
  /**
   * Serve https with a fresh self-signed certificate (default true). kubectl withholds bearer tokens from
   * http servers, so plain http only makes sense with `token: false`.
   */
  tls?: boolean;
}

export interface Sandbox {
  /** http://host:port */
  readonly url: string;
  /** The bearer token, or undefined when authentication is off. */
  readonly token: string | undefined;
  /** The server certificate (PEM) to trust, or undefined over plain http. */
  readonly ca: string | undefined;
  kubeconfigYaml(options?: KubeconfigOptions): string;
  writeKubeconfig(path: string, options?: KubeconfigOptions): Promise<void>;
  /** Every request so far, oldest first. */
  readonly requests: readonly RecordedRequest[];
  clearRequests(): void;
  /** An object by resource ("deployments", "deploy", "Deployment", "deployments.apps"), namespace and name. */
  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list(resource: string, namespace?: string, selectors?: { labelSelector?: string; fieldSelector?: string }): KubeObject[];
  /** Delays matching responses by `ms` (a RegExp tests the path); for timeout tests. */
  setDelay(matcher: DelayMatcher, ms: number): void;
  clearDelays(): void;
  close(): Promise<void>;
}

/** Resolves the names kubectl accepts for a resource: plural, singular, kind, short name, optionally `.group`. */
export function resolveResource(name: string): ResourceType {
  const [base = "", ...groupParts] = name.split(".");
  const group = groupParts.join(".");
  const lower = base.toLowerCase();
  const candidates = RESOURCES.filter((r) => !r.virtual && (groupParts.length === 0 || r.group === group || r.group.startsWith(`${group}.`)));
  const found = candidates.find((r) => r.resource === lower || r.singular === lower || r.kind.toLowerCase() === lower || r.shortNames.includes(lower));
  if (!found) throw new Error(`sandbox: unknown resource "${name}"`);
  return found;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seed = await readSeed(options.fixture ?? defaultFixturePath());
  const cluster = new Cluster();
  const controllers = new ControllerManager(cluster, options.controllerTickMs ?? 0);
  loadSeed(cluster, controllers, seed);
  const token = options.token === false ? undefined : (options.token ?? randomBytes(24).toString("base64url"));
  const api = new Api(cluster, controllers);
  const tls = options.tls === false ? undefined : selfSignedCertificate();
  const server = new SandboxServer(cluster, api, { token, kubernetesMinor: options.kubernetesMinor ?? seed.kubernetesMinor ?? 31, bookmarkIntervalMs: options.watchBookmarkMs ?? 60_000, tls });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.server.address() as AddressInfo;
  const url = `${tls ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
  const ca = tls?.certPem;
  return {
    url,
    token,
    ca,
    kubeconfigYaml: (opts) => kubeconfigYaml(url, token, ca, opts),
    writeKubeconfig: (path, opts) => writeFile(path, kubeconfigYaml(url, token, ca, opts), { mode: 0o600 }),
    get requests() {
      return server.requests;
    },
    clearRequests: () => {
      server.requests.length = 0;
    },
    get: (resource, namespace, name) => {
      controllers.settlePending();
      const found = cluster.store.get(resolveResource(resource), namespace, name);
      return found ? clone(found) : undefined;
    },
    list: (resource, namespace, selectors = {}) => {
      controllers.settlePending();
      const type = resolveResource(resource);
      const byLabel = labelMatcher(selectors.labelSelector);
      const byField = fieldMatcher(selectors.fieldSelector, type.fieldLabels);
      return cluster.store.list(type, namespace).filter((o) => byLabel(o) && byField(o)).map(clone);
    },
    setDelay: (matcher, ms) => server.setDelay(matcher, ms),
    clearDelays: () => server.clearDelays(),
    close: async () => {
      controllers.stop();
      server.closeWatches();
      server.server.closeAllConnections();
      await new Promise<void>((resolve) => server.server.close(() => resolve()));
    },
  };
}
