/** @module The CLI's window on the world: streams, environment, TTY, clock. Tests pass a fake one. */
import { fstatSync, read } from 'node:fs';
import { Readable } from 'node:stream';
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

/** Bytes of file descriptor `fd` from its current position to its end, 64 KiB at a time. */
async function* readFd(fd: number): AsyncGenerator<Buffer> {
  for (;;) {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    const n = await new Promise<number>((resolve, reject) =>
      read(fd, chunk, 0, chunk.length, null, (err, bytes) => (err ? reject(err) : resolve(bytes))),
    );
    if (n === 0) return;
    yield chunk.subarray(0, n);
  }
}

/**
 * Standard input redirected from a file (`analyze - < trace`) as a plain reader of its descriptor:
 * process.stdin would be an fs.ReadStream, whose modules (file handles, readline) cost a short call
 * about 2 ms of CPU. The same bytes from the same position. Undefined for a terminal or a pipe.
 */
function regularFileStdin(): Readable | undefined {
  try {
    return fstatSync(0).isFile() ? Readable.from(readFd(0), { objectMode: false }) : undefined;
  } catch {
    return undefined; // No standard input at all: process.stdin decides what that reads as.
  }
}

/** The real process I/O. Only the CLI entry point calls this. */
export function processIo(): CliIo {
  let stdin: Readable | undefined;
  return {
    stdout: guardBrokenPipe(process.stdout),
    stderr: guardBrokenPipe(process.stderr),
    // process.stdin builds a stream (and loads its modules) on first access: only commands reading it pay.
    get stdin() {
      stdin ??= regularFileStdin() ?? process.stdin;
      return stdin;
    },
    isTTY: Boolean(process.stdout.isTTY),
    // Same answer as process.stdin.isTTY, without building the stream.
    stdinIsTTY: isatty(0),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}
