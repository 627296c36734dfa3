import type { LlmProvider, LlmRequest, LlmResult } from "../../src/planner/llm/index.js";

/** Answers with the scripted outputs in order and records every request. */
export class ScriptedProvider implements LlmProvider {
  readonly id = "scripted:test";
  readonly requests: LlmRequest[] = [];
  constructor(private readonly outputs: readonly string[]) {}

  async generate(request: LlmRequest): Promise<LlmResult> {
    this.requests.push(request);
    const text = this.outputs[this.requests.length - 1];
    if (text === undefined) throw new Error(`ScriptedProvider: no output scripted for call ${this.requests.length}`);
    return { text, promptTokens: 100, completionTokens: 20, durationMs: 5, cachedPrefixTokens: 60 };
  }

  async close(): Promise<void> {}
}

export const VALID_PLAN = {
  intent: "restart",
  namespace: "prod",
  target: "deployment/web",
  selector: "",
  command: "kubectl rollout restart deployment/web -n prod",
  summary: "Restart the web deployment in prod.",
} as const;
