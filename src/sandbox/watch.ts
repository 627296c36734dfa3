import type { ServerResponse } from "node:http";
import type { ResourceType } from "./resources.js";
import { storageKey } from "./resources.js";
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
}

/** Longest a watch stays open when the client names no timeout (the API server's default is 30-60 minutes). */
const DEFAULT_TIMEOUT_S = 1800;

/**
 * Streams watch events as newline-delimited JSON. Headers are flushed before anything else: clients
 * such as `kubectl rollout status` block until the response starts.
 */
export function serveWatch(store: Store, res: ServerResponse, req: WatchRequest, onEnd: () => void): () => void {
  res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private", "Transfer-Encoding": "chunked" });
  res.flushHeaders();
  const key = storageKey(req.type);
  const inScope = (o: KubeObject): boolean => req.namespace === undefined || o.metadata.namespace === req.namespace;
  const send = (type: WatchEventType | "ERROR", object: unknown): void => {
    res.write(`${JSON.stringify({ type, object })}\n`);
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
  const rv = req.resourceVersion;
  if (rv === undefined || rv === "" || rv === "0") {
    for (const obj of store.list(req.type, req.namespace)) if (req.matches(obj)) send("ADDED", req.toView(obj));
  } else {
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
    unsubscribe();
    res.end();
    onEnd();
  };
  const timer = setTimeout(end, (req.timeoutSeconds ?? DEFAULT_TIMEOUT_S) * 1000);
  res.on("close", end);
  return end;
}
