import type { ResourceType } from "./resources.js";

/** A metav1.Status failure, thrown by handlers and written as the response body with its code. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; message: string; field?: string }[] },
  ) {
    super(message);
    this.name = "ApiError";
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** "deployments.apps", the way the API server names a resource in messages. */
export function qualified(type: Pick<ResourceType, "group" | "resource">): string {
  return type.group === "" ? type.resource : `${type.resource}.${type.group}`;
}

export function notFound(type: Pick<ResourceType, "group" | "resource">, name: string): ApiError {
  return new ApiError(404, "NotFound", `${qualified(type)} "${name}" not found`, {
    name,
    ...(type.group ? { group: type.group } : {}),
    kind: type.resource,
  });
}

export function alreadyExists(type: Pick<ResourceType, "group" | "resource">, name: string): ApiError {
  return new ApiError(409, "AlreadyExists", `${qualified(type)} "${name}" already exists`, {
    name,
    ...(type.group ? { group: type.group } : {}),
    kind: type.resource,
  });
}

export function conflict(type: Pick<ResourceType, "group" | "resource">, name: string): ApiError {
  return new ApiError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualified(type)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, ...(type.group ? { group: type.group } : {}), kind: type.resource },
  );
}

export function invalid(type: Pick<ResourceType, "group" | "resource" | "kind">, name: string, causes: { field: string; message: string }[]): ApiError {
  const summary = causes.map((c) => `${c.field}: ${c.message}`).join(", ");
  return new ApiError(422, "Invalid", `${type.kind} "${name}" is invalid: ${summary}`, {
    name,
    ...(type.group ? { group: type.group } : {}),
    kind: type.kind,
    causes: causes.map((c) => ({ reason: "FieldValueInvalid", message: c.message, field: c.field })),
  });
}

/** The API server's answer when no media type in Accept can carry the response. */
export function notAcceptable(): ApiError {
  return new ApiError(406, "NotAcceptable", "only the following media types are accepted: application/json, application/vnd.kubernetes.protobuf");
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, "BadRequest", message);
}

export function methodNotAllowed(): ApiError {
  return new ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
}

export function unauthorized(): ApiError {
  return new ApiError(401, "Unauthorized", "Unauthorized");
}

export function pageNotFound(): ApiError {
  return new ApiError(404, "NotFound", "the server could not find the requested resource");
}
