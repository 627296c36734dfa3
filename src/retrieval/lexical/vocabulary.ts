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
