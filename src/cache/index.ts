export { codeFingerprint, digest, pruneOldest, readCached, writeCached } from "./json-cache.js";
