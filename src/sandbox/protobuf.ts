import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";
import type { Field, Message, Type } from "protobufjs";
import { openApiDefinitions } from "./schemas.js";
import { ApiError } from "./status.js";
import { isRecord } from "./types.js";
import type { Json } from "./types.js";

/**
 * Decoding of `application/vnd.kubernetes.protobuf` request bodies (client-go sends them for built-in
 * kinds; kubectl 1.32+ for `create deployment|namespace|configmap` and `auth can-i`). The wire format
 * (k8s.io/apimachinery runtime/serializer/protobuf) is the 4-byte magic "k8s\0", then a runtime.Unknown
 * whose typeMeta names the kind and whose raw bytes are the typed message, decoded here with the
 * upstream generated.proto files shipped in data/kubernetes/proto, and converted to the JSON the API's
 * Go types would produce, so the rest of the sandbox sees the same object a JSON client would send.
 */

export const PROTOBUF_MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
const PROTO_ROOT = fileURLToPath(new URL("../../data/kubernetes/proto", import.meta.url));
const META = "k8s.io.apimachinery.pkg.apis.meta.v1";

/** API group → its package under k8s.io/api (the proto package is `k8s.io.api.<dir>.<version>`). */
const GROUP_PACKAGES: Record<string, string> = {
  "": "core",
  apps: "apps",
  autoscaling: "autoscaling",
  batch: "batch",
  policy: "policy",
  "authentication.k8s.io": "authentication",
  "authorization.k8s.io": "authorization",
  "coordination.k8s.io": "coordination",
  "discovery.k8s.io": "discovery",
  "events.k8s.io": "events",
  "networking.k8s.io": "networking",
  "rbac.authorization.k8s.io": "rbac",
  "scheduling.k8s.io": "scheduling",
};

/** Kinds of meta/v1 that travel under any group's apiVersion (a Status from the core API says apiVersion v1). */
const META_KINDS = new Set(["DeleteOptions", "Status", "WatchEvent"]);

let loaded: protobuf.Root | undefined;

function protoFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? protoFiles(join(dir, e.name)) : e.name.endsWith(".proto") ? [join(dir, e.name)] : []));
}

/** Parsed once, on the first protobuf request: core/v1 alone is 330 kB of .proto text. */
function root(): protobuf.Root {
  if (loaded) return loaded;
  const r = new protobuf.Root();
  // Imports are written as "k8s.io/api/core/v1/generated.proto"; resolve them under the shipped tree.
  r.resolvePath = (_origin, target) => (target.startsWith(PROTO_ROOT) ? target : join(PROTO_ROOT, target));
  r.loadSync(protoFiles(PROTO_ROOT), { keepCase: true });
  r.resolveAll();
  loaded = r;
  return r;
}

function unsupported(message: string): ApiError {
  return new ApiError(415, "UnsupportedMediaType", message);
}

/** The proto message type for an apiVersion and kind, if the shipped files define it. */
function protoTypeFor(apiVersion: string, kind: string): Type | undefined {
  const [group, version] = apiVersion.includes("/") ? (apiVersion.split("/") as [string, string]) : ["", apiVersion];
  const pkg = META_KINDS.has(kind) || group === "meta.k8s.io" ? META : GROUP_PACKAGES[group] !== undefined ? `k8s.io.api.${GROUP_PACKAGES[group]}.${version}` : undefined;
  if (!pkg) return undefined;
  const found = root().lookup(`${pkg}.${kind}`);
  return found instanceof protobuf.Type ? found : undefined;
}

const toNumber = (v: unknown): number => (typeof v === "number" ? v : Number(String(v)));

function rfc3339(seconds: number, fractionDigits: number, nanos: number): string {
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (fractionDigits === 0) return `${base}Z`;
  return `${base}.${String(Math.floor(nanos / 10 ** (9 - fractionDigits))).padStart(fractionDigits, "0")}Z`;
}

/** Types whose JSON form is not their message shape (their Go types marshal themselves). */
function special(type: Type, value: Json): unknown {
  switch (type.fullName.slice(1)) {
    case `${META}.Time`:
    case `${META}.MicroTime`: {
      const seconds = toNumber(value["seconds"] ?? 0);
      const nanos = toNumber(value["nanos"] ?? 0);
      if (seconds === 0 && nanos === 0) return undefined; // the zero time marshals as null
      return rfc3339(seconds, type.name === "MicroTime" ? 6 : 0, nanos);
    }
    case `${META}.Duration`:
      return value["duration"] ?? "";
    case `${META}.FieldsV1`:
    case "k8s.io.apimachinery.pkg.runtime.RawExtension": {
      // Bytes fields reach here already base64-encoded (their JSON form); the payload is JSON text.
      const raw = value["raw"];
      const bytes = raw instanceof Uint8Array ? Buffer.from(raw) : typeof raw === "string" ? Buffer.from(raw, "base64") : Buffer.alloc(0);
      return bytes.length > 0 ? (JSON.parse(bytes.toString("utf8")) as unknown) : undefined;
    }
    case "k8s.io.apimachinery.pkg.api.resource.Quantity":
      return value["string"] ?? "";
    case "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
      return toNumber(value["type"] ?? 0) === 1 ? (value["strVal"] ?? "") : toNumber(value["intVal"] ?? 0);
    case "k8s.io.api.authorization.v1.ExtraValue":
    case "k8s.io.api.authentication.v1.ExtraValue":
      return Array.isArray(value["items"]) ? value["items"] : [];
    default:
      return NOT_SPECIAL;
  }
}
const NOT_SPECIAL = Symbol("not special");

function scalar(field: Field, value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (field.type === "int64" || field.type === "uint64" || field.type === "sint64" || field.type === "fixed64") return toNumber(value);
  return value;
}

function convertValue(field: Field, value: unknown): unknown {
  const t = field.resolvedType;
  if (t && "fieldsArray" in t) return messageToJson(t as Type, value as Message);
  return scalar(field, value);
}

/** The OpenAPI definition of a proto message (k8s.io.api.core.v1.Volume → io.k8s.api.core.v1.Volume), if shipped. */
function definitionOf(type: Type): Json | undefined {
  const name = type.fullName.slice(1).replace(/^k8s\.io\./, "io.k8s.");
  return openApiDefinitions().definitions[name];
}

/**
 * Embedded Go structs (`json:",inline"`, e.g. Volume's VolumeSource, IngressRule's IngressRuleValue,
 * Probe's ProbeHandler) are a field in protobuf but spread into the parent in JSON: a message field the
 * parent's JSON schema does not name is one of them.
 */
function isInline(parent: Type, field: Field): boolean {
  const t = field.resolvedType;
  if (!t || !("fieldsArray" in t) || field.repeated || field.map) return false;
  const properties = definitionOf(parent)?.["properties"];
  return isRecord(properties) && !(field.name in properties);
}

/**
 * A decoded message as the JSON its Go type marshals to. Go's generated marshallers write every
 * non-pointer field, so empty strings arrive for fields JSON would omit; they are dropped, as Go
 * treats "" and absent alike (defaulting checks for the zero value).
 */
function messageToJson(type: Type, message: Message): unknown {
  const out: Json = {};
  const own = message as unknown as Json;
  for (const field of type.fieldsArray) {
    if (!Object.prototype.hasOwnProperty.call(own, field.name)) continue;
    const value = own[field.name];
    if (value === null || value === undefined) continue;
    if (field.map) {
      const entries = Object.entries(value as Json);
      if (entries.length === 0) continue;
      out[field.name] = Object.fromEntries(entries.map(([k, v]) => [k, convertValue(field, v)]));
    } else if (field.repeated) {
      const items = value as unknown[];
      if (items.length === 0) continue;
      out[field.name] = items.map((v) => convertValue(field, v));
    } else {
      const converted = convertValue(field, value);
      if (converted === undefined || converted === "") continue;
      if (isInline(type, field) && isRecord(converted)) Object.assign(out, converted);
      else out[field.name] = converted;
    }
  }
  const replaced = special(type, out);
  return replaced === NOT_SPECIAL ? out : replaced;
}

/** Decodes a Kubernetes protobuf body into the JSON object a JSON client would have sent. */
export function decodeProtobufBody(body: Buffer): Json {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw unsupported(`the protobuf body does not start with the Kubernetes magic prefix "k8s\\x00"`);
  }
  const unknownType = root().lookupType("k8s.io.apimachinery.pkg.runtime.Unknown");
  let envelope: Json;
  try {
    envelope = unknownType.decode(body.subarray(MAGIC.length)) as unknown as Json;
  } catch (error) {
    throw unsupported(`the protobuf envelope could not be decoded: ${error instanceof Error ? error.message : String(error)}`);
  }
  const typeMeta = (envelope["typeMeta"] ?? {}) as { apiVersion?: string; kind?: string };
  const apiVersion = typeMeta.apiVersion ?? "";
  const kind = typeMeta.kind ?? "";
  if (envelope["contentEncoding"]) throw unsupported(`protobuf content encoding "${String(envelope["contentEncoding"])}" is not supported`);
  const type = kind ? protoTypeFor(apiVersion, kind) : undefined;
  if (!type) throw unsupported(`no protobuf message is known for ${apiVersion || "<no apiVersion>"}, Kind=${kind || "<no kind>"}; send application/json`);
  const raw = envelope["raw"] instanceof Uint8Array ? (envelope["raw"] as Uint8Array) : new Uint8Array();
  let message: Message;
  try {
    message = type.decode(raw);
  } catch (error) {
    throw new ApiError(400, "BadRequest", `the ${kind} protobuf message could not be decoded: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { apiVersion, kind, ...(messageToJson(type, message) as Json) };
}

/** The k8s\0 + runtime.Unknown envelope around one object's message, or undefined when no message is shipped for its kind. */
function envelope(object: Json): Buffer | undefined {
  const apiVersion = String(object["apiVersion"] ?? "");
  const kind = String(object["kind"] ?? "");
  const type = protoTypeFor(apiVersion, kind);
  if (!type) return undefined;
  const raw = type.encode(type.fromObject(jsonToMessageValue(type, object) as Json)).finish();
  const unknownType = root().lookupType("k8s.io.apimachinery.pkg.runtime.Unknown");
  const wrapped = unknownType.encode(unknownType.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding: "", contentType: "" })).finish();
  return Buffer.concat([MAGIC, wrapped]);
}

/** Whether `application/vnd.kubernetes.protobuf` can carry this object (built-in kinds; not custom resources or Tables). */
export function protobufEncodable(object: unknown): boolean {
  return isRecord(object) && protoTypeFor(String(object["apiVersion"] ?? ""), String(object["kind"] ?? "")) !== undefined;
}

/**
 * Encodes an object as the API server answers `Accept: application/vnd.kubernetes.protobuf` (and as
 * client-go and kubectl 1.32+ send bodies): the magic prefix, then a runtime.Unknown carrying the
 * apiVersion, the kind and the typed message.
 */
export function encodeProtobufBody(object: Json): Buffer {
  const encoded = envelope(object);
  if (!encoded) throw new Error(`no protobuf message for ${String(object["apiVersion"])} ${String(object["kind"])}`);
  return encoded;
}

/**
 * One frame of a protobuf watch stream (`application/vnd.kubernetes.protobuf;stream=watch`): a 4-byte
 * big-endian length, then a meta/v1 WatchEvent, unwrapped, whose object holds the enveloped object.
 */
export function encodeWatchFrame(type: string, object: Json): Buffer {
  const watchEvent = root().lookupType(`${META}.WatchEvent`);
  const message = watchEvent.encode(watchEvent.fromObject({ type, object: { raw: encodeProtobufBody(object) } })).finish();
  const length = Buffer.alloc(4);
  length.writeUInt32BE(message.length);
  return Buffer.concat([length, message]);
}

/** Splits a protobuf watch stream into its events (for tests and diagnostics); a trailing partial frame is left out. */
export function decodeWatchFrames(stream: Buffer): { type: string; object: Json }[] {
  const watchEvent = root().lookupType(`${META}.WatchEvent`);
  const events: { type: string; object: Json }[] = [];
  for (let at = 0; at + 4 <= stream.length; ) {
    const length = stream.readUInt32BE(at);
    if (at + 4 + length > stream.length) break;
    const event = watchEvent.decode(stream.subarray(at + 4, at + 4 + length)) as unknown as { type: string; object: { raw: Uint8Array } };
    events.push({ type: event.type, object: decodeProtobufBody(Buffer.from(event.object.raw)) });
    at += 4 + length;
  }
  return events;
}

/** The inverse of messageToJson for the special types, so protobufjs can encode JSON-shaped objects. */
function jsonToMessageValue(type: Type, value: unknown): unknown {
  switch (type.fullName.slice(1)) {
    case `${META}.Time`:
    case `${META}.MicroTime`: {
      const text = String(value);
      const ms = Date.parse(text);
      // A time that does not parse is left out (Go's decoder would have refused it before it was stored).
      if (Number.isNaN(ms)) return undefined;
      // Nanoseconds from the text: MicroTime carries microseconds, which Date would round to milliseconds.
      const fraction = /T[^.]*\.(\d+)/.exec(text)?.[1] ?? "";
      return { seconds: Math.floor(ms / 1000), nanos: Number(fraction.padEnd(9, "0").slice(0, 9)) };
    }
    case "k8s.io.apimachinery.pkg.api.resource.Quantity":
      return { string: String(value) };
    case "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
      return typeof value === "number" ? { type: 0, intVal: value } : { type: 1, strVal: String(value) };
    case "k8s.io.api.authorization.v1.ExtraValue":
    case "k8s.io.api.authentication.v1.ExtraValue":
      return { items: value };
    case `${META}.FieldsV1`:
    case "k8s.io.apimachinery.pkg.runtime.RawExtension":
      return { raw: Buffer.from(JSON.stringify(value)) };
    case `${META}.Duration`:
      return { duration: String(value) };
  }
  if (typeof value !== "object" || value === null) return value;
  const out: Json = {};
  for (const field of type.fieldsArray) {
    const t = field.resolvedType && "fieldsArray" in field.resolvedType ? (field.resolvedType as Type) : undefined;
    if (t && isInline(type, field)) {
      out[field.name] = jsonToMessageValue(t, value);
      continue;
    }
    const v = (value as Json)[field.name];
    if (v === undefined || v === null) continue;
    if (!t) out[field.name] = v;
    else if (field.map) out[field.name] = Object.fromEntries(Object.entries(v as Json).map(([k, x]) => [k, jsonToMessageValue(t, x)]));
    else if (field.repeated) out[field.name] = (v as unknown[]).map((x) => jsonToMessageValue(t, x));
    else out[field.name] = jsonToMessageValue(t, v);
  }
  return out;
}
