const SENSITIVE =
  /pass(?:word|wd|phrase)?|pwd|secret|token|api_?key|access_?key|private_?key|client_?key|key_?data|certificate_?data|credential|authorization|cookie/;
// Names that merely point at or describe a secret (secretName, tokenFile, maxTokens) are not secrets.
const BENIGN_SUFFIX =
  /(?:name|names|ref|refs|namespace|path|file|dir|budget|type|seconds|ttl|count|tokens|enabled|mode|version|kind|length|size|url|uri|selector)$/;

/** True when a field or flag name suggests its value is a credential (password, apiKey, client-key-data …). */
export function isSensitiveKey(key: string): boolean {
  const norm = key.toLowerCase().replace(/[-.]/g, "_");
  if (norm === "auth") return true;
  return SENSITIVE.test(norm) && !BENIGN_SUFFIX.test(norm.replaceAll("_", ""));
}
