/** @module The CLI's window on the world: streams, environment, TTY, clock. Tests pass a fake one. */
import type { Readable } from 'node:stream';

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  stdin: Readable;
  /** True when stdout is a terminal (colour, prompts). */
  isTTY: boolean;
  /** True when stdin is a terminal (a PIN prompt is possible). */
  stdinIsTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  now?: () => Date;
}

/** The real process I/O. Only the CLI entry point calls this. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    isTTY: Boolean(process.stdout.isTTY),
    stdinIsTTY: Boolean(process.stdin.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}
