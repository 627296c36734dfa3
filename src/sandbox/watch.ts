import type { ServerResponse } from "node:http";
import { boolParam } from "./params.js";
import type { ResourceType } from "./resources.js";
import { apiVersionOf, storageKey } from "./resources.js";
import type { Matcher } from "./selectors.js";
import type { Store, StoreEvent, WatchEventType } from "./store.js";
import { ApiError } from "./status.js";
import type { KubeObject } from "./types.js";

export interface WatchRequest {
  type: ResourceType;
  namespace: string | undefined;
  matches: Matcher;
  resourceVersion: string | undefined;
  timeoutSeconds: number | undefined;
  toView: (stored: KubeObject) => KubeObject;
  /** allowWatchBookmarks: BOOKMARK events every `bookmarkIntervalMs`. */
  allowBookmarks: boolean;
  bookmarkIntervalMs: number;
  /** sendInitialEvents: undefined when absent (the legacy semantics of resourceVersion apply). */
  sendInitialEvents: boolean | undefined;
  /** The negotiated stream: newline-delimited JSON, or length-prefixed protobuf WatchEvents. */
  stream: { contentType: string; frame: (type: string, object: unknown) => string | Buffer };
}

/** The annotation on the bookmark that ends a watch's initial events (metav1.InitialEventsAnnotationKey). */
export const INITIAL_EVENTS_END = "k8s.io/initial-events-end";

/**
 * The watch-only list options as the API server validates them (apimachinery
 * internalversion/validation validateWatchOptions, with the WatchList feature on as from 1.32):
 * sendInitialEvents needs resourceVersionMatch=NotOlderThan, and resourceVersionMatch needs
 * sendInitialEvents. Violations are a 422 for ListOptions.meta.k8s.io.
 */
export function watchOptions(query: URLSearchParams): { allowBookmarks: boolean; sendInitialEvents: boolean | undefined } {
  const sendInitialEvents = query.has("sendInitialEvents") ? boolParam(query, "sendInitialEvents") : undefined;
  const match = query.get("resourceVersionMatch") ?? "";
  const causes: { reason: string; field: string; message: string }[] = [];
  const forbidden = (message: string): void => void causes.push({ reason: "FieldValueForbidden", field: "resourceVersionMatch", message: `Forbidden: ${message}` });
  if (sendInitialEvents !== undefined && match !== "NotOlderThan") forbidden("sendInitialEvents requires setting resourceVersionMatch to NotOlderThan");
  if (match !== "") {
    if (sendInitialEvents === undefined) forbidden("resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided");
    if (match !== "NotOlderThan") causes.push({ reason: "FieldValueNotSupported", field: "resourceVersionMatch", message: `Unsupported value: ${JSON.stringify(match)}: supported values: "NotOlderThan"` });
    if (query.get("continue")) forbidden("resourceVersionMatch is forbidden when continue is provided");
  }
  if (causes.length > 0) {
    const summary = causes.map((c) => `${c.field}: ${c.message}`);
    throw new ApiError(422, "Invalid", `ListOptions.meta.k8s.io "" is invalid: ${summary.length === 1 ? (summary[0] as string) : `[${summary.join(", ")}]`}`, {
      group: "meta.k8s.io",
      kind: "ListOptions",
      causes: causes.map((c) => ({ reason: c.reason, message: c.message, field: c.field })),
    });
  }
  return { allowBookmarks: boolParam(query, "allowWatchBookmarks"), sendInitialEvents };
}

/** Longest a watch stays open when the client names no timeout (the API server's default is 30-60 minutes). */
const DEFAULT_TIMEOUT_S = 1800;

/**
 * Streams watch events as newline-delimited JSON or protobuf frames. Headers are flushed before anything else: clients
 * such as `kubectl rollout status` block until the response starts. With sendInitialEvents=true the
 * stream starts with the current objects as ADDED and, when bookmarks are allowed, a BOOKMARK carrying
 * the initial-events-end annotation; with sendInitialEvents=false it starts at the resourceVersion
 * (or now). Bookmarks carry only the kind and the resourceVersion the client may resume from.
 */
export function serveWatch(store: Store, res: ServerResponse, req: WatchRequest, onEnd: () => void): () => void {
  res.setHeader("Content-Type", req.stream.contentType);
  res.writeHead(200, { "Cache-Control": "no-cache, private", "Transfer-Encoding": "chunked" });
  res.flushHeaders();
  const key = storageKey(req.type);
  const inScope = (o: KubeObject): boolean => req.namespace === undefined || o.metadata.namespace === req.namespace;
  const send = (type: WatchEventType | "ERROR" | "BOOKMARK", object: unknown): void => {
    res.write(req.stream.frame(type, object));
  };
  const translate = (event: StoreEvent): void => {
    if (event.key !== key || !inScope(event.object)) return;
    const now = event.type !== "DELETED" && req.matches(event.object);
    const before = event.previous !== undefined && req.matches(event.previous);
    if (event.type === "ADDED" && now) send("ADDED", req.toView(event.object));
    else if (event.type === "MODIFIED" && now) send(before ? "MODIFIED" : "ADDED", req.toView(event.object));
    else if (event.type === "MODIFIED" && before) send("DELETED", req.toView(event.object));
    else if (event.type === "DELETED" && before) send("DELETED", req.toView(event.object));
  };
  const bookmark = (annotations?: Record<string, string>): void =>
    send("BOOKMARK", { kind: req.type.kind, apiVersion: apiVersionOf(req.type), metadata: { resourceVersion: String(store.resourceVersion), ...(annotations ? { annotations } : {}) } });
  const rv = req.resourceVersion;
  const fromNow = rv === undefined || rv === "" || rv === "0";
  if (req.sendInitialEvents === true || (req.sendInitialEvents === undefined && fromNow)) {
    for (const obj of store.list(req.type, req.namespace)) if (req.matches(obj)) send("ADDED", req.toView(obj));
    if (req.sendInitialEvents === true && req.allowBookmarks) bookmark({ [INITIAL_EVENTS_END]: "true" });
  } else if (!fromNow) {
    const from = Number(rv);
    if (!Number.isInteger(from)) {
      send("ERROR", new ApiError(400, "BadRequest", `invalid resource version: ${rv}`).toStatus());
      res.end();
      onEnd();
      return () => undefined;
    }
    if (from < store.oldestResumable() - 1) {
      send("ERROR", new ApiError(410, "Expired", `too old resource version: ${from} (${store.oldestResumable()})`).toStatus());
      res.end();
      onEnd();
      return () => undefined;
    }
    for (const event of store.eventsSince(from)) translate(event);
  }
  const unsubscribe = store.subscribe(translate);
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    clearInterval(bookmarks);
    unsubscribe();
    res.end();
    onEnd();
  };
  const timer = setTimeout(end, (req.timeoutSeconds ?? DEFAULT_TIMEOUT_S) * 1000);
  const bookmarks = req.allowBookmarks ? setInterval(() => bookmark(), req.bookmarkIntervalMs) : undefined;
  res.on("close", end);
  return end;
}
