import { REASON } from "./reasons.js";
import type { Reason } from "./reasons.js";

export const MAX_COMMAND_LENGTH = 8192;

export type TokenizeResult = { readonly ok: true; readonly tokens: string[] } | { readonly ok: false; readonly reasons: Reason[] };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;
const NON_ASCII = /[^\u0000-\u007f]/;

const deny = (code: Reason["code"], message: string): TokenizeResult => ({ ok: false, reasons: [{ code, message }] });

/**
 * POSIX-style word splitting with single quotes, double quotes and backslashes, and nothing else: any unquoted
 * shell operator or expansion (`; & | < > $( ${ \``) denies the command. Nothing ever runs through a shell, so the
 * point is not escaping but refusing plans that mean to chain, redirect or substitute.
 */
export function tokenize(command: string): TokenizeResult {
  if (command.length > MAX_COMMAND_LENGTH) {
    return deny(REASON.INPUT_TOO_LONG, `the command is ${command.length} characters long; at most ${MAX_COMMAND_LENGTH} are accepted`);
  }
  if (CONTROL.test(command)) return deny(REASON.CONTROL_CHARACTER, "the command contains a newline or another control character");
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
    if (ch === " " || ch === "\t") {
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
        if (c === "$" || c === "`") return deny(REASON.SHELL_OPERATOR, `"${c}" inside double quotes would expand in a shell`);
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
    if (";&|<>`".includes(ch)) return deny(REASON.SHELL_OPERATOR, `shell operator "${ch}" is not allowed`);
    if (ch === "$" && (command[i + 1] === "(" || command[i + 1] === "{")) {
      return deny(REASON.SHELL_OPERATOR, `shell expansion "$${command[i + 1]}" is not allowed`);
    }
    current += ch;
    i++;
  }
  if (inToken) tokens.push(current);
  if (tokens.length === 0) return deny(REASON.EMPTY_COMMAND, "the command is empty");
  return { ok: true, tokens };
}
