import type { ExecResult } from "./types.js";

/** Base class for every error the executor throws, so callers can catch them as one family. */
export class ExecutorError extends Error {
  override name = "ExecutorError";
}

/** argv[0] names a program that is not in the executor's configured `binaries`. */
export class UnknownBinaryError extends ExecutorError {
  override name = "UnknownBinaryError";
  constructor(
    readonly binary: string,
    readonly allowed: readonly string[],
  ) {
    super(`"${binary}" is not an allowed program; argv[0] must be one of: ${allowed.join(", ") || "(none configured)"}`);
  }
}

const INSTALL_HINTS: Record<string, string> = {
  kubectl: "install kubectl: https://kubernetes.io/docs/tasks/tools/",
  flux: "install the flux CLI: https://fluxcd.io/flux/installation/",
};

/** The configured program could not be found on PATH (or at its configured path), or is not executable. */
export class BinaryNotFoundError extends ExecutorError {
  override name = "BinaryNotFoundError";
  constructor(
    readonly binary: string,
    readonly configured: string,
  ) {
    const hint = INSTALL_HINTS[binary] ?? `install ${binary} or set its path in the configuration`;
    const where = configured.includes("/") ? `at ${configured}` : `"${configured}" on PATH`;
    super(`${binary} not found (looked for ${where}); ${hint}`);
  }
}

/** A configured binary is a shell or a program launcher (sh, bash, env, sudo …): it could run anything. */
export class ForbiddenBinaryError extends ExecutorError {
  override name = "ForbiddenBinaryError";
  constructor(
    readonly binary: string,
    readonly configured: string,
    readonly program: string,
  ) {
    super(
      `"${binary}" is configured as ${configured}, which is ${program}: shells and program launchers can run anything, ` +
        `so they are never allowed; configure the real ${binary} program`,
    );
  }
}

/** argv is not a list of plain strings (empty, or an argument holds a NUL byte). */
export class InvalidArgvError extends ExecutorError {
  override name = "InvalidArgvError";
}

/**
 * The caller's AbortSignal fired. `result` holds what the killed process produced, or is undefined
 * when the request was cancelled before anything was spawned.
 */
export class ExecAbortedError extends ExecutorError {
  override name = "ExecAbortedError";
  constructor(readonly result?: ExecResult) {
    super(result ? "command cancelled; its process group was killed" : "command cancelled before it was started");
  }
}
