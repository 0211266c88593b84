/**
 * @module Runs one pse-doctor CLI command in this process with `--json` and returns its Report, so an MCP
 * tool answers exactly as `pse-doctor <command> --json` would — same readers, same rules, same limits.
 */
import { Readable } from 'node:stream';
import { CommanderError } from 'commander';
import type { CliIo } from '../cli/io.js';
import { buildProgram } from '../cli/program.js';
import { ToolError } from '../model/errors.js';
import type { Report } from '../model/report.js';

/** Secrets the server holds (from its environment or files named at start); never from a tool call. */
export interface ServerSecrets {
  pin?: string;
  password?: string;
}

/**
 * Run `argv` (already validated: real paths, no output options) against a captured terminal. Standard
 * input holds `stdinText` (for `-`) and is not a terminal, so no command can prompt; PIN and password
 * reach the command only through its environment. Input problems reject with the command's own ToolError.
 */
export async function runCommandJson(
  argv: string[],
  secrets: ServerSecrets,
  cwd: string,
  stdinText?: string,
): Promise<Report> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    stdin: Readable.from(stdinText === undefined ? [] : [Buffer.from(stdinText, 'utf8')]),
    isTTY: false,
    stdinIsTTY: false,
    env: {
      NO_COLOR: '1',
      ...(secrets.pin !== undefined ? { PSE_DOCTOR_PIN: secrets.pin } : {}),
      ...(secrets.password !== undefined ? { PSE_DOCTOR_PASSWORD: secrets.password } : {}),
    },
    cwd,
  };
  const program = buildProgram(io, () => {});
  try {
    await program.parseAsync([argv[0] ?? '', '--json', ...argv.slice(1)], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      const said =
        err
          .join('')
          .split('\n')[0]
          ?.replace(/^error: /, '') ?? '';
      throw new ToolError('usage', { message: said || error.message });
    }
    throw error;
  }
  const text = out.join('');
  try {
    return JSON.parse(text) as Report;
  } catch {
    throw new Error(`pse-doctor ${argv[0]} --json printed no JSON report`);
  }
}
