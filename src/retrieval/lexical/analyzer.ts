import { stem } from "./stem.js";
import { KUBECTL_VERBS, NEGATIONS, STOPWORDS, SYNONYMS, VERB_CONTEXT_ALIASES } from "./terms.js";
import { TypoCorrector } from "./typo.js";

/** Tokens kubectl users write: words, `deploy.apps`, `deployment/web`, `--previous`, `crash-loop`. */
const RAW_TOKEN = /[a-z0-9]+(?:[._/-][a-z0-9]+)*/g;
/** First word of each multi-word synonym → the longest phrase starting with it, so most words skip phrase lookup. */
const PHRASE_STARTS: ReadonlyMap<string, number> = [...SYNONYMS.keys()]
  .map((key) => key.split(" "))
  .filter((words) => words.length > 1)
  .reduce((map, words) => map.set(words[0] as string, Math.max(words.length, map.get(words[0] as string) ?? 0)), new Map<string, number>());
/** Typos are corrected in tokens this long (four-letter ones only by transposition, see TypoCorrector). */
const TYPO_MIN_LENGTH = 5;
/**
 * Weight of the parts of a hyphenated or dotted word with no table entry: such words are almost always
 * object names ("node-exporter", "fluent-bit", "api-5c9") whose parts only look like vocabulary.
 */
const NAME_PART_WEIGHT = 0.3;

/** Single-word synonym keys by their stem, so that inflected forms not listed ("bouncing") still map. */
const STEMMED_SYNONYMS: ReadonlyMap<string, readonly string[]> = new Map(
  [...SYNONYMS].filter(([form]) => !form.includes(" ")).map(([form, terms]) => [stem(form), terms] as const),
);

interface Token {
  readonly text: string;
  readonly weight: number;
  /** Written as the kind of a `kind/name` reference, where short names like "no" are unambiguous. */
  readonly kind?: boolean;
}

function rawTokens(text: string): Token[] {
  const out: Token[] = [];
  for (const match of text.toLowerCase().replace(/['’]/g, "").matchAll(RAW_TOKEN)) {
    const token = match[0];
    // Group-qualified kinds ("deploy.apps") and hyphenated forms with their own entry stay whole.
    if (SYNONYMS.has(token)) {
      out.push({ text: token, weight: 1 });
      continue;
    }
    // kubectl's `kind/name`: the kind is the signal, the name is noise.
    const [head] = token.split("/");
    if (token.includes("/") && head !== undefined && (SYNONYMS.has(head) || VERB_CONTEXT_ALIASES.has(head))) {
      out.push({ text: head, weight: 1, kind: true });
      continue;
    }
    const parts = token.split(/[._/-]+/);
    const weight = parts.length === 1 ? 1 : NAME_PART_WEIGHT;
    for (const part of parts) {
      if (part.length > 1 && !/^\d+$/.test(part)) out.push({ text: part, weight });
    }
  }
  return out;
}

function singleWordTerms(token: Token, previous: Token | undefined): readonly string[] {
  const word = token.text;
  const contextual = VERB_CONTEXT_ALIASES.get(word);
  if (contextual !== undefined && (token.kind === true || (previous !== undefined && KUBECTL_VERBS.has(previous.text)))) {
    return [contextual];
  }
  if (STOPWORDS.has(word)) return [];
  const direct = SYNONYMS.get(word);
  if (direct !== undefined) return direct;
  const stemmed = stem(word);
  return STEMMED_SYNONYMS.get(stemmed) ?? [stemmed];
}

/** Canonical terms with their query weights: phrases first (longest wins, weakest part's weight), then words. */
function termsOf(tokens: readonly Token[]): Map<string, number> {
  const terms = new Map<string, number>();
  const add = (list: readonly string[], weight: number): void => {
    for (const term of list) terms.set(term, Math.max(weight, terms.get(term) ?? 0));
  };
  let i = 0;
  outer: while (i < tokens.length) {
    const longest = PHRASE_STARTS.get((tokens[i] as Token).text) ?? 0;
    for (let n = Math.min(longest, tokens.length - i); n >= 2; n--) {
      const span = tokens.slice(i, i + n);
      const phrase = SYNONYMS.get(span.map((t) => t.text).join(" "));
      if (phrase !== undefined) {
        add(phrase, Math.min(...span.map((t) => t.weight)));
        i += n;
        continue outer;
      }
    }
    const token = tokens[i] as Token;
    if (NEGATIONS.has(token.text)) {
      i += 2;
      continue;
    }
    add(singleWordTerms(token, tokens[i - 1]), token.weight);
    i++;
  }
  return terms;
}

/** Canonical terms of card text (no typo correction: card text is curated). */
export function analyze(text: string): string[] {
  return [...termsOf(rawTokens(text)).keys()];
}

/** What a QueryAnalyzer knows about the corpus: plain data, so a built analyzer can be cached as JSON. */
export interface CorpusVocabulary {
  /** Raw token → number of occurrences in the corpus (0 for synonym-table words the corpus lacks). */
  readonly frequencies: readonly (readonly [string, number])[];
  /** Canonical terms of the corpus. */
  readonly terms: readonly string[];
}

/** The vocabulary of card texts: their raw tokens with frequencies, plus the synonym tables' words. */
export function corpusVocabulary(corpusTexts: Iterable<string>): CorpusVocabulary {
  const frequencies = new Map<string, number>();
  const terms = new Set<string>();
  for (const text of corpusTexts) {
    const tokens = rawTokens(text);
    for (const token of tokens) frequencies.set(token.text, (frequencies.get(token.text) ?? 0) + 1);
    for (const term of termsOf(tokens).keys()) terms.add(term);
  }
  for (const form of SYNONYMS.keys()) {
    if (!form.includes(" ") && !frequencies.has(form)) frequencies.set(form, 0);
  }
  return { frequencies: [...frequencies], terms: [...terms] };
}

/**
 * Query analysis with typo tolerance against the words of the indexed cards and the synonym tables.
 * Built once per card set; the typo dictionary is built on the first query that needs a correction.
 */
export class QueryAnalyzer {
  private corrector: TypoCorrector | undefined;
  private readonly knownTerms: ReadonlySet<string>;

  constructor(private readonly vocabulary: CorpusVocabulary) {
    this.knownTerms = new Set(vocabulary.terms);
  }

  /** Canonical term → query weight (1, or less for parts of object names). */
  analyze(text: string): Map<string, number> {
    return termsOf(rawTokens(text).map((token) => ({ ...token, text: this.corrected(token.text) })));
  }

  private corrected(token: string): string {
    if (token.length < TYPO_MIN_LENGTH - 1 || STOPWORDS.has(token) || SYNONYMS.has(token)) return token;
    if (this.knownTerms.has(stem(token)) || STEMMED_SYNONYMS.has(stem(token))) return token;
    this.corrector ??= new TypoCorrector(new Map(this.vocabulary.frequencies), TYPO_MIN_LENGTH);
    return this.corrector.correct(token) ?? token;
  }
}
