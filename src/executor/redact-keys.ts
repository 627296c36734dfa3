const SENSITIVE =
  /pass(?:word|wd|phrase)?|pwd|secret|token|api_?key|access_?key|account_?key|private_?key|client_?key|signing_?key|encryption_?key|master_?key|key_?data|certificate_?data|credential|authorization|cookie|dsn|conn(?:ection)?_?str(?:ing)?|webhook_?url|amz_signature|goog_signature/;
// Names that merely point at or describe a secret (secretName, tokenFile, maxTokens) are not secrets.
const BENIGN_SUFFIX =
  /(?:name|names|ref|refs|namespace|path|file|dir|budget|type|seconds|ttl|count|tokens|enabled|mode|version|kind|length|size|url|uri|selector)$/;

/**
 * Names that are credentials when they name an environment variable or a ConfigMap entry, but too common
 * as ordinary field names to mask everywhere: `APP_KEY`, `JWT_SALT`, `tls.key`, `id_rsa`, `.htpasswd`.
 */
const SECRET_ENTRY =
  /(?:^|_)(?:key|salt|signature)$|_(?:pat|pw)$|(?:^|_)(?:id_(?:rsa|dsa|ecdsa|ed25519)|htpasswd|netrc|pgpass|npmrc|pypirc|git_credentials|dockerconfigjson|dockercfg|keystore|truststore_password)$|_(?:pem|p12|pfx|jks|kdbx)$/;

// Audit records and outputs repeat the same few dozen field names; the cap keeps caller-chosen names
// (request params) from growing it without bound.
const CACHE_LIMIT = 2048;
const verdicts = new Map<string, boolean>();
const entryVerdicts = new Map<string, boolean>();

function normalize(key: string): string {
  return key.toLowerCase().replace(/[-.]/g, "_").replace(/^_+/, "");
}

function classify(key: string): boolean {
  const norm = normalize(key);
  if (norm === "auth") return true;
  return SENSITIVE.test(norm) && !BENIGN_SUFFIX.test(norm.replaceAll("_", ""));
}

function cached(cache: Map<string, boolean>, key: string, decide: (key: string) => boolean): boolean {
  let verdict = cache.get(key);
  if (verdict === undefined) {
    verdict = decide(key);
    if (cache.size < CACHE_LIMIT) cache.set(key, verdict);
  }
  return verdict;
}

/** True when a field or flag name suggests its value is a credential (password, apiKey, client-key-data …). */
export function isSensitiveKey(key: string): boolean {
  return cached(verdicts, key, classify);
}

/**
 * True when the name of an environment variable, an env-style `{name, value}` entry or a ConfigMap data
 * entry suggests a credential: every sensitive key, plus names such as `STRIPE_KEY`, `tls.key`, `id_rsa`.
 */
export function isSecretEntryName(name: string): boolean {
  return isSensitiveKey(name) || cached(entryVerdicts, name, (n) => SECRET_ENTRY.test(normalize(n)));
}
