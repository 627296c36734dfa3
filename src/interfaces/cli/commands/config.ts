import { openTarget, TargetError } from "../../../app/target.js";
import type { Target } from "../../../app/target.js";
import { formatConfig } from "../../../config/index.js";
import type { Config } from "../../../config/index.js";
import { cliConfig, printJson } from "../context.js";
import type { GlobalOptions } from "../options.js";

/** The target the configuration resolves to (nothing is started: a one-shot sandbox is only named), or why none. */
async function resolvedTarget(config: Config, sources: Record<string, string>, sandbox: boolean): Promise<Target | TargetError> {
  try {
    const opened = await openTarget(config, { sources, sandbox: sandbox ? "always" : "auto", start: false });
    await opened.close();
    return opened.target;
  } catch (error) {
    // config show is where a broken target gets debugged: show the configuration and the reason.
    if (error instanceof TargetError) return error;
    throw error;
  }
}

/**
 * `rag-k8s config show`: the files that were read (user file, then project file), every setting with where it came
 * from, and the target with where it came from.
 */
export async function runConfigShow(options: GlobalOptions): Promise<number> {
  const { config, sources, files } = cliConfig(options);
  const target = await resolvedTarget(config, sources, options.sandbox ?? false);
  if (options.json) {
    const shown = JSON.parse(formatConfig(config, sources, { json: true })) as Record<string, unknown>;
    const described = target instanceof TargetError ? { error: target.message } : { ...target.record, kubeconfig: target.kubeconfig, describe: target.describe };
    printJson({ files, ...shown, target: described });
    return 0;
  }
  const line =
    target instanceof TargetError
      ? `target    cannot be resolved: ${target.message}`
      : `target    ${target.describe}${target.kubeconfig ? `\n          kubeconfig ${target.kubeconfig}` : ""}`;
  const header = files.length ? `config files: ${files.join(", ")}` : "config files: none (defaults, .env and RAGK8S_* variables only)";
  process.stdout.write(`${header}\n\n${formatConfig(config, sources, { json: false })}\n\n${line}\n`);
  return 0;
}
