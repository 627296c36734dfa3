const SENSITIVE =
  /pass(?:word|wd|phrase)?|pwd|secret|token|api_?key|access_?key|private_?key|client_?key|key_?data|certificate_?data|credential|authorization|cookie/;
// Names that merely point at or describe a secret (secretName, tokenFile, maxTokens) are not secrets.
const BENIGN_SUFFIX =
  /(?:name|names|ref|refs|namespace|path|file|dir|budget|type|seconds|ttl|count|tokens|enabled|mode|version|kind|length|size|url|uri|selector)$/;

// Audit records and outputs repeat the same few dozen field names; the cap keeps caller-chosen names
// (request params) from growing it without bound.
const CACHE_LIMIT = 2048;
const verdicts = new Map<string, boolean>();

function classify(key: string): boolean {
  const norm = key.toLowerCase().replace(/[-.]/g, "_");
  if (norm === "auth") return true;
  return SENSITIVE.test(norm) && !BENIGN_SUFFIX.test(norm.replaceAll("_", ""));
}

/** True when a field or flag name suggests its value is a credential (password, apiKey, client-key-data …). */
export function isSensitiveKey(key: string): boolean {
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = classify(key);
    if (verdicts.size < CACHE_LIMIT) verdicts.set(key, verdict);
  }
  return verdict;
}
