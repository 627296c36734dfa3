import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Deadline } from "./deadlines.js";
import type { SlotHolder } from "./slots.js";

/**
 * What one POST holds from its arrival until its response is gone and its operation has settled: its client's
 * place, a body deadline until the body is in, an operation slot, a request deadline while its operation runs,
 * and what the operation ended as (for the request's log line). One object on the request itself, where a
 * WeakMap per concern cost an entry each (ephemerons the garbage collector has to trace) at every request.
 */
export class OpenRequest implements SlotHolder {
  bodyDeadline: Deadline<OpenRequest> | null = null;
  requestDeadline: Deadline<OpenRequest> | null = null;
  slotHolds = 0;
  /** The route that answered it, for its log line and metrics (set by the route handler; see onResponse). */
  route: string | undefined = undefined;
  status: string | undefined = undefined;
  decision: string | null = null;

  constructor(
    readonly client: string,
    readonly request: FastifyRequest,
    readonly reply: FastifyReply,
  ) {}
}

const OPEN = Symbol("rag-k8s open request");
type WithOpen = FastifyRequest & { [OPEN]: OpenRequest | null };

/** Gives every request of `app` a place for its OpenRequest (a fastify decoration keeps request objects one shape). */
export function decorateOpenRequests(app: FastifyInstance): void {
  app.decorateRequest(OPEN, null);
}

export function attachOpenRequest(open: OpenRequest): void {
  (open.request as WithOpen)[OPEN] = open;
}

/** The request's OpenRequest; every POST gets one when it arrives, so a POST without one is a bug (answered 500). */
export function openRequestOf(request: FastifyRequest): OpenRequest {
  const open = (request as WithOpen)[OPEN];
  if (open === null) throw new Error(`internal: ${request.method} ${request.url} has no open-request record`);
  return open;
}

/** The request's OpenRequest, or null (GET routes, requests refused on arrival). */
export function openRequestOrNull(request: FastifyRequest): OpenRequest | null {
  return (request as WithOpen)[OPEN] ?? null;
}
