/**
 * @module The lazy command registry: each stub shows the real command's description and argument term,
 * the registry imports no command module statically, and arguments reach the real command unchanged.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Command } from 'commander';
import { fakeIo, runCli } from '../../../test/helpers/fake-io.js';
import { buildProgram } from '../program.js';
import { lazyCommand } from './lazy-command.js';
import type { RegisterCommand } from './types.js';

function argTerm(cmd: Command): string {
  return cmd.registeredArguments
    .map((a) => {
      const name = `${a.name()}${a.variadic ? '...' : ''}`;
      return a.required ? `<${name}>` : `[${name}]`;
    })
    .join(' ');
}

describe('lazy command registry', () => {
  test('index.ts imports no command module statically', () => {
    const source = readFileSync(new URL('./index.ts', import.meta.url), 'utf8');
    const staticImports = [...source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'(\.\/[^']+)'/gm)].map(
      (m) => m[1],
    );
    assert.deepEqual(staticImports, ['./lazy-command.js']);
  });

  test('every stub matches the real command: name, description and argument term', async () => {
    const io = fakeIo();
    const program = buildProgram(io, () => {});
    assert.ok(program.commands.length > 0);
    for (const stub of program.commands) {
      const mod = (await import(`./${stub.name()}.js`)) as Record<string, unknown>;
      const register = Object.entries(mod).find(
        ([k, v]) => k.startsWith('register') && typeof v === 'function',
      )?.[1] as RegisterCommand | undefined;
      assert.ok(register, `${stub.name()}.ts exports no register function`);
      const real = new Command();
      register(real, io, () => {});
      const cmd = real.commands.find((c) => c.name() === stub.name());
      assert.ok(cmd, `${stub.name()}.ts registers no command "${stub.name()}"`);
      assert.equal(stub.description(), cmd.description(), `${stub.name()}: description differs`);
      assert.equal(argTerm(stub), argTerm(cmd), `${stub.name()}: argument term differs`);
    }
  });

  test('arguments, options and --help reach the real command; its exit code comes back', async () => {
    const seen: string[][] = [];
    const fake: RegisterCommand = (program, _io, setExit) => {
      program
        .command('fake')
        .description('a fake command')
        .argument('[words...]')
        .option('--flag <v>')
        .action((words: string[], opts: { flag?: string }) => {
          seen.push([...words, `flag=${opts.flag ?? ''}`]);
          setExit(words.length ? 1 : 0);
        });
    };
    const io = fakeIo();
    let exit = -1;
    const program = new Command().exitOverride();
    lazyCommand({ name: 'fake', args: '[words...]', description: 'a fake command', load: async () => fake })(
      program,
      io,
      (c) => {
        exit = c;
      },
    );
    await program.parseAsync(['fake', 'a', '-102', '--flag', 'x', 'b'], { from: 'user' });
    assert.deepEqual(seen, [['a', '-102', 'b', 'flag=x']]);
    assert.equal(exit, 1);
    await assert.rejects(program.parseAsync(['fake', '--help'], { from: 'user' }), {
      code: 'commander.helpDisplayed',
    });
    assert.match(io.out.join(''), /Usage: .*fake \[options\] \[words\.\.\.\]/);
  });

  test('the root help lists the lazy commands; an unknown option of a command is still a usage error', async () => {
    const help = await runCli(['--help']);
    assert.match(help.stdout, /explain \[query\.\.\.\]/);
    const viaHelp = await runCli(['help', 'explain']);
    assert.equal(viaHelp.code, 0);
    assert.match(viaHelp.stdout, /Usage: pse-doctor explain \[options\] \[query\.\.\.\]/);
    assert.match(viaHelp.stdout, /--icm/);
    const bad = await runCli(['pse', '--no-such-option', 'x']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown option/);
  });
});
