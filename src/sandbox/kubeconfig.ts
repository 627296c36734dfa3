import { stringify } from "yaml";

export interface KubeconfigOptions {
  namespace?: string;
  /** Context, cluster and user name; default "rag-k8s-sandbox". */
  name?: string;
}

/**
 * A kubeconfig for the sandbox: the server's self-signed certificate is the cluster's CA (kubectl does
 * not send bearer tokens to plain http servers, so the sandbox serves https).
 */
export function kubeconfigYaml(url: string, token: string | undefined, caPem: string | undefined, options: KubeconfigOptions = {}): string {
  const name = options.name ?? "rag-k8s-sandbox";
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server: url, ...(caPem ? { "certificate-authority-data": Buffer.from(caPem).toString("base64") } : {}) } }],
    users: [{ name, user: token === undefined ? {} : { token } }],
    contexts: [{ name, context: { cluster: name, user: name, ...(options.namespace ? { namespace: options.namespace } : {}) } }],
    "current-context": name,
    preferences: {},
  });
}
