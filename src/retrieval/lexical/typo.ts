/**
 * Edit-distance-1 correction against a fixed dictionary (symmetric-delete lookup, as in SymSpell): every
 * single-character deletion of every dictionary word is precomputed, so a query token costs a handful of map
 * lookups instead of a scan over the vocabulary. Transpositions count as one edit ("restrat" → "restart").
 * Tokens one shorter than the minimum length are only corrected by swapping two adjacent letters
 * ("lgos" → "logs"): any other single edit of a four-letter word too often yields a different real word.
 */
export class TypoCorrector {
  private readonly byDeletion = new Map<string, string[]>();
  private readonly words: ReadonlyMap<string, number>;

  /** `words` maps each dictionary word to its frequency, used to break ties between equally close words. */
  constructor(
    words: ReadonlyMap<string, number>,
    private readonly minLength: number,
  ) {
    this.words = words;
    for (const word of words.keys()) {
      if (word.length < minLength - 1) continue;
      for (const variant of [word, ...deletions(word)]) {
        const list = this.byDeletion.get(variant);
        if (list === undefined) this.byDeletion.set(variant, [word]);
        else if (!list.includes(word)) list.push(word);
      }
    }
  }

  /** The closest dictionary word within one edit, or undefined when there is none or the token is too short. */
  correct(token: string): string | undefined {
    if (this.words.has(token)) return token;
    if (token.length === this.minLength - 1) return this.bestOf(transpositions(token).filter((t) => this.words.has(t)));
    if (token.length < this.minLength) return undefined;
    const candidates = [token, ...deletions(token)].flatMap((variant) => this.byDeletion.get(variant) ?? []);
    return this.bestOf(candidates.filter((candidate) => withinOneEdit(token, candidate)));
  }

  /** The most frequent candidate; alphabetical among equals, so corrections are deterministic. */
  private bestOf(candidates: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestFrequency = -1;
    for (const candidate of candidates) {
      const frequency = this.words.get(candidate) ?? 0;
      if (frequency > bestFrequency || (frequency === bestFrequency && best !== undefined && candidate < best)) {
        best = candidate;
        bestFrequency = frequency;
      }
    }
    return best;
  }
}

function transpositions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < word.length; i++) out.push(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
  return out;
}

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** Optimal-string-alignment distance ≤ 1: one insertion, deletion, substitution or adjacent transposition. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
