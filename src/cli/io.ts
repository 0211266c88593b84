/** @module The CLI's window on the world: streams, environment, TTY, clock. Tests pass a fake one. */
import { fstatSync, readSync, statSync, writeSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { isatty } from 'node:tty';
import { stripControlCharsKeepLines } from '../report/control-chars.js';

export interface CliIo {
  /** `drain`, when present, resolves once buffered output went out (large outputs wait on it). */
  stdout: { write(text: string): unknown; drain?(): Promise<void> };
  stderr: { write(text: string): unknown };
  /** Read with `for await`: process.stdin, or a plain reader of a file it was redirected from. */
  stdin: Readable | AsyncIterable<Buffer>;
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
  write(text: string | Uint8Array): unknown;
  on(event: 'error', listener: (err: NodeJS.ErrnoException) => void): unknown;
  once?(event: 'drain', listener: () => void): unknown;
  readonly writableNeedDrain?: boolean;
  /** Bytes written and not yet handed to the system (Node's writable streams). */
  readonly writableLength?: number;
}

/** Standard output or error as the CLI writes to it (see guardBrokenPipe and descriptorWriter). */
export interface GuardedOutput {
  write(text: string | Uint8Array): unknown;
  drain(): Promise<void>;
  /** True once the reader went away (EPIPE): later output is dropped. */
  readonly broken: boolean;
  /**
   * True when every byte written so far has left the process (written to the descriptor, or no longer
   * buffered by the stream), so exiting now loses no output.
   */
  readonly settled: boolean;
}

/**
 * Wrap a process stream so a reader that goes away (`pse-doctor … | head`) ends output quietly: on
 * EPIPE further writes are dropped and the command finishes with its own exit code, instead of Node's
 * unhandled 'error' crash. Other stream errors still surface as before.
 */
export function guardBrokenPipe(stream: GuardableStream): GuardedOutput {
  let broken = false;
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') {
      broken = true;
      return;
    }
    throw err;
  });
  return {
    write: (text: string | Uint8Array) => (broken ? false : stream.write(text)),
    drain: () =>
      broken || !stream.writableNeedDrain || !stream.once
        ? Promise.resolve()
        : new Promise<void>((resolve) => stream.once?.('drain', resolve)),
    get broken() {
      return broken;
    },
    get settled() {
      return broken || stream.writableLength === 0;
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

/**
 * Bytes of file descriptor `fd` (a regular file) from its current position to its end, 64 KiB at a
 * time, read synchronously: the callback API would start libuv's thread pool and wait on it for every
 * chunk (readers/source.ts, SYNC_READ_BYTES), and these reads were never overlapped with anything.
 */
async function* readFd(fd: number): AsyncGenerator<Buffer> {
  for (;;) {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) return;
    yield chunk.subarray(0, n);
  }
}

/**
 * Standard input redirected from a file (`analyze - < trace`) as a plain reader of its descriptor:
 * process.stdin would be an fs.ReadStream, whose modules (file handles, readline, streams) cost a short
 * call about 2 ms of CPU. The same bytes from the same position. Undefined for a terminal or a pipe.
 */
function regularFileStdin(fd: number): AsyncIterable<Buffer> | undefined {
  try {
    return fstatSync(fd).isFile() ? readFd(fd) : undefined;
  } catch {
    return undefined; // No standard input at all: process.stdin decides what that reads as.
  }
}

/**
 * Whether descriptor `fd` is a terminal, as `process.stdout.isTTY` says it. Only a character device other
 * than the null device can be one: any other descriptor (a pipe, a file, /dev/null) is answered without
 * node:tty, which loads net and the stream modules with it.
 */
export function isTerminal(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice()) return false;
    // The null device (`> /dev/null`) is a character device too, and no terminal.
    if (st.rdev === statSync('/dev/null').rdev) return false;
  } catch {
    // No such descriptor (isatty says false), or no /dev/null to compare with.
  }
  return isatty(fd);
}

/**
 * Standard output or error written straight to its descriptor when it is not a terminal, as Node writes
 * to a file (`fs.writeSync`; a pipe blocks the same way process.stdout's pipe writes do on Linux):
 * process.stdout would build a stream whose modules (streams, net, tty) cost a short command about
 * 10 ms of CPU. A reader that went away (EPIPE) ends output quietly, as guardBrokenPipe does. A write the
 * descriptor refuses otherwise (EAGAIN from one opened non-blocking, a full disk) hands what is left, and
 * all later output, to the process stream (`fallback`), which queues or reports it as before.
 */
export function descriptorWriter(
  fd: number,
  fallback: () => GuardableStream,
  write: (fd: number, bytes: Uint8Array, offset: number, length: number) => number = writeSync,
): GuardedOutput {
  let broken = false;
  let stream: GuardedOutput | undefined;
  return {
    write(text: string | Uint8Array) {
      if (stream) return stream.write(text);
      if (broken) return false;
      const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
      let at = 0;
      while (at < bytes.length) {
        try {
          at += write(fd, bytes, at, bytes.length - at);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EPIPE') {
            broken = true;
            return false;
          }
          stream = guardBrokenPipe(fallback());
          return stream.write(bytes.subarray(at));
        }
      }
      return true;
    },
    drain: () => stream?.drain() ?? Promise.resolve(),
    get broken() {
      return stream ? stream.broken : broken;
    },
    get settled() {
      return stream ? stream.settled : true;
    },
  };
}

/** Standard output or error: its descriptor, or on a terminal the process stream. */
function output(fd: 1 | 2, terminal: boolean): GuardedOutput {
  const stream = () => (fd === 1 ? process.stdout : process.stderr);
  return terminal ? guardBrokenPipe(stream()) : descriptorWriter(fd, stream);
}

/** The process's own I/O: its standard output and error say when all they were given went out. */
export interface ProcessIo extends CliIo {
  stdout: GuardedOutput;
  stderr: GuardedOutput;
}

/**
 * The real process I/O. Only the CLI entry point calls this, and the build's code-cache sample runs,
 * which give each sample's input as a file of its own (`stdinFd`, standard input otherwise).
 */
export function processIo(stdinFd = 0): ProcessIo {
  let stdin: Readable | AsyncIterable<Buffer> | undefined;
  let stdinIsTTY: boolean | undefined;
  const stdoutIsTTY = isTerminal(1);
  const stderrIsTTY = isTerminal(2);
  return {
    stdout: output(1, stdoutIsTTY),
    stderr: output(2, stderrIsTTY),
    // process.stdin builds a stream (and loads its modules) on first access: only commands reading it pay.
    get stdin() {
      stdin ??= regularFileStdin(stdinFd) ?? process.stdin;
      return stdin;
    },
    // The same answers as process.stdout.isTTY and the others, without building the streams.
    isTTY: stdoutIsTTY,
    // Asked only before a PIN prompt.
    get stdinIsTTY() {
      stdinIsTTY ??= isTerminal(stdinFd);
      return stdinIsTTY;
    },
    stderrIsTTY,
    env: process.env,
    cwd: process.cwd(),
  };
}
