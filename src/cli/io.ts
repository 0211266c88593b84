/** @module The CLI's window on the world: streams, environment, TTY, clock. Tests pass a fake one. */
import type { Readable } from 'node:stream';
import { isatty } from 'node:tty';
import { stripControlCharsKeepLines } from '../report/control-chars.js';

export interface CliIo {
  /** `drain`, when present, resolves once buffered output went out (large outputs wait on it). */
  stdout: { write(text: string): unknown; drain?(): Promise<void> };
  stderr: { write(text: string): unknown };
  stdin: Readable;
  /** True when stdout is a terminal (colour, prompts). */
  isTTY: boolean;
  /** True when stdin is a terminal (a PIN prompt is possible). */
  stdinIsTTY: boolean;
  /** True when stderr is a terminal (progress lines). */
  stderrIsTTY?: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  now?: () => Date;
}

/** A stream the CLI writes to: `write` plus the 'error' event of Node's writable streams. */
export interface GuardableStream {
  write(text: string): unknown;
  on(event: 'error', listener: (err: NodeJS.ErrnoException) => void): unknown;
  once?(event: 'drain', listener: () => void): unknown;
  readonly writableNeedDrain?: boolean;
}

/**
 * Wrap a process stream so a reader that goes away (`pse-doctor … | head`) ends output quietly: on
 * EPIPE further writes are dropped and the command finishes with its own exit code, instead of Node's
 * unhandled 'error' crash. Other stream errors still surface as before.
 */
export function guardBrokenPipe(stream: GuardableStream): {
  write(text: string): unknown;
  drain(): Promise<void>;
  readonly broken: boolean;
} {
  let broken = false;
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') {
      broken = true;
      return;
    }
    throw err;
  });
  return {
    write: (text: string) => (broken ? false : stream.write(text)),
    drain: () =>
      broken || !stream.writableNeedDrain || !stream.once
        ? Promise.resolve()
        : new Promise<void>((resolve) => stream.once?.('drain', resolve)),
    get broken() {
      return broken;
    },
  };
}

/**
 * Text for standard error with no secret in it: a value given as `--pin=…`, `--password=…` (or any
 * option whose name speaks of a PIN, password, passphrase, secret or token) is shown as `--pin=***`,
 * and control characters from file names and messages are neutralised.
 */
export function redactForStderr(text: string): string {
  return stripControlCharsKeepLines(
    text.replace(/(--?[A-Za-z-]{0,40}(?:pin|pass|secret|token)[A-Za-z-]{0,40}=)[^\s'"]*/gi, '$1***'),
  );
}

/** The real process I/O. Only the CLI entry point calls this. */
export function processIo(): CliIo {
  return {
    stdout: guardBrokenPipe(process.stdout),
    stderr: guardBrokenPipe(process.stderr),
    // process.stdin builds a stream (and loads its modules) on first access: only commands reading it pay.
    get stdin() {
      return process.stdin;
    },
    isTTY: Boolean(process.stdout.isTTY),
    // Same answer as process.stdin.isTTY, without building the stream.
    stdinIsTTY: isatty(0),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}
