/**
 * @module Lazy CLI commands: a `RegisterCommand` whose module is imported only when that command runs,
 * so `pse-doctor explain X` does not pay for the imports of analyze, probe or serve.
 *
 * The stub registered up front carries only the name, argument term and description (for the root
 * `--help` listing). When invoked, it imports the real module, registers it on a fresh program that is
 * configured like the root (output, exitOverride, `--debug`), and re-parses the raw arguments there, so
 * the command's own options, help text, errors and exit codes are exactly those of the real module.
 */
import { Command } from 'commander';
import { type CliIo, redactForStderr } from '../io.js';
import type { RegisterCommand } from './types.js';

/** What the root help shows for a lazily loaded command, and how to load it. */
export interface LazyCommandSpec {
  /** Command name as typed (`analyze`). */
  name: string;
  /** Argument term shown in the root help (`<inputs...>`, `[query...]`); omit when it takes none. */
  args?: string;
  /** One-line description shown in the root help. Keep it equal to the real command's description. */
  description: string;
  /** Imports the command module and returns its RegisterCommand. */
  load: () => Promise<RegisterCommand>;
}

function configureLike(cmd: Command, io: CliIo): void {
  cmd.exitOverride();
  cmd.configureOutput({
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => io.stderr.write(redactForStderr(s)),
  });
}

/** A RegisterCommand that defers importing the command module until the command is used. */
export function lazyCommand(spec: LazyCommandSpec): RegisterCommand {
  return (program, io, setExit) => {
    const stub = program
      .command(spec.name)
      .description(spec.description)
      // Everything after the name goes to the real command, including --help and negative numbers.
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments();
    if (spec.args) stub.argument(spec.args);
    // `pse-doctor help <name>` calls help() on the stub and, when that returns, falls back to
    // dispatching `<name> --help` — which reaches the real command through the action below.
    stub.help = (() => undefined) as unknown as Command['help'];
    stub.action(async () => {
      const register = await spec.load();
      const inner = new Command(program.name());
      inner.option('--debug', 'print stack traces of internal errors');
      inner.showHelpAfterError('(run with --help for usage)');
      configureLike(inner, io);
      register(inner, io, setExit);
      for (const cmd of inner.commands) configureLike(cmd, io);
      await inner.parseAsync([spec.name, ...stub.args], { from: 'user' });
    });
  };
}
