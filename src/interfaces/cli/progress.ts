/** Where progress goes: a TTY gets one line rewritten in place, anything else (a pipe, a log file) plain lines. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressReporter {
  /** `detail` is what has been done so far, e.g. "1.5 / 22.0 MiB" or "40/120". */
  update(label: string, percent: number, detail: string): void;
  /** Finishes the line in place (no-op when nothing was written or it was already ended). */
  end(): void;
}

/** "1.5 / 22.0 MiB" */
export function mebibytes(done: number, total: number): string {
  const mib = (n: number) => (n / 1_048_576).toFixed(1);
  return `${mib(done)} / ${mib(total)} MiB`;
}

/**
 * Progress for downloads and index builds. `\r` redraws only on a terminal; in a pipe each line ends with a
 * newline and only every 10% step (and 100%) is written, so logs stay short and readable.
 */
export function progressReporter(stream: ProgressStream): ProgressReporter {
  const tty = stream.isTTY === true;
  let open = false;
  const lastStep = new Map<string, number>();
  return {
    update(label, percent, detail) {
      const text = `${label} ${percent.toFixed(0).padStart(3)}%  ${detail}`;
      if (tty) {
        stream.write(`\r${text}`);
        open = true;
        return;
      }
      const step = Math.floor(Math.min(100, Math.max(0, percent)) / 10);
      if (lastStep.get(label) === step) return;
      lastStep.set(label, step);
      stream.write(`${text}\n`);
    },
    end() {
      if (open) stream.write("\n");
      open = false;
    },
  };
}
