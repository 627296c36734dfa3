import { loadCardSet, openRetriever } from "../../../app/catalog.js";
import { INTENTS, RESOURCES } from "../../../cards/vocabulary.js";
import { retrieveOperation } from "../../../app/operations/index.js";
import { renderContext } from "../../../retrieval/index.js";
import type { Retriever } from "../../../retrieval/index.js";
import type { Config } from "../../../config/index.js";
import { parseWith } from "../../../core/errors.js";
import { cliConfig, printJson } from "../context.js";
import { UsageError } from "../errors.js";
import { progressReporter } from "../progress.js";
import type { GlobalOptions } from "../options.js";

export interface SearchFlags {
  readonly query?: string;
  readonly intent?: string;
  readonly resource?: string;
  readonly k?: number;
  readonly mode?: string;
  readonly budget?: number;
}

const MODES = ["lexical", "semantic", "hybrid"] as const;

async function retrieverFor(config: Config, mode?: string): Promise<Retriever> {
  if (mode !== undefined && !(MODES as readonly string[]).includes(mode)) throw new UsageError(`unknown --mode "${mode}"; valid values: ${MODES.join(", ")}`);
  const cards = await loadCardSet(config);
  return openRetriever(config, cards, {
    ...(mode ? { mode: mode as (typeof MODES)[number] } : {}),
    onWarning: (message: string) => process.stderr.write(`warning: ${message}\n`),
  });
}

function oneOf(field: string, value: string | undefined, valid: readonly string[]): void {
  if (value !== undefined && !valid.includes(value)) throw new UsageError(`unknown ${field} "${value}"; valid values: ${valid.join(", ")}`);
}

/** The flags as the retrieve operation's input, validated by the same schema HTTP and MCP use (flag names in messages first). */
function retrieveInput(query: string, flags: SearchFlags, config: Config, empty: string) {
  if (query.trim() === "" && !flags.intent && !flags.resource) throw new UsageError(empty);
  oneOf("--intent", flags.intent, INTENTS);
  oneOf("--resource", flags.resource, RESOURCES);
  if (flags.k !== undefined && (flags.k < 1 || flags.k > 50)) throw new UsageError(`-k must be between 1 and 50, got ${flags.k}`);
  return parseWith(retrieveOperation.input, {
    query,
    ...(flags.intent !== undefined ? { intent: flags.intent } : {}),
    ...(flags.resource !== undefined ? { resource: flags.resource } : {}),
    k: flags.k ?? config.retrieval.k,
    ...(flags.budget !== undefined ? { tokenBudget: flags.budget } : {}),
  });
}

async function retrieve(query: string, flags: SearchFlags, options: GlobalOptions, empty: string) {
  const { config } = cliConfig(options);
  const input = retrieveInput(query, flags, config, empty);
  const retriever = await retrieverFor(config, flags.mode);
  const runtime = { retriever, retrieve: retriever.search.bind(retriever), context: (hits: Parameters<typeof renderContext>[0], tokenBudget = config.retrieval.tokenBudget) => renderContext(hits, { tokenBudget }) };
  return retrieveOperation.run(runtime, input, {});
}

/** Both commands take the query the same way: as words after the command, or with -q/--query (not both). */
function queryOf(words: readonly string[], flags: SearchFlags): string {
  const positional = words.join(" ");
  if (flags.query !== undefined && positional.trim() !== "") throw new UsageError("give the query as words or with -q/--query, not both");
  return flags.query ?? positional;
}

export async function runSearch(words: readonly string[], flags: SearchFlags, options: GlobalOptions): Promise<number> {
  const output = await retrieve(queryOf(words, flags), flags, options, 'the query is empty; give words to search for, e.g. rag-k8s search "restart a deployment"');
  if (options.json) printJson({ mode: output.mode, hits: output.hits });
  else {
    for (const [i, s] of output.hits.entries()) {
      process.stdout.write(`${i + 1}. ${s.id}  (${s.intent} ${s.resource}, risk ${s.risk}, score ${s.score})\n   ${s.title}\n`);
    }
    if (output.hits.length === 0) process.stdout.write("no matching cards\n");
  }
  return 0;
}

export async function runRetrieve(words: readonly string[], flags: SearchFlags, options: GlobalOptions): Promise<number> {
  const output = await retrieve(queryOf(words, flags), flags, options, 'give a query (words or -q), --intent or --resource, e.g. rag-k8s retrieve "restart a deployment"');
  if (options.json) printJson({ mode: output.mode, cards: output.hits.map((h) => h.id), tokens: output.tokens, context: output.context });
  else process.stdout.write(`${output.context}\n\n(${output.hits.length} cards, ${output.tokens} tokens)\n`);
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
  const progress = progressReporter(process.stderr);
  try {
    await retriever.buildIndex(({ done, total }) => {
      if (!options.json) progress.update("embedding cards", total > 0 ? (done / total) * 100 : 100, `${done}/${total}`);
    });
  } finally {
    progress.end();
  }
  if (options.json) printJson({ indexDir: config.retrieval.indexDir, mode: retriever.mode });
  else process.stderr.write(`index written to ${config.retrieval.indexDir}\n`);
  return 0;
}
