import { INTENTS, RESOURCES } from "../../../cards/index.js";
import type { Intent, Resource } from "../../../cards/index.js";
import { loadCardSet, openRetriever } from "../../../core/catalog.js";
import { renderContext } from "../../../retrieval/index.js";
import type { RetrievalHit, Retriever } from "../../../retrieval/index.js";
import type { Config } from "../../../config/index.js";
import { cliConfig, printJson } from "../context.js";
import { UsageError } from "../errors.js";
import type { GlobalOptions } from "../options.js";

export interface SearchFlags {
  readonly intent?: string;
  readonly resource?: string;
  readonly k?: number;
  readonly mode?: string;
  readonly budget?: number;
}

function oneOf<T extends string>(field: string, value: string | undefined, valid: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(valid as readonly string[]).includes(value)) {
    throw new UsageError(`unknown ${field} "${value}"; valid values: ${valid.join(", ")}`);
  }
  return value as T;
}

async function retrieverFor(config: Config, mode?: string): Promise<Retriever> {
  const chosen = oneOf("--mode", mode, ["lexical", "semantic", "hybrid"] as const);
  const cards = await loadCardSet(config);
  const retriever = await openRetriever(config, cards, {
    ...(chosen ? { mode: chosen } : {}),
    onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
  });
  return retriever;
}

function searchOptions(flags: SearchFlags, defaultK: number) {
  const intent = oneOf<Intent>("--intent", flags.intent, INTENTS);
  const resource = oneOf<Resource>("--resource", flags.resource, RESOURCES);
  const k = flags.k ?? defaultK;
  if (!Number.isInteger(k) || k < 1 || k > 50) throw new UsageError(`-k must be between 1 and 50, got ${k}`);
  return { k, ...(intent ? { intent } : {}), ...(resource ? { resource } : {}) };
}

function hitSummary(hit: RetrievalHit) {
  const template = hit.card.command_template;
  return {
    id: hit.card.id,
    title: hit.card.title,
    intent: hit.card.intent,
    resource: hit.card.resource,
    risk: hit.card.risk_level,
    score: Math.round(hit.score * 10_000) / 10_000,
    ranks: hit.ranks,
    template: typeof template === "string" ? template : [...template],
  };
}

export async function runSearch(query: string, flags: SearchFlags, options: GlobalOptions): Promise<number> {
  if (query.trim() === "" && !flags.intent && !flags.resource) {
    throw new UsageError('the query is empty; give words to search for, e.g. rag-k8s search "restart a deployment"');
  }
  const { config } = cliConfig(options);
  const search = searchOptions(flags, config.retrieval.k);
  const retriever = await retrieverFor(config, flags.mode);
  const hits = await retriever.search(query, search);
  if (options.json) printJson({ mode: retriever.mode, hits: hits.map(hitSummary) });
  else {
    for (const [i, hit] of hits.entries()) {
      const s = hitSummary(hit);
      process.stdout.write(`${i + 1}. ${s.id}  (${s.intent} ${s.resource}, risk ${s.risk}, score ${s.score})\n   ${s.title}\n`);
    }
    if (hits.length === 0) process.stdout.write("no matching cards\n");
  }
  return 0;
}

export async function runRetrieve(flags: SearchFlags & { query?: string }, options: GlobalOptions): Promise<number> {
  const query = flags.query ?? "";
  if (query.trim() === "" && !flags.intent && !flags.resource) {
    throw new UsageError("give --query, --intent or --resource");
  }
  const { config } = cliConfig(options);
  const search = searchOptions(flags, config.retrieval.k);
  const retriever = await retrieverFor(config, flags.mode);
  const hits = await retriever.search(query, search);
  const context = renderContext(hits, { tokenBudget: flags.budget ?? config.retrieval.tokenBudget });
  if (options.json) printJson({ mode: retriever.mode, cards: context.cardIds, tokens: context.tokens, context: context.text });
  else process.stdout.write(`${context.text}\n\n(${context.cardIds.length} cards, ${context.tokens} tokens)\n`);
  return 0;
}

export async function runIndexBuild(flags: { mode?: string }, options: GlobalOptions): Promise<number> {
  const { config } = cliConfig(options);
  if (!config.retrieval.indexDir) {
    throw new UsageError("retrieval.indexDir is not set; set it in rag-k8s.config.yaml so the index has somewhere to live");
  }
  const retriever = await retrieverFor(config, flags.mode ?? "hybrid");
  if (retriever.mode === "lexical") {
    throw new UsageError("the embedding model could not be loaded (see the warning above); the lexical index needs no build");
  }
  await retriever.buildIndex(({ done, total }) => {
    if (!options.json) process.stderr.write(`\rembedding cards ${done}/${total}`);
  });
  if (options.json) printJson({ indexDir: config.retrieval.indexDir, mode: retriever.mode });
  else process.stderr.write(`\nindex written to ${config.retrieval.indexDir}\n`);
  return 0;
}
