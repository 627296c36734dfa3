import { analyze } from "./analyzer.js";
import { stem } from "./stem.js";
import { STOPWORDS, SYNONYMS } from "./terms.js";

const STEMMED_FORMS: ReadonlySet<string> = new Set(
  [...SYNONYMS.keys()].filter((form) => !form.includes(" ")).map((form) => stem(form)),
);

/** True for words the lexical tables know (kinds, verbs, symptoms, stopwords): they are never object names. */
export function isVocabularyWord(word: string): boolean {
  const lower = word.toLowerCase();
  return STOPWORDS.has(lower) || SYNONYMS.has(lower) || STEMMED_FORMS.has(stem(lower));
}

/** The canonical terms of a text, e.g. "bounce the deploy" → restart, deployment. */
export function canonicalTerms(text: string): ReadonlySet<string> {
  return new Set(analyze(text));
}

/** Canonical terms that only say which object or place, not what to do. */
const SUBJECT_ONLY: ReadonlySet<string> = new Set(["recent", "warning"]);

/**
 * How well a card covers a query's operator vocabulary, from 0 to 1: the share of the query's known terms (kinds,
 * verbs, symptoms; not object names) that the card's text also has. BM25 scores are relative to the corpus and
 * always rank something first; this says whether the first hit actually speaks about what was asked, so a face
 * can say "no good match" for "helm upgrade release" instead of presenting the nearest card. 0 when the query
 * has no operator vocabulary at all ("terraform apply", "hello").
 */
export function termCoverage(query: string, cardText: string): number {
  const known = [...new Set(analyze(query))].filter((term) => KNOWN_TERMS.has(term) && !SUBJECT_ONLY.has(term));
  if (known.length === 0) return 0;
  const card = new Set(analyze(cardText));
  return known.filter((term) => card.has(term)).length / known.length;
}

const KNOWN_TERMS: ReadonlySet<string> = new Set([...SYNONYMS.values()].flat());
