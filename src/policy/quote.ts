const SAFE_WORD = /^[A-Za-z0-9_\-.,:/=@%+^]+$/;

/** POSIX-quotes one argument so that the policy tokenizer reads it back as exactly one token. */
export function quoteArg(arg: string): string {
  if (arg !== "" && SAFE_WORD.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Joins an argv array into a command string that tokenizes back to the same argv. */
export function quoteArgv(argv: readonly string[]): string {
  return argv.map(quoteArg).join(" ");
}
