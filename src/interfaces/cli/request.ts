import { readFile } from "node:fs/promises";
import { REQUEST_PARAM_SHAPE } from "../../core/request.js";
import { UsageError } from "./errors.js";

/** A typed card parameter as a CLI flag: `to_revision` → `--to-revision <n>` (flags.toRevision). */
export interface ParamFlag {
  readonly param: string;
  readonly flag: string;
  readonly property: string;
  readonly kind: "integer" | "boolean" | "string";
  readonly description: string;
}

const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The typed request parameters as CLI flags, derived from the request schema the other faces validate with. */
export const PARAM_FLAGS: readonly ParamFlag[] = Object.entries(REQUEST_PARAM_SHAPE).map(([param, schema]) => {
  const type = schema.def.type;
  return {
    param,
    flag: `--${param.replace(/_/g, "-")}`,
    property: camel(param),
    kind: type === "number" ? "integer" : type === "boolean" ? "boolean" : "string",
    description: schema.description ?? param,
  };
});

export type RequestFlags = Readonly<Record<string, unknown>> & {
  readonly file?: string;
  readonly intent?: string;
  readonly resource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly selector?: string;
  readonly goal?: string;
  /** `exec --command`, or `run -- kubectl …` as words. */
  readonly command?: string;
  readonly argv?: readonly string[];
  /** `--param key=value`, for card parameters without a typed flag. */
  readonly param?: readonly string[];
  readonly dryRun?: boolean;
  readonly confirm?: boolean;
  readonly confirmToken?: string;
};

type Json = Record<string, unknown>;

function paramValue(text: string): string | number | boolean {
  if (/^-?\d{1,9}$/.test(text)) return Number(text);
  if (text === "true" || text === "false") return text === "true";
  return text;
}

/** What the flags say about the request: fields, params and constraints (only those given). */
function flagRequest(flags: RequestFlags, goal: string | undefined): Json {
  const request: Json = {};
  for (const key of ["intent", "resource", "namespace", "name", "selector", "command", "argv"] as const) if (flags[key] !== undefined) request[key] = flags[key];
  if (goal !== undefined) request["goal"] = goal;
  const params: Json = {};
  for (const { param, property } of PARAM_FLAGS) if (flags[property] !== undefined) params[param] = flags[property];
  for (const pair of flags.param ?? []) {
    const match = /^([a-z][a-z0-9_]{0,31})=(.*)$/.exec(pair);
    if (!match?.[1]) throw new UsageError(`--param takes key=value with a lower_snake_case key, got "${pair}"`);
    if (params[match[1]] !== undefined) throw new UsageError(`parameter ${match[1]} is given twice`);
    params[match[1]] = paramValue(match[2] ?? "");
  }
  if (Object.keys(params).length) request["params"] = params;
  const constraints: Json = {};
  if (flags.dryRun) constraints["dryRun"] = true;
  if (flags.confirm) constraints["confirm"] = true;
  if (flags.confirmToken !== undefined) constraints["confirmToken"] = flags.confirmToken;
  if (Object.keys(constraints).length) request["constraints"] = constraints;
  return request;
}

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The one place flags join a request read from a file: a flag adds what the file leaves out; a flag that
 * contradicts the file is a usage error (nothing is guessed, and nothing the file says is silently overridden).
 */
export function mergeFlags(file: Json, flags: Json, source: string, path = ""): Json {
  const merged: Json = { ...file };
  for (const [key, value] of Object.entries(flags)) {
    const current = merged[key];
    const field = path ? `${path}.${key}` : key;
    if (isObject(value)) {
      if (current !== undefined && !isObject(current)) throw new UsageError(`${source}: "${field}" must be an object`);
      merged[key] = mergeFlags(current ?? {}, value, source, field);
    } else if (current === undefined) {
      merged[key] = value;
    } else if (current !== value) {
      const flag = `--${key.replace(/_/g, "-").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      throw new UsageError(`${flag} says ${JSON.stringify(value)} but ${source} says ${JSON.stringify(current)} (${field}); give it once`);
    }
  }
  return merged;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function readRequestFile(file: string): Promise<Json> {
  const text =
    file === "-"
      ? await readStdin()
      : await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
          throw new UsageError(`cannot read ${file}: ${error.code ?? error.message}`);
        });
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${file === "-" ? "stdin" : file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(json)) throw new UsageError(`${file === "-" ? "stdin" : file} must hold one JSON object (the request)`);
  return json;
}

/** Builds the request from flags, a goal, or --file (JSON; '-' for stdin) with the flags merged in. */
export async function requestFrom(flags: RequestFlags, goalWords: readonly string[]): Promise<Json> {
  const goal = flags.goal ?? (goalWords.length ? goalWords.join(" ") : undefined);
  const fromFlags = flagRequest(flags, goal);
  if (!flags.file) return fromFlags;
  if (flags.intent || flags.resource || goal) throw new UsageError("--file cannot be combined with --intent/--resource/goal");
  return mergeFlags(await readRequestFile(flags.file), fromFlags, flags.file === "-" ? "stdin" : flags.file);
}
