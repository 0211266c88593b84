/** @module CLI entry: `run(argv, io)` parses arguments, runs one command and returns the exit code. */
import { isToolError } from '../model/errors.js';
import { TOOL_VERSION } from '../version.js';
import type { AnalyzeCliOptions } from './commands/analyze.js';
import type { ExplainOptions } from './commands/explain.js';
import { type CliIo, processIo, redactForStderr } from './io.js';

/** The real process I/O (the build's code-cache sample runs write through it, as every call does). */
export { processIo };

/**
 * `analyze` given only inputs (paths, folders, "-") and at most `--json`, the most common calls: the
 * inputs and the options exactly as commander hands them to the command's action (src/cli/program.ts;
 * main.test.ts compares the two), so such a call can run without loading commander. Undefined for
 * anything else (another command, any other option, no input, an empty argument), which commander
 * parses as always.
 */
export function plainAnalyzeArgs(
  argv: readonly string[],
): { inputs: string[]; opts: AnalyzeCliOptions } | undefined {
  if (argv[0] !== 'analyze') return undefined;
  const inputs: string[] = [];
  let json = false;
  for (const arg of argv.slice(1)) {
    if (arg === '--json') json = true;
    else if (arg === '-' || (arg !== '' && !arg.startsWith('-'))) inputs.push(arg);
    else return undefined;
  }
  if (inputs.length === 0) return undefined;
  return { inputs, opts: { ...(json ? { json: true } : {}), failOn: 'error', color: true } };
}

/**
 * `explain` given only the words of a query (`explain WSS040`, `explain peer not trusted`, `explain -`):
 * the words and options commander hands the action, so such a call runs without loading commander.
 * Undefined for anything else (an option, a word starting with "-" such as -102, an empty word, no word).
 */
export function plainExplainArgs(
  argv: readonly string[],
): { words: string[]; opts: ExplainOptions } | undefined {
  if (argv[0] !== 'explain' || argv.length < 2) return undefined;
  const words = argv.slice(1);
  if (words.some((w) => w === '' || (w.startsWith('-') && w !== '-'))) return undefined;
  return { words, opts: {} };
}

/** Run the CLI with `argv` (without the node and script entries). Never throws; returns the exit code. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  return (await runCommand(argv, io)).code;
}

/**
 * `run`, also saying whether the command is done with nothing left running (`done`): so far `--version`
 * and the plain `analyze` and `explain`, which await all their work and write their output synchronously
 * (see `main`).
 */
async function runCommand(argv: string[], io: CliIo): Promise<{ code: number; done: boolean }> {
  let exitCode = 0;
  const setExit = (code: number) => {
    exitCode = code;
  };
  try {
    // `--version` alone prints what commander would print for it, without loading commander.
    if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
      io.stdout.write(`${TOOL_VERSION}\n`);
      return { code: 0, done: true };
    }
    const plain = plainAnalyzeArgs(argv);
    if (plain) {
      const { runAnalyze } = await import('./commands/analyze.js');
      await runAnalyze(plain.inputs, plain.opts, io, setExit);
      return { code: exitCode, done: true };
    }
    const explain = plainExplainArgs(argv);
    if (explain) {
      const { runExplain } = await import('./commands/explain.js');
      await runExplain(explain.words, explain.opts, io, setExit);
      return { code: exitCode, done: true };
    }
    const { runProgram } = await import('./program.js');
    return { code: (await runProgram(argv, io, setExit)) ?? exitCode, done: false };
  } catch (err) {
    if (isToolError(err)) {
      io.stderr.write(`pse-doctor: ${redactForStderr(err.message)}\n`);
      return { code: 2, done: false };
    }
    const debug = argv.includes('--debug');
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`pse-doctor: internal error: ${redactForStderr(message)}\n`);
    if (debug && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    else io.stderr.write('Run again with --debug for details, and please report it.\n');
    return { code: 2, done: false };
  }
}

/**
 * Process entry point used by bin/pse-doctor.js. `--version`, or a plain `analyze` or `explain`, whose
 * output has all left the process exits at once: Node would otherwise run the tasks V8 queued meanwhile
 * (often a young-generation collection) and take the heap down piece by piece, a few milliseconds of a
 * short call's wall time. Any other command, or output a stream still holds (a pipe Node writes
 * asynchronously), ends the usual way.
 */
export async function main(): Promise<void> {
  const io = processIo();
  const { code, done } = await runCommand(process.argv.slice(2), io);
  if (done && io.stdout.settled && io.stderr.settled) process.exit(code);
  process.exitCode = code;
}
