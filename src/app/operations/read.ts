import { ExecRequestSchema } from "../../core/request.js";
import { oneCopy } from "../../core/response.js";
import type { ExecAnswer } from "../../core/response.js";
import { ExecResponseSchema } from "./exec.js";
import { defineOperation } from "./types.js";

/**
 * Reads only: any command or request the policy calls read-only runs as k8s_exec would run it; anything else is
 * refused (status denied) after validation and before approval or execution, so a client may auto-approve it.
 */
export const readOperation = defineOperation<typeof ExecRequestSchema, ExecAnswer, "read">({
  name: "read",
  title: "Read from Kubernetes (never changes anything)",
  description:
    "Run one read-only kubectl/flux command under policy: get, describe, logs, events, top, explain, api-resources, on any kind " +
    "including CRDs and Flux objects, with -A, -l selectors, --sort-by, --show-labels and -o wide|name|yaml|json|jsonpath (Secret " +
    "values and tokens are never shown). Give command (a kubectl command line, no shell), argv, intent+resource, or a goal; " +
    "namespace and context are optional. Anything that would change the cluster is refused with status denied: use k8s_exec for it. " +
    'Example: {"command": "kubectl get ingress -n prod -o yaml"}',
  input: ExecRequestSchema,
  output: ExecResponseSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  http: { method: "POST", path: "/k8s-read" },
  mcp: { tool: "k8s_read" },
  run: async (runtime, input, context) => oneCopy(await runtime.read(input, context)),
});
