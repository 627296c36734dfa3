import { json } from "./command.js";
import { fail, type CommandOutput } from "./command.js";
import type { ApiResponse } from "./target.js";

/** The reason kubectl names for a status code when the server's Status has none (apimachinery's table). */
const REASONS: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  406: "NotAcceptable",
  409: "Conflict",
  410: "Expired",
  415: "UnsupportedMediaType",
  422: "Invalid",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

/** `Error from server (NotFound): deployments.apps "x" not found` — kubectl's line for a failed request. */
export function serverError(res: ApiResponse): CommandOutput {
  const status = json(res.body) as { kind?: string; message?: string; reason?: string } | undefined;
  if (status?.kind === "Status" && typeof status.message === "string") {
    const reason = status.reason || REASONS[res.status] || "Unknown";
    return fail(`Error from server (${reason}): ${status.message}\n`);
  }
  // Not a Status: kubectl reports the code and body the same way for any unexpected answer.
  const reason = REASONS[res.status] ?? "Unknown";
  return fail(`Error from server (${reason}): ${res.body.trim() || `the server responded with HTTP ${res.status}`}\n`);
}
