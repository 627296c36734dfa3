/**
 * Quoting as people write it around names in prose and chat ("web", 'web', `web`, “web”): removed when the
 * quoted text is a single plain token. Quoted text with spaces or shell metacharacters is left alone, so
 * `rm -rf /` or "$(id)" still read as shell syntax downstream.
 */
const QUOTED_TOKEN = /(^|[\s(=,:/])(["'`])([^\s"'`]+)\2(?=$|[\s),.;:!?/])/g;
const SHELL_META = /[$;&|<>\\(){}*?[\]!#~]/;

export function unquoteTokens(text: string): string {
  const straight = text.replace(/[“”„]/g, '"').replace(/[‘’‚]/g, "'");
  return straight.replace(QUOTED_TOKEN, (whole, before: string, _quote: string, inner: string) => (SHELL_META.test(inner) ? whole : `${before}${inner}`));
}

const SAFE_WORD = /^[A-Za-z0-9_\-.,:/=@%+^]+$/;

/** POSIX-quotes one argument so that a shell (and the policy tokenizer) reads it back as exactly one word. */
export function quoteArg(arg: string): string {
  if (arg !== "" && SAFE_WORD.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Joins an argv array into a command string that tokenizes back to the same argv. */
export function quoteArgv(argv: readonly string[]): string {
  return argv.map(quoteArg).join(" ");
}
