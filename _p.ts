import fc from "fast-check";
import { redact } from "./src/executor/index.js";
const piece = fc.constantFrom(..."password|token|data|kind: Secret|:|=| |  |\n|- |\"|'|{|}|eyJ|Bearer |abcdefgh12|--token|-----BEGIN PRIVATE KEY-----|//u:|@|AKIA|\\\"|,|stringData|kind|\"kind\"|\"data\"|***REDACTED***|x".split("|"));
const text = fc.oneof(fc.string({ maxLength: 80 }), fc.array(piece, { maxLength: 40 }).map((p) => p.join("")));
try { fc.assert(fc.property(text, (t) => redact(redact(t)) === redact(t)), { numRuns: 200000 }); console.log("ok"); } catch (e) { console.log(String(e).slice(0, 1500)); }
