export interface ConfigIssue {
  /** Dot path of the setting, e.g. "exec.timeoutMs" ("" for the whole file). */
  path: string;
  /** Where the bad value came from: "file:<path>:<line>:<col>", "env:RAGK8S_X", "flag", "default". */
  source: string;
  message: string;
}

/** The configuration is invalid; every issue names the setting, where it was set, and what is allowed. */
export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly issues: readonly ConfigIssue[]) {
    const lines = issues.map((i) => `  ${i.path || "(file)"}${i.source ? ` (${i.source})` : ""}: ${i.message}`);
    super(issues.length === 1 ? `invalid configuration:${lines[0]?.slice(1)}` : `invalid configuration:\n${lines.join("\n")}`);
  }
}
