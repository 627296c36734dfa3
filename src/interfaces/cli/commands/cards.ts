import { bundledCardsDir, lintCards } from "../../../cards/index.js";
import { loadCardSet } from "../../../app/catalog.js";
import { cliConfig, printJson } from "../context.js";
import { EXIT } from "../exit-codes.js";
import type { GlobalOptions } from "../options.js";

/** Lints the given folders, or the configured card set when none is given. */
export async function runCardsLint(dirs: string[], options: GlobalOptions): Promise<number> {
  const { config } = cliConfig(options);
  const targets = dirs.length ? dirs : [...(config.cards.bundled ? [bundledCardsDir()] : []), ...config.cards.dirs];
  const issues = await lintCards(targets);
  const errors = issues.filter((i) => i.severity === "error").length;
  if (options.json) printJson({ dirs: targets, errors, warnings: issues.length - errors, issues });
  else {
    for (const i of issues) process.stdout.write(`${i.file}:${i.line}:${i.column}: ${i.severity}: ${i.message}\n`);
    process.stdout.write(`${errors} error(s), ${issues.length - errors} warning(s) in ${targets.join(", ")}\n`);
  }
  return errors > 0 ? EXIT.usage : EXIT.ok;
}

export async function runCardsList(options: GlobalOptions): Promise<number> {
  const { config } = cliConfig(options);
  const set = await loadCardSet(config);
  if (options.json) {
    printJson(set.cards.map((c) => ({ id: c.id, title: c.title, intent: c.intent, resource: c.resource, risk: c.risk_level, file: set.sources.get(c.id) })));
  } else {
    for (const c of set.cards) process.stdout.write(`${c.id.padEnd(36)} ${c.intent.padEnd(10)} ${c.resource.padEnd(14)} ${c.risk_level.padEnd(7)} ${c.title}\n`);
    process.stdout.write(`${set.cards.length} cards, set hash ${set.hash.slice(0, 12)}\n`);
  }
  return EXIT.ok;
}
