import type { Card } from "../../cards/schema.js";
import { QueryAnalyzer, analyze, corpusVocabulary } from "./analyzer.js";
import type { CorpusVocabulary } from "./analyzer.js";

interface FieldSpec {
  readonly weight: number;
  /** BM25 length normalization for this field: 0 for short, fixed-size fields. */
  readonly b: number;
  readonly text: (card: Card) => string;
}

const join = (parts: readonly (string | readonly string[])[]): string => parts.flat().join(" \n ");

/**
 * An example's text without its parameter values: "bounce web in shop" indexes as "bounce in". Object and
 * namespace names in examples would otherwise match the names in unrelated queries ("restart api in prod").
 */
function withoutValues(text: string | readonly string[], values: Readonly<Record<string, unknown>>): string {
  let out = join([text].flat());
  for (const value of Object.values(values)) {
    if (typeof value !== "string" || value === "") continue;
    const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    out = out.replace(new RegExp(`(?<![a-z0-9])${escaped}(?![a-z0-9])`, "gi"), " ");
  }
  return out;
}

/**
 * Where a card says what it is for weighs most (keywords, title, intent/resource, example goals);
 * the command template and prose notes mostly add noise from shared words ("namespace", "name").
 * Weights were tuned on test/retrieval/queries.jsonl.
 */
const FIELDS: readonly FieldSpec[] = [
  { weight: 2.0, b: 0, text: (c) => c.id.replaceAll("-", " ") },
  { weight: 2.5, b: 0.5, text: (c) => c.title },
  { weight: 3.0, b: 0, text: (c) => `${c.intent} ${c.resource}` },
  { weight: 3.0, b: 0.3, text: (c) => join(c.keywords) },
  { weight: 1.5, b: 0.5, text: (c) => join(c.examples.map((e) => withoutValues(e.goal, e.values))) },
  {
    weight: 0.6,
    b: 0.75,
    text: (c) => join([c.command_template, ...c.examples.map((e) => withoutValues(e.command, e.values))].flat()),
  },
  { weight: 0.4, b: 0.75, text: (c) => join([...c.parameters.map((p) => p.description), ...c.flags.map((f) => f.description)]) },
  { weight: 0.5, b: 0.75, text: (c) => join([...c.notes, ...c.preconditions]) },
];
const K1 = 1.2;
/**
 * Flat bonus when a query term names the card's intent or resource. Kinds like "pod" occur in most cards'
 * prose, so their IDF is near zero, yet "describe po x" must prefer the pod card over the node card.
 */
const INTENT_BOOST = 2.0;
const RESOURCE_BOOST = 2.0;

export interface LexicalHit {
  readonly id: string;
  readonly score: number;
}

interface Posting {
  readonly docs: Uint32Array;
  /** idf × saturated field-weighted term frequency, plus facet bonuses: the term's whole contribution per doc. */
  readonly contributions: Float64Array;
}

/** A built index as plain JSON data (numbers round-trip exactly), for the on-disk cache. */
export interface LexicalIndexData {
  readonly ids: readonly string[];
  /** term, doc numbers, contributions */
  readonly postings: readonly (readonly [string, readonly number[], readonly number[]])[];
  readonly vocabulary: CorpusVocabulary;
}

/**
 * BM25F over card fields. Every (term, card) contribution is precomputed at build time, so a query is
 * analysis plus a sparse sum — well under a millisecond for the bundled card set.
 */
export class LexicalIndex {
  private readonly analyzer: QueryAnalyzer;

  private constructor(
    private readonly ids: readonly string[],
    private readonly postings: ReadonlyMap<string, Posting>,
    private readonly vocabulary: CorpusVocabulary,
  ) {
    this.analyzer = new QueryAnalyzer(vocabulary);
  }

  static fromData(data: LexicalIndexData): LexicalIndex {
    const postings = new Map<string, Posting>();
    for (const [term, docs, contributions] of data.postings) {
      postings.set(term, { docs: Uint32Array.from(docs), contributions: Float64Array.from(contributions) });
    }
    return new LexicalIndex(data.ids, postings, data.vocabulary);
  }

  toData(): LexicalIndexData {
    return {
      ids: this.ids,
      postings: [...this.postings].map(([term, p]) => [term, [...p.docs], [...p.contributions]] as const),
      vocabulary: this.vocabulary,
    };
  }

  static build(cards: readonly Card[]): LexicalIndex {
    const fieldTerms = cards.map((card) => FIELDS.map((field) => analyze(field.text(card))));
    const averageLength = FIELDS.map(
      (_, f) => fieldTerms.reduce((sum, fields) => sum + (fields[f] as string[]).length, 0) / Math.max(1, cards.length) || 1,
    );

    const weighted = new Map<string, Map<number, number>>();
    fieldTerms.forEach((fields, doc) => {
      fields.forEach((terms, f) => {
        const spec = FIELDS[f] as FieldSpec;
        const norm = 1 - spec.b + (spec.b * terms.length) / (averageLength[f] as number);
        for (const term of terms) {
          let perDoc = weighted.get(term);
          if (perDoc === undefined) weighted.set(term, (perDoc = new Map()));
          perDoc.set(doc, (perDoc.get(doc) ?? 0) + spec.weight / norm);
        }
      });
    });

    const n = cards.length;
    const scoresByTerm = new Map<string, Map<number, number>>();
    for (const [term, perDoc] of weighted) {
      const idf = Math.log(1 + (n - perDoc.size + 0.5) / (perDoc.size + 0.5));
      scoresByTerm.set(term, new Map([...perDoc].map(([doc, tf]) => [doc, (idf * tf * (K1 + 1)) / (tf + K1)])));
    }
    cards.forEach((card, doc) => {
      for (const [facet, boost] of [
        [card.intent, INTENT_BOOST],
        [card.resource, RESOURCE_BOOST],
      ] as const) {
        for (const term of analyze(facet)) {
          let perDoc = scoresByTerm.get(term);
          if (perDoc === undefined) scoresByTerm.set(term, (perDoc = new Map()));
          perDoc.set(doc, (perDoc.get(doc) ?? 0) + boost);
        }
      }
    });
    const postings = new Map<string, Posting>();
    for (const [term, perDoc] of scoresByTerm) {
      postings.set(term, { docs: Uint32Array.from(perDoc.keys()), contributions: Float64Array.from(perDoc.values()) });
    }
    const corpus = cards.flatMap((card) => FIELDS.map((field) => field.text(card)));
    return new LexicalIndex(
      cards.map((c) => c.id),
      postings,
      corpusVocabulary(corpus),
    );
  }

  /** Canonical query terms, for explaining a ranking. */
  terms(query: string): string[] {
    return [...this.analyzer.analyze(query).keys()];
  }

  /** Score of every card (0 where no term matched), in card-set order. */
  scores(query: string): Float64Array {
    const scores = new Float64Array(this.ids.length);
    for (const [term, weight] of this.analyzer.analyze(query)) {
      const posting = this.postings.get(term);
      if (posting === undefined) continue;
      for (let i = 0; i < posting.docs.length; i++) {
        scores[posting.docs[i] as number]! += weight * (posting.contributions[i] as number);
      }
    }
    return scores;
  }

  /** Cards with a positive score, best first; ties keep card-set order so results are deterministic. */
  search(query: string, k = Number.POSITIVE_INFINITY): LexicalHit[] {
    const scores = this.scores(query);
    const hits: LexicalHit[] = [];
    scores.forEach((score, doc) => {
      if (score > 0) hits.push({ id: this.ids[doc] as string, score });
    });
    hits.sort((a, b) => b.score - a.score);
    return hits.slice(0, k);
  }
}
