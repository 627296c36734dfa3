import { homedir } from "node:os";
import { join } from "node:path";

type Env = Record<string, string | undefined>;

/**
 * Where the approval secret and the used-token records live: `$XDG_STATE_HOME/rag-k8s/approval/` (else
 * `~/.local/state/rag-k8s/approval/`), beside the audit log. State, not cache: clearing a cache must not
 * re-open a used token for replay; not config: config folders are shared and committed (dotfiles), a
 * secret must not travel with them.
 */
export function defaultApprovalPaths(env: Env = process.env): { secretPath: string; usedDir: string } {
  const xdg = env["XDG_STATE_HOME"];
  // The XDG spec says relative values are invalid and must be ignored.
  const state = xdg && xdg.startsWith("/") ? xdg : join(env["HOME"] || homedir(), ".local", "state");
  const dir = join(state, "rag-k8s", "approval");
  return { secretPath: join(dir, "secret"), usedDir: join(dir, "used") };
}
