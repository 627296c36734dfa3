import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";

/** What rag-k8s needs to know of a kubeconfig: names and server URLs, never credentials. */
export interface KubeconfigSummary {
  readonly currentContext: string | null;
  /** Context name → its cluster's server URL (null when the cluster entry is missing). */
  readonly contexts: ReadonlyMap<string, { readonly cluster: string; readonly server: string | null; readonly namespace: string | null }>;
}

const KubeconfigFile = z
  .object({
    "current-context": z.string().nullish(),
    contexts: z.array(z.object({ name: z.string(), context: z.object({ cluster: z.string(), namespace: z.string().optional() }) })).nullish(),
    clusters: z.array(z.object({ name: z.string(), cluster: z.object({ server: z.string().optional() }) })).nullish(),
  })
  .loose();

export type KubeconfigResult = { readonly ok: true; readonly summary: KubeconfigSummary } | { readonly ok: false; readonly message: string };

/**
 * Reads every file of a KUBECONFIG list with kubectl's merge rule: the first file to define a name wins, and the
 * first current-context set wins. Files that do not exist are skipped as kubectl does, unless none exists.
 */
export function readKubeconfig(files: readonly string[]): KubeconfigResult {
  let currentContext: string | null = null;
  const contexts = new Map<string, { cluster: string; namespace: string | null }>();
  const servers = new Map<string, string | null>();
  let found = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      return { ok: false, message: `cannot read kubeconfig ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
    }
    found++;
    let document: unknown;
    try {
      document = parse(text) ?? {};
    } catch (error) {
      return { ok: false, message: `kubeconfig ${file} is not valid YAML: ${(error as Error).message.split("\n")[0]}` };
    }
    const parsed = KubeconfigFile.safeParse(document);
    if (!parsed.success) return { ok: false, message: `kubeconfig ${file} is not a kubeconfig: ${parsed.error.issues[0]?.path.join(".") ?? ""} ${parsed.error.issues[0]?.message ?? ""}`.trim() };
    currentContext ??= parsed.data["current-context"] || null;
    for (const entry of parsed.data.contexts ?? []) {
      if (!contexts.has(entry.name)) contexts.set(entry.name, { cluster: entry.context.cluster, namespace: entry.context.namespace ?? null });
    }
    for (const entry of parsed.data.clusters ?? []) {
      if (!servers.has(entry.name)) servers.set(entry.name, entry.cluster.server ?? null);
    }
  }
  if (found === 0) return { ok: false, message: `kubeconfig not found: ${files.join(", ")}` };
  const summary = new Map([...contexts].map(([name, c]) => [name, { cluster: c.cluster, server: servers.get(c.cluster) ?? null, namespace: c.namespace }]));
  return { ok: true, summary: { currentContext, contexts: summary } };
}
