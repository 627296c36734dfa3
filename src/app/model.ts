import { join } from "node:path";
import type { Config } from "../config/index.js";
import type { LlmProvider } from "../planner/llm/index.js";

/** The configured planner model's loader, or null when none is configured. Providers load on first use. */
export function providerFromConfig(config: Config): (() => Promise<LlmProvider>) | null {
  const llm = config.llm;
  if (llm.provider === "llama-cpp" && llm.modelPath) {
    const modelPath = llm.modelPath;
    return async () => {
      // node-llama-cpp is an optional native add-on: loaded only when a llama-cpp model is configured.
      const { LlamaCppProvider } = await import("../planner/llm/native.js");
      return LlamaCppProvider.load({
        modelPath,
        prefixStateDir: join(config.retrieval.cacheDir, "llm-prefix"),
        ...(llm.threads ? { threads: llm.threads } : {}),
        ...(llm.contextSize ? { contextSize: llm.contextSize } : {}),
      });
    };
  }
  if (llm.provider === "openai" && llm.baseUrl && llm.model) {
    const options = { baseUrl: llm.baseUrl, model: llm.model, timeoutMs: llm.timeoutMs, ...(llm.apiKey ? { apiKey: llm.apiKey } : {}) };
    return async () => new (await import("../planner/llm/openai.js")).OpenAICompatibleProvider(options);
  }
  return null;
}
