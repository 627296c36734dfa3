import { InvalidArgumentError } from "commander";
import type { Command } from "commander";

export interface GlobalOptions {
  readonly config?: string;
  readonly cards?: string[];
  readonly bundledCards?: boolean;
  readonly policy?: string;
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly sandbox?: boolean;
  readonly json?: boolean;
  readonly readOnly?: boolean;
  readonly disableDestructive?: boolean;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Commander turns an InvalidArgumentError into a usage error naming the option (exit 2, no stack trace). */
export function integerOption(name: string): (value: string) => number {
  return (value) => {
    if (!/^-?\d{1,9}$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number, got "${value}"`);
    return Number(value);
  };
}

/** A number from 0 to 1, e.g. an accuracy threshold. */
export function fractionOption(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError(`${name} must be a number from 0 to 1, got "${value}"`);
    return n;
  };
}
