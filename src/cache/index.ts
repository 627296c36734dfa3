export { codeFingerprint, digest, readCached, writeCached } from "./json-cache.js";
