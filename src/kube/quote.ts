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

/** A value as a POSIX shell needs it to stay one word (for requests shown to people, never for execution). */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./=:,@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}
