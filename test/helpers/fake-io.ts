/** @module A fake terminal for CLI tests: captures stdout/stderr, feeds stdin, fixes env and clock. */
import { Readable } from 'node:stream';
import type { CliIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';

export interface FakeRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface FakeIoOptions {
  stdin?: string | Buffer;
  env?: Record<string, string | undefined>;
  cwd?: string;
  isTTY?: boolean;
  /** stderr is a terminal (progress lines). */
  stderrIsTTY?: boolean;
  now?: Date;
}

export function fakeIo(opts: FakeIoOptions = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const now = opts.now;
  return {
    out,
    err,
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    stdin: Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]),
    isTTY: opts.isTTY ?? false,
    stdinIsTTY: false,
    stderrIsTTY: opts.stderrIsTTY ?? false,
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    ...(now ? { now: () => now } : {}),
  };
}

/** Run the CLI in-process against a fake terminal. */
export async function runCli(argv: string[], opts: FakeIoOptions = {}): Promise<FakeRun> {
  const io = fakeIo(opts);
  const code = await run(argv, io);
  return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}
