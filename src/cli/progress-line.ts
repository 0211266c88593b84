/**
 * @module A progress line on stderr while large inputs are read (`analyze` of a multi-hundred-MB trace): one
 * line, rewritten in place, only for inputs over 50 MiB and only on a terminal; cleared when done.
 */
import type { CliIo } from './io.js';

/** Inputs smaller than this finish before a progress line would help. */
export const PROGRESS_MIN_BYTES = 50 * 1024 * 1024;
/** At most one redraw per this many milliseconds. */
const REDRAW_MS = 200;

function mb(n: number): string {
  return `${(n / 1024 / 1024).toFixed(0)} MB`;
}

export interface ProgressLine {
  update(progress: { name: string; read: number; size: number }): void;
  /** Clears the line (call once reading is over, before any other output). */
  done(): void;
}

/** A progress line writing to `io.stderr`; `clock` is for tests. */
export function createProgressLine(io: Pick<CliIo, 'stderr'>, clock: () => number = Date.now): ProgressLine {
  let last = 0;
  let shown = false;
  return {
    update({ name, read, size }) {
      if (size < PROGRESS_MIN_BYTES) return;
      const now = clock();
      if (now - last < REDRAW_MS && read < size) return;
      last = now;
      const pct = Math.min(100, Math.floor((read / size) * 100));
      const shortName = name.length > 40 ? `…${name.slice(-39)}` : name;
      io.stderr.write(
        `\r\u001b[2Kpse-doctor: reading ${shortName}  ${mb(Math.min(read, size))} of ${mb(size)} (${pct}%)`,
      );
      shown = true;
    },
    done() {
      if (shown) io.stderr.write('\r\u001b[2K');
      shown = false;
    },
  };
}
