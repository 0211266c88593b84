/**
 * @module The commander program of the CLI: every registered command, the root options, help and
 * usage errors. main.ts loads it for every call but `analyze` and `explain` with plain arguments.
 */
import { Command, CommanderError } from 'commander';
import { TOOL_VERSION } from '../version.js';
import { COMMANDS } from './commands/index.js';
import { type CliIo, redactForStderr } from './io.js';

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

/**
 * Parse `argv` with the program and run its command. Resolves to the exit code of commander's own end
 * (0 after --help and --version, 2 for a usage error), or undefined when a command ran (it told its
 * code through `setExit`); other errors reject.
 */
export async function runProgram(
  argv: string[],
  io: CliIo,
  setExit: (code: number) => void,
): Promise<number | undefined> {
  try {
    await buildProgram(io, setExit).parseAsync(argv, { from: 'user' });
    return undefined;
  } catch (err) {
    // --help and --version end here with code 0; usage errors with 1 → we report 2.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
}
