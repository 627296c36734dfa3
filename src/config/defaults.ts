import { homedir } from "node:os";
import { join } from "node:path";

type Env = Record<string, string | undefined>;

function base(env: Env, xdgVar: string, fallback: string[]): string {
  const xdg = env[xdgVar];
  // The XDG spec says relative values are invalid and must be ignored.
  if (xdg && xdg.startsWith("/")) return xdg;
  return join(env.HOME || homedir(), ...fallback);
}

/** `$XDG_STATE_HOME/rag-k8s/audit.jsonl`, else `~/.local/state/rag-k8s/audit.jsonl`. */
export function defaultAuditPath(env: Env = process.env): string {
  return join(base(env, "XDG_STATE_HOME", [".local", "state"]), "rag-k8s", "audit.jsonl");
}

/** `$XDG_CACHE_HOME/rag-k8s`, else `~/.cache/rag-k8s`. */
export function defaultCacheDir(env: Env = process.env): string {
  return join(base(env, "XDG_CACHE_HOME", [".cache"]), "rag-k8s");
}

/** `$XDG_CONFIG_HOME/rag-k8s/config.yaml`, else `~/.config/rag-k8s/config.yaml`: the user's own settings. */
export function userConfigPath(env: Env = process.env): string {
  return join(base(env, "XDG_CONFIG_HOME", [".config"]), "rag-k8s", "config.yaml");
}
