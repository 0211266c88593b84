/** @module CLI entry: `run(argv, io)` parses arguments, runs one command and returns the exit code. */
import { Command, CommanderError } from 'commander';
import { isToolError } from '../model/errors.js';
import { TOOL_VERSION } from '../version.js';
import { COMMANDS } from './commands/index.js';
import { type CliIo, processIo, redactForStderr } from './io.js';

const EXIT_HELP = `
Exit codes:
  0  no finding at or above --fail-on (default: error)
  1  findings at or above --fail-on
  2  usage or input error (bad option, unreadable file, wrong PIN)

Everything runs locally; only "probe" (and --fetch-issuers) use the network.`;

/** Build the commander program with every registered command. */
export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('pse-doctor')
    .description('Find out why an SAP SSL/TLS, PSE or SNC connection fails, and exactly what to fix.')
    .version(TOOL_VERSION, '-V, --version')
    .option('--debug', 'print stack traces of internal errors')
    .addHelpText('after', EXIT_HELP)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(redactForStderr(s)),
    })
    .exitOverride();
  for (const register of COMMANDS) register(program, io, setExit);
  for (const cmd of program.commands) {
    cmd.exitOverride();
    cmd.configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(redactForStderr(s)),
    });
  }
  return program;
}

/** Run the CLI with `argv` (without the node and script entries). Never throws; returns the exit code. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors with 1 → we report 2.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (isToolError(err)) {
      io.stderr.write(`pse-doctor: ${redactForStderr(err.message)}\n`);
      return 2;
    }
    const debug = argv.includes('--debug');
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`pse-doctor: internal error: ${redactForStderr(message)}\n`);
    if (debug && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    else io.stderr.write('Run again with --debug for details, and please report it.\n');
    return 2;
  }
}

/** Process entry point used by bin/pse-doctor.js. */
export async function main(): Promise<void> {
  const code = await run(process.argv.slice(2), processIo());
  process.exitCode = code;
}
