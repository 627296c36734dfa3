// A JSON string whose content is itself JSON: kubectl's last-applied-configuration annotation in `-o json`
// output, a config blob logged as a string field. Its quotes are escaped (`{\"name\":…}`), so the
// structural scanners cannot see its fields; decoding it first lets every rule apply inside.
const EMBEDDED = /"([[{]{1,4}(?:[ \t]|\\[nrt])*\\"(?:[^"\\\n]|\\.)*)(?:"|$)/gm;
const ESCAPE = /\\(?:u([0-9A-Fa-f]{4})|(.))/g;
const SIMPLE_ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const MAX_DEPTH = 3;

/** Decodes a JSON string body; tolerant of a cut-off escape at its end (output truncated mid-string). */
function decode(body: string): string {
  return body.replace(/\\(?:u[0-9A-Fa-f]{0,3})?$/, "").replace(ESCAPE, (_all, hex: string | undefined, c: string | undefined) =>
    hex !== undefined ? String.fromCharCode(parseInt(hex, 16)) : (SIMPLE_ESCAPES[c as string] ?? (c as string)),
  );
}

/**
 * Runs `redactText` inside every JSON-encoded JSON string in `text` and re-encodes the strings it changed
 * (the rest of the text, and strings with nothing to mask, keep their exact bytes). Nested encodings are
 * followed up to three levels.
 */
export function redactEmbeddedJson(text: string, redactText: (text: string, depth: number) => string, depth = 0): string {
  if (depth >= MAX_DEPTH || !text.includes('\\"')) return text;
  return text.replace(EMBEDDED, (whole, body: string) => {
    const decoded = decode(body);
    const redacted = redactText(decoded, depth + 1);
    if (redacted === decoded) return whole;
    const encoded = JSON.stringify(redacted).slice(1, -1);
    return `"${encoded}${whole.endsWith('"') && whole.length > body.length + 1 ? '"' : ""}`;
  });
}
