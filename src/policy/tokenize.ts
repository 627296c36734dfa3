import { REASON } from "./reasons.js";
import type { Reason } from "./reasons.js";

/** 8 KiB: checked before anything else, so a huge input costs nothing. */
export const MAX_COMMAND_LENGTH = 8192;

export type TokenizeResult = { readonly ok: true; readonly tokens: string[] } | { readonly ok: false; readonly reasons: Reason[] };

// Tab is a control character too: commands are space-separated, and a tab inside an argument has no use here.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
/** Runs after CONTROL, so anything outside printable ASCII left here is non-ASCII. */
const NON_ASCII = /[^\x20-\x7e]/;
/** Unquoted characters that mean something to a shell: chaining, pipes, redirection, subshells, expansion. */
const UNQUOTED_OPERATORS = ";&|<>()`$";

const deny = (code: Reason["code"], message: string): TokenizeResult => ({ ok: false, reasons: [{ code, message }] });

function operatorMessage(command: string, i: number): string {
  const ch = command[i] as string;
  const pair = command.slice(i, i + 2);
  const shown = ["&&", "||", ">>", "$(", "${", "<<", "|&", "&>"].includes(pair) ? pair : ch;
  return `shell syntax "${shown}" is not allowed outside quotes; rag-k8s runs one program, never a shell`;
}

/**
 * POSIX-style word splitting with single quotes, double quotes and backslashes, and nothing else: any unquoted
 * shell operator or expansion denies the command, as does `$` or a backtick even inside double quotes (a
 * shell would expand them). Nothing ever runs through a shell; the point is to refuse plans that mean to
 * chain, redirect or substitute, and to read exactly the argv that will run. Never repairs, never throws.
 */
export function tokenize(command: string): TokenizeResult {
  if (command.length > MAX_COMMAND_LENGTH) {
    return deny(REASON.INPUT_TOO_LONG, `the command is ${command.length} characters long; at most ${MAX_COMMAND_LENGTH} are accepted`);
  }
  if (CONTROL.test(command)) return deny(REASON.CONTROL_CHARACTER, "the command contains a newline, tab or another control character");
  if (NON_ASCII.test(command)) {
    return deny(REASON.NON_ASCII, "the command contains non-ASCII characters (look-alike dashes or letters are refused)");
  }
  const tokens: string[] = [];
  let current = "";
  let inToken = false;
  let i = 0;
  const n = command.length;
  while (i < n) {
    const ch = command[i] as string;
    if (ch === " ") {
      if (inToken) tokens.push(current);
      current = "";
      inToken = false;
      i++;
      continue;
    }
    inToken = true;
    if (ch === "'") {
      const end = command.indexOf("'", i + 1);
      if (end === -1) return deny(REASON.UNTERMINATED_QUOTE, "a single quote is not closed");
      current += command.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (ch === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const c = command[i] as string;
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        if (c === "$" || c === "`") return deny(REASON.SHELL_OPERATOR, `"${c}" inside double quotes would expand in a shell; use single quotes`);
        // POSIX: inside double quotes a backslash escapes only " \ $ ` (and newline); otherwise it stays.
        if (c === "\\" && i + 1 < n && '"\\$`'.includes(command[i + 1] as string)) {
          current += command[i + 1];
          i += 2;
          continue;
        }
        current += c;
        i++;
      }
      if (!closed) return deny(REASON.UNTERMINATED_QUOTE, "a double quote is not closed");
      continue;
    }
    if (ch === "\\") {
      if (i + 1 >= n) return deny(REASON.UNTERMINATED_QUOTE, "the command ends with a backslash");
      current += command[i + 1];
      i += 2;
      continue;
    }
    if (UNQUOTED_OPERATORS.includes(ch)) return deny(REASON.SHELL_OPERATOR, operatorMessage(command, i));
    current += ch;
    i++;
  }
  if (inToken) tokens.push(current);
  if (tokens.length === 0) return deny(REASON.EMPTY_COMMAND, "the command is empty");
  return { ok: true, tokens };
}
