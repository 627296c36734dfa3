import { styleText } from "node:util";
import type { ExecRequestInput } from "../../../core/request.js";
import { openRuntime, printJson } from "../context.js";
import { formatResponse } from "../format.js";
import type { GlobalOptions } from "../options.js";

interface TourStep {
  readonly title: string;
  readonly request: ExecRequestInput;
}

const STEPS: readonly TourStep[] = [
  {
    title: "Restart a deployment (rolling restart, low risk)",
    request: { intent: "restart", resource: "deployment", namespace: "staging", name: "payments-api" },
  },
  {
    title: "Watch the rollout finish",
    request: { intent: "status", resource: "deployment", namespace: "staging", name: "payments-api", params: { timeout: "30s" } },
  },
  {
    title: "Scale up: medium risk, so it waits for confirmation",
    request: { intent: "scale", resource: "deployment", namespace: "staging", name: "web", params: { replicas: 4 } },
  },
  {
    title: "The same request, confirmed by the user",
    request: {
      intent: "scale",
      resource: "deployment",
      namespace: "staging",
      name: "web",
      params: { replicas: 4 },
      constraints: { confirm: true },
    },
  },
  {
    title: "Read the logs of the deployment's pods",
    request: { intent: "logs", resource: "deployment", namespace: "staging", name: "web", params: { tail: 5 } },
  },
];

const PROPOSED_DELETE = "kubectl delete pod web-0 -n prod";

/** A short guided run against the built-in sandbox cluster: nothing touches a real cluster. */
export async function runTour(options: GlobalOptions): Promise<number> {
  const heading = (text: string) => (process.stdout.isTTY ? styleText("bold", text) : text);
  const runtime = await openRuntime({ ...options, sandbox: true });
  const transcript: unknown[] = [];
  try {
    if (!options.json) {
      process.stdout.write(
        `rag-k8s tour — against the built-in sandbox cluster at ${runtime.target.sandboxUrl} (${runtime.cards.cards.length} cards, lexical retrieval, template planner)\n`,
      );
    }
    let confirmToken: string | undefined;
    for (const [i, step] of STEPS.entries()) {
      // A confirmed step approves the plan the previous step showed, with that answer's single-use token.
      const confirms = "constraints" in step.request && confirmToken !== undefined;
      const request = confirms ? { ...step.request, constraints: { confirm: true, confirmToken } } : step.request;
      const response = await runtime.exec(request);
      confirmToken = response.confirmToken;
      transcript.push({ step: step.title, request, response });
      if (!options.json) {
        process.stdout.write(`\n${heading(`${i + 1}. ${step.title}`)}\n  request: ${JSON.stringify(request)}\n${formatResponse(response)}\n`);
      }
    }
    const verdict = runtime.validate(PROPOSED_DELETE, { namespace: "prod" });
    transcript.push({ step: "A model proposes deleting a pod", command: PROPOSED_DELETE, validation: { ...verdict, parsed: undefined } });
    if (options.json) printJson(transcript);
    else {
      process.stdout.write(`\n${heading(`${STEPS.length + 1}. A model proposes: ${PROPOSED_DELETE}`)}\n`);
      process.stdout.write(`${verdict.decision.toUpperCase()}  risk ${verdict.risk}\n`);
      for (const r of verdict.reasons) process.stdout.write(`  - [${r.code}] ${r.message}\n`);
      for (const s of verdict.suggestions) process.stdout.write(`  try: ${s}\n`);
      process.stdout.write(`\nEvery operation above is in the audit log: ${runtime.config.audit.path}\n`);
    }
    return 0;
  } finally {
    await runtime.close();
  }
}
