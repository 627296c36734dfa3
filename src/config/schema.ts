import { z } from "zod";
import { defaultAuditPath, defaultCacheDir } from "./defaults.js";

const int = (min: number, max: number) => z.number().int().min(min).max(max);

const CardsSchema = z.strictObject({
  dirs: z.array(z.string().min(1)).default([]).describe("Extra folders of command cards, loaded after the bundled set"),
  bundled: z.boolean().default(true).describe("Load the command cards that ship with rag-k8s"),
});

const PolicySchema = z.strictObject({
  dir: z.string().min(1).optional().describe("Folder with the policy to use instead of the bundled one"),
  readOnly: z.boolean().default(false).describe("Refuse every command that changes anything (k8s_exec is not offered over MCP)"),
  disableDestructive: z.boolean().default(false).describe("Refuse delete, drain, scale to 0 and rollout undo"),
  deniedKinds: z.array(z.string().regex(/^[A-Za-z][A-Za-z0-9.-]*$/)).default([]).describe("Kinds no command may name, read or write, e.g. secrets"),
});

const KubeSchema = z.strictObject({
  kubeconfig: z.string().min(1).optional().describe("Kubeconfig file handed to kubectl as KUBECONFIG (default: kubectl's own lookup)"),
  context: z
    .string()
    .min(1)
    .optional()
    .describe("Kubeconfig context; rag-k8s adds --context itself, a plan can never choose it"),
  contexts: z
    .array(z.string().min(1))
    .default([])
    .describe("Contexts a request may name in its `context` field (none: requests cannot choose a context)"),
  kubectl: z.string().min(1).default("kubectl").describe("kubectl program: a name looked up on PATH, or a path"),
  flux: z.string().min(1).default("flux").describe("flux program: a name looked up on PATH, or a path"),
});

const ExecSchema = z.strictObject({
  timeoutMs: int(100, 3_600_000).default(15_000).describe("Wall-clock limit per command, in milliseconds"),
  killGraceMs: int(1, 60_000).default(2_000).describe("Wait between SIGTERM and SIGKILL when a command is stopped"),
  maxStdoutChars: int(1, 10_000_000).default(4_000).describe("Characters of stdout kept per command (the rest is counted and hashed)"),
  maxStderrChars: int(1, 10_000_000).default(2_000).describe("Characters of stderr kept per command"),
  concurrency: int(1, 256).default(8).describe("Commands run at the same time; more wait in a queue"),
  mode: z
    .enum(["auto", "api", "kubectl"])
    .default("auto")
    .describe("auto: answer the common verbs by talking to the API server in process, kubectl for the rest; api: in process only; kubectl: always spawn kubectl"),
});

const AuditSchema = z.strictObject({
  path: z.string().min(1).default(() => defaultAuditPath()).describe("JSONL audit log (default under $XDG_STATE_HOME or ~/.local/state)"),
  maxBytes: int(1024, 2 ** 40).default(10 * 1024 * 1024).describe("Rotate the audit log before it grows past this many bytes"),
  retain: int(0, 1000).default(5).describe("Rotated audit files kept (audit.jsonl.1 … .N)"),
  mutations: z
    .strictObject({
      path: z.string().min(1).optional().describe("Mutation stream (write-ahead intents and results; default: audit.path with .mutations before its extension)"),
      keepDays: int(0, 36_500).default(90).describe("Mutation records younger than this many days are never pruned"),
      keepCount: int(0, 100_000_000).default(10_000).describe("The newest this many mutations are never pruned"),
      segmentBytes: int(4096, 2 ** 40).default(4 * 1024 * 1024).describe("Close the mutation stream's live file into a segment past this size"),
    })
    .prefault({})
    .describe("Write-ahead records of every mutation, kept by age and count, never rotated out by plans or reads"),
});

const ConfirmSchema = z.strictObject({
  requireHuman: z
    .boolean()
    .default(false)
    .describe("Only a person approves risky operations: at the terminal prompt or through MCP elicitation (a confirmToken alone is refused)"),
});

const RetrievalSchema = z.strictObject({
  mode: z.enum(["lexical", "semantic", "hybrid"]).default("lexical").describe("Card retrieval: lexical (BM25), semantic (embeddings) or hybrid"),
  k: int(1, 50).default(4).describe("Cards retrieved per request"),
  tokenBudget: int(100, 100_000).default(1_200).describe("Most tokens of card context given to a planner"),
  modelDir: z.string().min(1).optional().describe("Folder of the embedding model (default: <cacheDir>/models/<modelId>)"),
  modelId: z.string().min(1).default("Xenova/all-MiniLM-L6-v2").describe("Embedding model id"),
  cacheDir: z.string().min(1).default(() => defaultCacheDir()).describe("Cache folder (default under $XDG_CACHE_HOME or ~/.cache)"),
  indexDir: z.string().min(1).optional().describe("Folder where the vector index of the cards is stored"),
});

const LlmSchema = z.strictObject({
  provider: z.enum(["none", "llama-cpp", "openai"]).default("none").describe("Planner for free-text goals: none (deterministic only), llama-cpp (local GGUF) or openai (compatible API)"),
  modelPath: z.string().min(1).optional().describe("GGUF model file for llama-cpp"),
  baseUrl: z.url().optional().describe("Base URL of an OpenAI-compatible API"),
  model: z.string().min(1).optional().describe("Model name sent to the OpenAI-compatible API"),
  apiKey: z.string().min(1).optional().describe("API key for the OpenAI-compatible API (secret; masked in `config show`)"),
  temperature: z.number().min(0).max(2).default(0.2).describe("Sampling temperature"),
  maxTokens: int(1, 8192).default(160).describe("Most tokens the model may generate per plan"),
  threads: int(1, 1024).optional().describe("CPU threads for llama-cpp (default: the core count)"),
  contextSize: int(512, 131_072).optional().describe("Context window for llama-cpp in tokens: prompt plus completion (default: the model's, at most 8192)"),
  timeoutMs: int(100, 600_000).default(30_000).describe("Time limit for one model call, in milliseconds"),
});

const HttpSchema = z.strictObject({
  host: z.string().min(1).default("127.0.0.1").describe("Address the HTTP server binds to"),
  port: int(0, 65_535).default(8080).describe("HTTP port (0 picks a free one)"),
  token: z.string().min(16).optional().describe("Bearer token required by the HTTP API (secret; required off loopback)"),
  bodyLimitBytes: int(256, 64 * 1024 * 1024).default(65_536).describe("Largest accepted request body, in bytes"),
  concurrency: int(1, 1024).default(256).describe("Operations the HTTP server handles at once; more are answered 429 (processes are capped by exec.concurrency)"),
  requestTimeoutMs: int(100, 3_600_000).default(30_000).describe("Time limit for one HTTP request, in milliseconds"),
  allowedHosts: z
    .array(z.string().min(1).regex(/^[^\s/@]+$/, "a host name or address, optionally with :port"))
    .default([])
    .describe("Host header values accepted (and Origin hosts), e.g. rag-k8s.internal:8080; loopback names with the bound port are always accepted"),
  bodyTimeoutMs: int(100, 600_000).default(10_000).describe("Time limit for receiving a request body, in milliseconds"),
  perClientConcurrency: int(1, 1024)
    .optional()
    .describe("Requests one client address may have open at once (body upload included); more are answered 429. Default: http.concurrency on a loopback address (every local client shares it), else 16"),
});

/** The MCP tools rag-k8s offers (see interfaces/mcp/tools.ts). */
export const MCP_TOOLS = ["k8s_read", "k8s_exec", "k8s_plan", "k8s_search", "k8s_validate"] as const;

const McpSchema = z.strictObject({
  tools: z.array(z.enum(MCP_TOOLS)).optional().describe("MCP tools to offer (default: all; k8s_exec is never offered with policy.readOnly)"),
});

const PlanCacheSchema = z.strictObject({
  size: int(0, 1_000_000).default(512).describe("Plans kept in the in-memory cache (0 turns it off)"),
});

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|::1|localhost)$/;

export const ConfigSchema = z
  .strictObject({
    cards: CardsSchema.prefault({}).describe("Command cards"),
    policy: PolicySchema.prefault({}).describe("Policy engine"),
    kube: KubeSchema.prefault({}).describe("Kubernetes access"),
    exec: ExecSchema.prefault({}).describe("Command execution limits"),
    audit: AuditSchema.prefault({}).describe("Audit log"),
    confirm: ConfirmSchema.prefault({}).describe("Approval of risky operations"),
    retrieval: RetrievalSchema.prefault({}).describe("Card retrieval"),
    llm: LlmSchema.prefault({}).describe("Optional language model for free-text goals"),
    http: HttpSchema.prefault({}).describe("HTTP server"),
    planCache: PlanCacheSchema.prefault({}).describe("Plan cache"),
    mcp: McpSchema.prefault({}).describe("MCP server"),
    logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info").describe("Log level"),
  })
  .superRefine((config, ctx) => {
    if (config.llm.provider === "llama-cpp" && !config.llm.modelPath) {
      ctx.addIssue({ code: "custom", path: ["llm", "modelPath"], message: 'is required when llm.provider is "llama-cpp"' });
    }
    if (config.llm.provider === "openai" && !config.llm.model) {
      ctx.addIssue({ code: "custom", path: ["llm", "model"], message: 'is required when llm.provider is "openai"' });
    }
    if (!LOOPBACK.test(config.http.host) && !config.http.token) {
      ctx.addIssue({
        code: "custom",
        path: ["http", "token"],
        message: `is required when http.host (${config.http.host}) is not a loopback address`,
      });
    }
  });

export type Config = z.infer<typeof ConfigSchema>;
