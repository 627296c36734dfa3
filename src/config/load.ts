import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseEnv } from "node:util";
import { defaultAuditPath, defaultCacheDir, userConfigPath } from "./defaults.js";
import { envLayer } from "./env.js";
import { ConfigError } from "./errors.js";
import { FIELDS } from "./fields.js";
import { readConfigFile } from "./file.js";
import { describeIssues } from "./issues.js";
import { deepMerge, getPath, selfAndParents, setsPath, type DeepPartial, type Tree } from "./merge.js";
import { resolveLayerPaths } from "./paths.js";
import { ConfigSchema, type Config } from "./schema.js";

export const CONFIG_FILE_NAME = "rag-k8s.config.yaml";

export interface LoadConfigOptions {
  /** Folder holding rag-k8s.config.yaml and .env; relative paths in env and flags resolve against it. */
  cwd?: string;
  /** Environment to read (default process.env; never modified). */
  env?: NodeJS.ProcessEnv;
  /** Config file to use instead of RAGK8S_CONFIG or <cwd>/rag-k8s.config.yaml; it must exist. */
  file?: string;
  /** Command-line flags: the highest precedence. */
  overrides?: DeepPartial<Config>;
}

export interface LoadedConfig {
  config: Config;
  /** Every set setting's dot path → "default" | "file:<path>" | ".env:VAR" | "env:VAR" | "flag". */
  sources: Record<string, string>;
  /** The most specific config file that was read, if any. */
  file?: string;
  /** Every config file read, lowest precedence first (the user's, then the project's or the named one). */
  files: string[];
}

interface Layer {
  values: Tree;
  /** Where a setting of this layer came from, for `sources`. */
  source: (path: string) => string;
  /** The same, as precisely as possible (file:line:col), for error messages. */
  locate: (path: string) => string;
}

function readDotenv(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  try {
    return parseEnv(readFileSync(path, "utf8")) as Record<string, string>;
  } catch (error) {
    throw new ConfigError([{ path: "", source: `file:${path}`, message: `cannot read .env: ${(error as Error).message}` }]);
  }
}

function fileLayer(path: string, home: string): Layer {
  const file = readConfigFile(path);
  resolveLayerPaths(file.values, dirname(path), home);
  const positionOf = (p: string): string | undefined => {
    for (const key of selfAndParents(p)) {
      const position = file.positions.get(key);
      if (position !== undefined) return position;
    }
    return undefined;
  };
  return {
    values: file.values,
    source: () => `file:${path}`,
    locate: (p) => {
      const position = positionOf(p);
      return position === undefined ? `file:${path}` : `file:${path}:${position}`;
    },
  };
}

function envVarsLayer(vars: Record<string, string | undefined>, cwd: string, home: string, label: (name: string) => string): Layer {
  const { values, names } = envLayer(vars, label);
  resolveLayerPaths(values, cwd, home);
  const source = (p: string): string => label(names.get(p) ?? "");
  return { values, source, locate: source };
}

/**
 * The effective configuration. Precedence, lowest first: defaults, the user's file
 * (`~/.config/rag-k8s/config.yaml`), the project's YAML file (`file`, else RAGK8S_CONFIG, else
 * <cwd>/rag-k8s.config.yaml), `<cwd>/.env`, the environment (RAGK8S_* and KUBECONFIG), then `overrides`. Throws ConfigError naming each bad setting and its source.
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const cwd = resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const home = env.HOME || homedir();
  const dotenvPath = join(cwd, ".env");
  const dotenv = readDotenv(dotenvPath);

  const named = options.file ?? env.RAGK8S_CONFIG ?? dotenv.RAGK8S_CONFIG;
  const implicit = join(cwd, CONFIG_FILE_NAME);
  const filePath = named ? resolve(cwd, named) : existsSync(implicit) ? implicit : undefined;
  const userFile = userConfigPath(env);
  const files = [...(existsSync(userFile) && userFile !== filePath ? [userFile] : []), ...(filePath ? [filePath] : [])];

  const cacheDir = defaultCacheDir(env);
  const defaults: Tree = { audit: { path: defaultAuditPath(env) }, retrieval: { cacheDir, indexDir: join(cacheDir, "index") } };
  const overrides = structuredClone((options.overrides ?? {}) as Tree);
  resolveLayerPaths(overrides, cwd, home);
  const layers: Layer[] = [
    ...files.map((file) => fileLayer(file, home)),
    envVarsLayer(dotenv, cwd, home, (name) => `.env:${name}`),
    envVarsLayer(env, cwd, home, (name) => `env:${name}`),
    { values: overrides, source: () => "flag", locate: () => "flag" },
  ];

  const owner = (path: string): Layer | undefined => layers.findLast((layer) => setsPath(layer.values, path));
  const merged = deepMerge(defaults, ...layers.map((l) => l.values));
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const locate = (path: string): string => owner(path)?.locate(path) ?? "default";
    throw new ConfigError(describeIssues(parsed.error.issues, locate, (path) => getPath(merged, path)));
  }

  const sources: Record<string, string> = {};
  for (const field of FIELDS) {
    if (getPath(parsed.data, field.path) === undefined) continue;
    sources[field.path] = owner(field.path)?.source(field.path) ?? "default";
  }
  return { config: parsed.data, sources, files, ...(filePath ? { file: filePath } : {}) };
}
