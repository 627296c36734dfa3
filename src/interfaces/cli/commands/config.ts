import { formatConfig } from "../../../config/index.js";
import { cliConfig } from "../context.js";
import type { GlobalOptions } from "../options.js";

/** `rag-k8s config show`: the files that were read (user file, then project file), then every setting and its source. */
export function runConfigShow(options: GlobalOptions): number {
  const { config, sources, files } = cliConfig(options);
  if (options.json) {
    const shown = JSON.parse(formatConfig(config, sources, { json: true })) as Record<string, unknown>;
    process.stdout.write(`${JSON.stringify({ files, ...shown }, null, 2)}\n`);
    return 0;
  }
  const header = files.length ? `config files: ${files.join(", ")}` : "config files: none (defaults, .env and RAGK8S_* variables only)";
  process.stdout.write(`${header}\n\n${formatConfig(config, sources)}\n`);
  return 0;
}
