import type { Card } from "../../cards/schema.js";
import { QueryAnalyzer, analyze } from "./analyzer.js";

interface FieldSpec {
  readonly weight: number;
  /** BM25 length normalization for this field: 0 for short, fixed-size fields. */
  readonly b: number;
  readonly text: (card: Card) => string;
}

const join = (parts: readonly (string | readonly string[])[]): string => parts.flat().join(" \n ");

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
  { weight: 1.5, b: 0.5, text: (c) => join(c.examples.map((e) => e.goal)) },
  { weight: 0.6, b: 0.75, text: (c) => join([c.command_template, ...c.examples.map((e) => e.command)]) },
  { weight: 0.4, b: 0.75, text: (c) => join([...c.parameters.map((p) => p.description), ...c.flags.map((f) => f.description)]) },
  { weight: 0.5, b: 0.75, text: (c) => join([...c.notes, ...c.preconditions]) },
];
const K1 = 1.2;

export interface LexicalHit {
  readonly id: string;
  readonly score: number;
}

interface Posting {
  readonly docs: Uint32Array;
  /** idf × saturated field-weighted term frequency: the term's whole contribution to each doc's score. */
  readonly contributions: Float64Array;
}

/**
 * BM25F over card fields. Every (term, card) contribution is precomputed at build time, so a query is
 * analysis plus a sparse sum — well under a millisecond for the bundled card set.
 */
export class LexicalIndex {
  private constructor(
    private readonly ids: readonly string[],
    private readonly postings: ReadonlyMap<string, Posting>,
    private readonly analyzer: QueryAnalyzer,
  ) {}

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
    const postings = new Map<string, Posting>();
    for (const [term, perDoc] of weighted) {
      const idf = Math.log(1 + (n - perDoc.size + 0.5) / (perDoc.size + 0.5));
      const docs = Uint32Array.from(perDoc.keys());
      const contributions = Float64Array.from(perDoc.values(), (tf) => (idf * tf * (K1 + 1)) / (tf + K1));
      postings.set(term, { docs, contributions });
    }
    const corpus = cards.flatMap((card) => FIELDS.map((field) => field.text(card)));
    return new LexicalIndex(
      cards.map((c) => c.id),
      postings,
      new QueryAnalyzer(corpus),
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
