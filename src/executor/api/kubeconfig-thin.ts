import { readFileSync } from "node:fs";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { AgentOptions, RequestOptions } from "node:https";
import { dirname, isAbsolute, join } from "node:path";
import { parse } from "yaml";

// The common kubeconfig shapes (a server with a CA, a bearer token or a client certificate) read the way
// @kubernetes/client-node 1.4 reads them, field for field, without loading its ≈ 1 MB bundle (≈ 50 ms of every
// one-shot command). Anything else — exec credential plugins, auth providers, proxies, entries client-node would
// reject, YAML beyond plain mappings and strings — is left to client-node itself: `parseThinKubeconfig` answers
// undefined and the caller loads the full KubeConfig.

/** A cluster entry as client-node's KubeConfig holds it. */
export interface ThinCluster {
  readonly name: string;
  readonly server: string;
  readonly caData: string | undefined;
  readonly caFile: string | undefined;
  readonly skipTLSVerify: boolean;
  readonly tlsServerName: string | undefined;
  readonly proxyUrl: undefined;
}

/** A user entry as client-node's KubeConfig holds it (null where client-node has null for a user without fields). */
export interface ThinUser {
  readonly name: string;
  readonly authProvider: undefined | null;
  readonly exec: undefined | null;
  readonly certData: string | undefined | null;
  readonly certFile: string | undefined | null;
  readonly keyData: string | undefined | null;
  readonly keyFile: string | undefined | null;
  readonly token: string | undefined;
  readonly username: string | undefined | null;
  readonly password: string | undefined | null;
  readonly impersonateUser: string | undefined | null;
}

export interface ThinContext {
  readonly name: string;
  readonly cluster: string;
  readonly user: string | undefined;
  readonly namespace: string | undefined;
}

/** Fields this loader reads; a kubeconfig that sets any other user or cluster field goes to client-node. */
const CLUSTER_FIELDS = new Set(["server", "certificate-authority", "certificate-authority-data", "insecure-skip-tls-verify", "tls-server-name", "extensions"]);
const USER_FIELDS = new Set(["token", "token-file", "client-certificate", "client-certificate-data", "client-key", "client-key-data", "username", "password", "as", "extensions"]);

type Entry = Record<string, unknown>;

class NotThin extends Error {}

function record(value: unknown): Entry {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new NotThin();
  return value as Entry;
}

/** A string field (undefined when absent); any other scalar (a number, a date, a binary) is client-node's to read. */
function text(entry: Entry, key: string): string | undefined {
  const value = entry[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new NotThin();
  return value;
}

function list(root: Entry, key: string): Entry[] {
  const value = root[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new NotThin();
  return value.map(record);
}

function onlyKnown(entry: Entry, known: ReadonlySet<string>): void {
  for (const key of Object.keys(entry)) if (!known.has(key)) throw new NotThin();
}

function cluster(elt: Entry, dir: string): ThinCluster {
  const name = text(elt, "name");
  const body = elt["cluster"] === undefined ? undefined : record(elt["cluster"]);
  const server = body ? text(body, "server") : undefined;
  if (!name || !body || !server) throw new NotThin();
  onlyKnown(body, CLUSTER_FIELDS);
  const skip = body["insecure-skip-tls-verify"];
  if (skip !== undefined && typeof skip !== "boolean") throw new NotThin();
  const caFile = text(body, "certificate-authority");
  return {
    name,
    server: server.replace(/\/$/, ""),
    caData: text(body, "certificate-authority-data"),
    caFile: caFile ? absolute(dir, caFile) : caFile,
    skipTLSVerify: skip === true,
    tlsServerName: text(body, "tls-server-name"),
    proxyUrl: undefined,
  };
}

function user(elt: Entry, dir: string): ThinUser {
  const name = text(elt, "name");
  if (!name) throw new NotThin();
  if (elt["user"] === undefined || elt["user"] === null) {
    return { name, authProvider: null, exec: null, certData: null, certFile: null, keyData: null, keyFile: null, token: undefined, username: null, password: null, impersonateUser: null };
  }
  const body = record(elt["user"]);
  onlyKnown(body, USER_FIELDS);
  const certFile = text(body, "client-certificate");
  const keyFile = text(body, "client-key");
  const tokenFile = text(body, "token-file");
  const token = text(body, "token");
  return {
    name,
    authProvider: undefined,
    exec: undefined,
    certData: text(body, "client-certificate-data"),
    certFile: certFile ? absolute(dir, certFile) : certFile,
    keyData: text(body, "client-key-data"),
    keyFile: keyFile ? absolute(dir, keyFile) : keyFile,
    // As client-node: read once, relative to the working directory.
    token: token ? token : tokenFile ? readFileSync(tokenFile).toString() : undefined,
    username: text(body, "username"),
    password: text(body, "password"),
    impersonateUser: text(body, "as"),
  };
}

function context(elt: Entry): ThinContext {
  const name = text(elt, "name");
  const body = elt["context"] === undefined ? undefined : record(elt["context"]);
  const clusterName = body ? text(body, "cluster") : undefined;
  if (!name || !body || !clusterName) throw new NotThin();
  return { name, cluster: clusterName, user: text(body, "user") || undefined, namespace: text(body, "namespace") || undefined };
}

function absolute(dir: string, file: string): string {
  return !dir || isAbsolute(file) ? file : join(dir, file);
}

function fileOrData(file: string | undefined | null, data: string | undefined | null): Buffer | null {
  if (file) return readFileSync(file);
  if (data) return Buffer.from(data, "base64");
  return null;
}

/** One parsed kubeconfig file, or several merged; the subset of client-node's KubeConfig the API executor uses. */
export class ThinKubeConfig {
  constructor(
    private readonly clusters: readonly ThinCluster[],
    private readonly users: readonly ThinUser[],
    private readonly contexts: readonly ThinContext[],
    private currentContext: string | null | undefined,
  ) {}

  getCurrentContext(): string {
    // As client-node: whatever current-context said, absent included (its typings say string).
    return this.currentContext as string;
  }

  setCurrentContext(name: string): void {
    this.currentContext = name;
  }

  getContextObject(name: string | null | undefined): ThinContext | null {
    return this.contexts.find((c) => c.name === name) ?? null;
  }

  getCurrentCluster(): ThinCluster | null {
    const ctx = this.getContextObject(this.currentContext);
    return ctx ? (this.clusters.find((c) => c.name === ctx.cluster) ?? null) : null;
  }

  getCurrentUser(): ThinUser | null {
    const ctx = this.getContextObject(this.currentContext);
    return ctx ? (this.users.find((u) => u.name === ctx.user) ?? null) : null;
  }

  /** TLS material, headers and an agent, set exactly as client-node's applyToHTTPSOptions sets them. */
  async applyToHTTPSOptions(opts: RequestOptions): Promise<void> {
    const cluster = this.getCurrentCluster();
    const user = this.getCurrentUser();
    if (user) {
      if (cluster?.skipTLSVerify) opts.rejectUnauthorized = false;
      if (cluster?.tlsServerName) opts.servername = cluster.tlsServerName;
      const ca = cluster ? fileOrData(cluster.caFile, cluster.caData) : null;
      if (ca) opts.ca = ca;
      const cert = fileOrData(user.certFile, user.certData);
      if (cert) opts.cert = cert;
      const key = fileOrData(user.keyFile, user.keyData);
      if (key) opts.key = key;
      const headers = (opts.headers ??= {}) as Record<string, string>;
      if (user.impersonateUser != null) headers["Impersonate-User"] = user.impersonateUser;
      if (user.token) headers["Authorization"] = `Bearer ${user.token}`;
      if (user.username) opts.auth = `${user.username}:${user.password}`;
    }
    const agentOptions: AgentOptions = { ca: opts.ca, cert: opts.cert, key: opts.key, pfx: opts.pfx, passphrase: opts.passphrase, timeout: opts.timeout, servername: opts.servername };
    if (opts.rejectUnauthorized !== undefined) agentOptions.rejectUnauthorized = opts.rejectUnauthorized;
    opts.agent = this.createAgent(cluster, agentOptions);
  }

  /** client-node's agent choice without proxies: plain http only with insecure-skip-tls-verify. */
  createAgent(cluster: ThinCluster | null, options: AgentOptions): HttpAgent | HttpsAgent {
    if (cluster?.server.startsWith("http:")) {
      if (!cluster.skipTLSVerify) throw new Error("HTTP protocol is not allowed when skipTLSVerify is not set or false");
      return new HttpAgent(options);
    }
    return new HttpsAgent(options);
  }
}

/** One file's entries, or undefined when it is not a shape this loader reads. */
function parseFile(file: string): { clusters: ThinCluster[]; users: ThinUser[]; contexts: ThinContext[]; current: string | null | undefined } | undefined {
  try {
    const root = record(parse(readFileSync(file, "utf8"), { schema: "core", customTags: ["binary", "omap", "pairs", "set", "timestamp"], merge: true }));
    const dir = dirname(file);
    const current = root["current-context"];
    if (current !== undefined && current !== null && typeof current !== "string") throw new NotThin();
    return {
      clusters: list(root, "clusters").map((c) => cluster(c, dir)),
      users: list(root, "users").map((u) => user(u, dir)),
      contexts: list(root, "contexts").map(context),
      current,
    };
  } catch {
    return undefined;
  }
}

function unique(names: readonly string[]): boolean {
  return new Set(names).size === names.length;
}

/**
 * The kubeconfig files merged as the API executor merges them with client-node (the first file's
 * current-context; a name defined twice is client-node's error to report), or undefined when any file is not
 * a common shape and client-node must read them.
 */
export function parseThinKubeconfig(files: readonly string[]): ThinKubeConfig | undefined {
  const parsed = files.map(parseFile);
  if (parsed.length === 0 || parsed.some((p) => p === undefined)) return undefined;
  const all = parsed as NonNullable<ReturnType<typeof parseFile>>[];
  const clusters = all.flatMap((p) => p.clusters);
  const users = all.flatMap((p) => p.users);
  const contexts = all.flatMap((p) => p.contexts);
  if (!unique(clusters.map((c) => c.name)) || !unique(users.map((u) => u.name)) || !unique(contexts.map((c) => c.name))) return undefined;
  return new ThinKubeConfig(clusters, users, contexts, all[0]?.current);
}
