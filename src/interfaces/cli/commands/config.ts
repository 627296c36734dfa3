import { formatConfig } from "../../../config/index.js";
import { cliConfig } from "../context.js";
import type { GlobalOptions } from "../options.js";

export function runConfigShow(options: GlobalOptions): number {
  const { config, sources } = cliConfig(options);
  process.stdout.write(`${formatConfig(config, sources, { json: options.json ?? false })}\n`);
  return 0;
}
