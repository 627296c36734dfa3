import { PROTOBUF_MEDIA_TYPE } from "./protobuf.js";

/**
 * Response content negotiation for resource requests, as the API server does it: the client's `Accept`
 * entries in order of preference (q, then position); the first one the server can produce wins.
 * `application/vnd.kubernetes.protobuf` is produced only for kinds with a protobuf message (client-go
 * asks `application/vnd.kubernetes.protobuf, application/json` so custom resources fall back to JSON);
 * JSON answers `application/json`, `application/*`, `*\/*` and a missing header; `application/yaml`
 * gets YAML (not for watches). Table requests
 * (`as=Table`) are recognised elsewhere and always JSON.
 */

export type ResponseEncoding = "json" | "yaml" | "protobuf";

interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
  position: number;
}

function parseAccept(header: string): MediaRange[] {
  return header
    .split(",")
    .map((part, position) => {
      const [type = "", ...rest] = part.split(";").map((x) => x.trim());
      const params = Object.fromEntries(rest.map((p) => p.split("=").map((x) => x.trim()) as [string, string]).filter(([k]) => k));
      const q = params["q"] === undefined ? 1 : Number(params["q"]);
      return { type: type.toLowerCase(), params, q: Number.isFinite(q) ? q : 0, position };
    })
    .filter((m) => m.type !== "" && m.q > 0)
    .sort((a, b) => b.q - a.q || a.position - b.position);
}

const JSON_RANGES = new Set(["application/json", "application/*", "*/*"]);

/**
 * The encoding for a response body, or undefined when the client accepts nothing the server can
 * produce for it (a 406). `protobufAvailable` says whether the body's kind has a protobuf message.
 */
export function negotiate(accept: string | undefined, protobufAvailable: boolean): ResponseEncoding | undefined {
  if (accept === undefined || accept.trim() === "") return "json";
  const ranges = parseAccept(accept);
  for (const range of ranges) {
    // `as=` asks for a transformed kind (Table, PartialObjectMetadata) the sandbox serves only as JSON.
    if (range.params["as"] !== undefined) continue;
    if (range.type === PROTOBUF_MEDIA_TYPE && protobufAvailable) return "protobuf";
    if (JSON_RANGES.has(range.type)) return "json";
    if (range.type === "application/yaml") return "yaml";
  }
  return undefined;
}
