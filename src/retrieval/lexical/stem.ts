/**
 * A deliberately light stemmer: plurals, -ing, -ed and a final -e, so that "scale/scaling/scaled",
 * "restarts/restarted" and "services/service" meet. Full Porter stemming conflates too much for an
 * operations vocabulary ("general"/"generate", "node"/"nod") and the synonym tables cover the rest.
 */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let s = word;
  if (s.endsWith("ies") && s.length > 4) s = `${s.slice(0, -3)}y`;
  else if (s.endsWith("sses")) s = s.slice(0, -2);
  else if (/(?:ches|shes|xes|zes)$/.test(s)) s = s.slice(0, -2);
  else if (s.endsWith("s") && !/(?:ss|us|is)$/.test(s)) s = s.slice(0, -1);

  if (s.endsWith("ing") && s.length >= 6) s = undouble(s.slice(0, -3));
  else if (s.endsWith("ed") && s.length >= 5) s = undouble(s.slice(0, -2));

  if (s.endsWith("e") && s.length >= 5) s = s.slice(0, -1);
  return s;
}

/** "runn" → "run", "stopp" → "stop"; l, s and z stay doubled as in English ("pull", "pass", "buzz"). */
function undouble(s: string): string {
  const last = s.at(-1);
  if (last !== undefined && s.at(-2) === last && /[bcdfghjkmnpqrtvwx]/.test(last)) return s.slice(0, -1);
  return s;
}
