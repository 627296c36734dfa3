import { performance } from "node:perf_hooks";
import { OutputCapture } from "../capture.js";
import { Accepted } from "../accepted.js";
import { ExecAbortedError, ExecutorError } from "../errors.js";
import { EXECUTOR_DEFAULTS } from "../executor.js";
import { redact } from "../redact.js";
import { finalStdout } from "../spawn.js";
import type { ExecResult, Executor, RunOverrides } from "../types.js";
import { DECLINE, type CommandContext, type CommandOutput } from "./command.js";
import { createDiscovery, type Discovery } from "./discovery.js";
import { discoveryStoreAt } from "./discovery-store.js";
import { loadKubeconfig } from "./kubeconfig-module.js";
import { planCommand, type CommandPlan } from "./plan.js";
import { createTarget, type Target } from "./target.js";

/** `kubectl`: every command spawns kubectl. `auto`: the API executor where it understands the argv, kubectl otherwise. `api`: the API executor only. */
export type ExecMode = "auto" | "api" | "kubectl";

export interface ApiExecutorOptions {
  /** Where other argv go (and, in `kubectl` mode, every argv): the kubectl executor. */
  fallback: Executor;
  mode: ExecMode;
  /**
   * Kubeconfig file, or a KUBECONFIG-style list of files; undefined = client-node's default search ($KUBECONFIG of
   * this process, ~/.kube/config, in-cluster). Pass what the kubectl fallback's environment says, so both agree.
   */
  kubeconfig?: string;
  /** Context when argv names none; undefined = the kubeconfig's current-context. */
  context?: string;
  /** As in ExecutorOptions: per-command limit, output caps, redaction. */
  timeoutMs?: number;
  maxStdoutChars?: number;
  stdoutWindowChars?: number;
  maxStderrChars?: number;
  redactOutput?: boolean;
  /** Connections kept per target. Default 8. */
  maxSockets?: number;
  /** Largest response body held in memory; a read whose answer is larger runs through kubectl. Default 64 MiB. */
  maxResponseBytes?: number;
  /** Clock for restart annotations; tests pin it. */
  now?: () => Date;
  /** Folder where discovery is kept between processes (one file per API server); none: read once per process. */
  discoveryCacheDir?: string;
}

/** `mode: "api"` and an argv the API executor does not run itself. */
export class ApiUnsupportedError extends ExecutorError {
  override name = "ApiUnsupportedError";
  constructor(readonly argv: readonly string[]) {
    super(`the API executor does not run "${argv.join(" ")}" itself; set exec.mode to "auto" to let kubectl run it`);
  }
}

/** An executor with `executor` disposal: closes each target's connection pool. */
export interface ApiExecutor extends Executor {
  close(): void;
}

interface TargetState {
  target: Target;
  discovery: Discovery;
  defaultNamespace: string;
}

type Loaded = { ok: true; state: TargetState } | { ok: false; error: Error };

/**
 * An Executor that answers the common kubectl verbs by talking to the API server in this process, and hands
 * every other argv to `fallback` unchanged. Results are shaped exactly like the kubectl executor's (caps,
 * digests of the full output, redaction) and say which one ran in `executor`.
 */
export function createApiExecutor(opts: ApiExecutorOptions): ApiExecutor {
  const { fallback, mode } = opts;
  const timeoutMs = opts.timeoutMs ?? EXECUTOR_DEFAULTS.timeoutMs;
  const maxStdoutChars = opts.maxStdoutChars ?? EXECUTOR_DEFAULTS.maxStdoutChars;
  const stdoutWindowChars = opts.stdoutWindowChars ?? EXECUTOR_DEFAULTS.stdoutWindowChars;
  const maxStderrChars = opts.maxStderrChars ?? EXECUTOR_DEFAULTS.maxStderrChars;
  const redactOutput = opts.redactOutput ?? true;
  const now = opts.now ?? (() => new Date());
  const targets = new Map<string, Promise<Loaded>>();
  const accepted = new Accepted();

  async function load(context: string | undefined): Promise<Loaded> {
    try {
      const kc = await loadKubeconfig(opts.kubeconfig, context);
      const target = await createTarget(kc, opts.maxSockets ?? 8, opts.maxResponseBytes ?? 64 * 1024 * 1024);
      const defaultNamespace = kc.getContextObject(kc.getCurrentContext())?.namespace || "default";
      const store = opts.discoveryCacheDir === undefined ? undefined : discoveryStoreAt(opts.discoveryCacheDir, target.server);
      return { ok: true, state: { target, discovery: createDiscovery(target, store), defaultNamespace } };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
    }
  }

  function stateFor(context: string | undefined): Promise<Loaded> {
    const key = context ?? opts.context ?? "";
    let entry = targets.get(key);
    if (!entry) {
      const loading = load(context ?? opts.context);
      // A failure is not kept: a fixed kubeconfig or a credential plugin that works again is used on the next call.
      void loading.then((l) => l.ok || targets.delete(key));
      targets.set(key, loading);
      entry = loading;
    }
    return entry;
  }

  async function execute(argv: readonly string[], plan: CommandPlan, overrides: RunOverrides): Promise<ExecResult> {
    const loaded = await stateFor(plan.context);
    if (!loaded.ok) {
      if (mode === "api") throw new ExecutorError(`cannot reach the cluster: ${loaded.error.message}`, { cause: loaded.error });
      return tag(await fallback.run(argv, overrides), "kubectl");
    }
    const signal = overrides.signal;
    if (signal?.aborted) throw new ExecAbortedError();
    const controller = new AbortController();
    let timedOut = false;
    const limitMs = overrides.timeoutMs ?? timeoutMs;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error("timed out"));
    }, limitMs);
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const ctx: CommandContext = { ...loaded.state, signal: controller.signal, now };
    const started = performance.now();
    let output: CommandOutput | typeof DECLINE;
    try {
      output = await plan.run(ctx);
    } catch (error) {
      // Like a killed kubectl: no exit code, nothing printed (output is only assembled once a command ends).
      if (timedOut) return result(argv, NOTHING, started, true, overrides);
      if (signal?.aborted) throw new ExecAbortedError(result(argv, NOTHING, started, false, overrides));
      else if (plan.readOnly && mode === "auto") output = DECLINE;
      else output = { code: 1, stdout: "", stderr: `error: ${(error as Error).message}\n` };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
    if (output === DECLINE) {
      if (mode === "api") throw new ApiUnsupportedError(argv);
      // kubectl gets what is left of the command's time, so a declined command cannot run twice as long.
      const left = Math.max(1, Math.round(limitMs - (performance.now() - started)));
      return tag(await fallback.run(argv, { ...overrides, timeoutMs: left }), "kubectl");
    }
    return result(argv, output, started, timedOut, overrides);
  }

  /** The same window, redaction and shaping to the budget as the kubectl executor's, so both answer alike. */
  function result(argv: readonly string[], output: CommandOutput, started: number, timedOut: boolean, overrides: RunOverrides): ExecResult {
    const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
    const windowChars = overrides.windowChars ?? stdoutWindowChars;
    const out = capture(output.stdout, Math.ceil(windowChars / 2), Math.floor(windowChars / 2));
    const err = capture(output.stderr, maxStderrChars);
    const stdout = finalStdout(out, argv, { budgetChars: overrides.budgetChars ?? maxStdoutChars, redactOutput });
    // Answered in one piece: a reader following the output live gets all of it at once, redacted like the rest.
    if (overrides.onOutput && output.stdout !== "") overrides.onOutput(redactOutput ? redact(output.stdout) : output.stdout);
    return {
      code: timedOut || output === NOTHING ? null : output.code,
      signal: null,
      stdout: stdout.text,
      stderr: redactOutput ? redact(err.head) : err.head,
      truncated: { stdout: stdout.truncated, stderr: err.truncated },
      stdoutKind: stdout.kind,
      stdoutOmitted: stdout.omitted,
      timedOut,
      durationMs,
      stdoutBytes: out.bytes,
      stderrBytes: err.bytes,
      stdoutDigest: out.digest,
      stderrDigest: err.digest,
      executor: "api",
    };
  }

  function dispatch(argv: readonly string[], overrides: RunOverrides): Promise<ExecResult> {
    const plan = mode === "kubectl" ? undefined : planCommand(argv);
    if (plan) return execute(argv, plan, overrides);
    if (mode === "api") return Promise.reject(new ApiUnsupportedError(argv));
    return fallback.run(argv, overrides).then((r) => tag(r, "kubectl"));
  }

  return {
    run: (argv, overrides = {}) => accepted.run(argv, () => dispatch(argv, overrides)),
    get spawnCount() {
      return fallback.spawnCount;
    },
    get inFlight() {
      return accepted.size;
    },
    available(name) {
      return fallback.available(name) || (name === "kubectl" && mode === "api");
    },
    async drain() {
      await accepted.drained();
      await fallback.drain();
    },
    close() {
      for (const entry of targets.values()) void entry.then((l) => l.ok && l.state.target.close());
      targets.clear();
    },
  };
}

/** The output of a command stopped before it ended. */
const NOTHING: CommandOutput = { code: 1, stdout: "", stderr: "" };

function tag(r: ExecResult, executor: "api" | "kubectl"): ExecResult {
  return { ...r, executor };
}

function capture(text: string, headChars: number, tailChars = 0): ReturnType<OutputCapture["finish"]> {
  const c = new OutputCapture(headChars, tailChars);
  if (text !== "") c.push(Buffer.from(text, "utf8"));
  return c.finish();
}

