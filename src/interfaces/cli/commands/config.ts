import { openTarget } from "../../../app/target.js";
import { formatConfig } from "../../../config/index.js";
import { cliConfig, printJson } from "../context.js";
import type { GlobalOptions } from "../options.js";

/** The effective configuration, and the target it resolves to (nothing is started: a one-shot sandbox is only named). */
export async function runConfigShow(options: GlobalOptions): Promise<number> {
  const { config, sources } = cliConfig(options);
  const opened = await openTarget(config, { sources, sandbox: options.sandbox ? "always" : "never" });
  const { target } = opened;
  await opened.close();
  if (options.json) {
    const shown = JSON.parse(formatConfig(config, sources, { json: true })) as Record<string, unknown>;
    printJson({ ...shown, target: { ...target.record, kubeconfig: target.kubeconfig, describe: target.describe } });
    return 0;
  }
  process.stdout.write(`${formatConfig(config, sources, { json: false })}\n\ntarget    ${target.describe}${target.kubeconfig ? `\n          kubeconfig ${target.kubeconfig}` : ""}\n`);
  return 0;
}
