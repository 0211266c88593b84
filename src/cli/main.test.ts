/** @module CLI basics: help, version, unknown commands map to the documented exit codes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fakeIo, runCli } from '../../test/helpers/fake-io.js';
import { TOOL_VERSION } from '../version.js';
import type { RegisterCommand } from './commands/types.js';
import { plainAnalyzeArgs, plainExplainArgs } from './main.js';

test('--version prints the tool version and exits 0, as commander prints it', async () => {
  const r = await runCli(['--version']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, `${TOOL_VERSION}\n`);
  // Alone it skips commander; with another root option commander parses it: the same output.
  assert.deepEqual(await runCli(['-V']), r);
  assert.deepEqual(await runCli(['--debug', '--version']), r);
});

test('--help lists the exit codes', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Exit codes:/);
  assert.match(r.stdout, /2 {2}usage or input error/);
});

test('an unknown command is a usage error (exit 2)', async () => {
  const r = await runCli(['frobnicate']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: /);
});

/** The positional arguments and the options commander hands the action of command `name` for `argv`. */
async function actionArgs(
  register: RegisterCommand,
  name: string,
  argv: string[],
): Promise<[unknown, unknown]> {
  const { Command } = await import('commander');
  const program = new Command().exitOverride();
  register(program, fakeIo(), () => {});
  let got: [unknown, unknown] | undefined;
  const cmd = program.commands.find((c) => c.name() === name);
  assert.ok(cmd);
  cmd.exitOverride().action((args: unknown, opts: unknown) => {
    got = [args, opts];
  });
  program.parse(argv, { from: 'user' });
  assert.ok(got, argv.join(' '));
  return got;
}

test('plain analyze arguments: the inputs and options commander would hand the action, without commander', async () => {
  const { registerAnalyze } = await import('./commands/analyze.js');
  const viaCommander = async (argv: string[]) => {
    const [inputs, opts] = await actionArgs(registerAnalyze, 'analyze', argv);
    return { inputs, opts };
  };
  const plain = [
    ['analyze', '-'],
    ['analyze', 'examples/dev_icm'],
    ['analyze', '--json', '-'],
    ['analyze', '-', '--json'],
    ['analyze', 'a', '--json', 'b', '-', '--json'],
    ['analyze', 'dev_icm', 'help', 'analyze', 'x=y', '--json'],
  ];
  for (const argv of plain) {
    const fast = plainAnalyzeArgs(argv);
    assert.ok(fast, `${argv.join(' ')} is plain`);
    assert.deepEqual(fast, await viaCommander(argv), argv.join(' '));
  }
  // Anything else goes through commander: other options, no input, an empty argument, other commands.
  for (const argv of [
    ['analyze'],
    ['analyze', '--json'],
    ['analyze', '-', '--no-color'],
    ['analyze', '-', '--format', 'json'],
    ['analyze', '--fail-on', 'never', '-'],
    ['analyze', '-q', '-'],
    ['analyze', '--', '-x'],
    ['analyze', '-', '--help'],
    ['analyze', ''],
    ['analyze', '-5'],
    ['--debug', 'analyze', '-'],
    ['explain', 'WSS040'],
    [],
  ])
    assert.equal(plainAnalyzeArgs(argv), undefined, argv.join(' '));
});

test('plain analyze: same output and exit code as through commander (a usage error still through it)', async () => {
  const line = 'SSL handshake with host.example.com:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)\n';
  const now = new Date('2026-01-01T00:00:00Z');
  // --fail-on error is the default: the same call, once plain and once parsed by commander.
  const fast = await runCli(['analyze', '--json', '-'], { stdin: line, now });
  const slow = await runCli(['analyze', '--json', '--fail-on', 'error', '-'], { stdin: line, now });
  assert.equal(fast.code, 1);
  assert.deepEqual(fast, slow);
  const missing = await runCli(['analyze', 'no-such-file.txt']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^pse-doctor: /);
  const usage = await runCli(['analyze']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /missing required argument/);
});

test('plain explain arguments: the words and options commander would hand the action, without commander', async () => {
  const { registerExplain } = await import('./commands/explain.js');
  const viaCommander = async (argv: string[]) => {
    const [words, opts] = await actionArgs(registerExplain, 'explain', argv);
    return { words, opts };
  };
  const plain = [
    ['explain', 'WSS040'],
    ['explain', 'WSS', '040'],
    ['explain', '-'],
    ['explain', 'peer', 'not', 'trusted'],
    ['explain', 'help'],
    ['explain', 'icm/HTTPS/client_sni_enabled'],
    ['explain', 'x=y', '(-102)'],
  ];
  for (const argv of plain) {
    const fast = plainExplainArgs(argv);
    assert.ok(fast, `${argv.join(' ')} is plain`);
    assert.deepEqual(fast, await viaCommander(argv), argv.join(' '));
  }
  // Anything else goes through commander: options, a word starting with "-", an empty word, no word.
  for (const argv of [
    ['explain'],
    ['explain', '--list'],
    ['explain', 'WSS040', '--json'],
    ['explain', '--icm', '407'],
    ['explain', '-102'],
    ['explain', '--', 'WSS040'],
    ['explain', ''],
    ['explain', 'WSS040', '--help'],
    ['--debug', 'explain', 'WSS040'],
    ['analyze', 'WSS040'],
    [],
  ])
    assert.equal(plainExplainArgs(argv), undefined, argv.join(' '));
});

test('plain explain: same output and exit code as through commander', async () => {
  // `--debug` before the command sends the same call through commander.
  for (const words of [['WSS040'], ['peer', 'not', 'trusted'], ['no-such-code-xyz'], ['407']]) {
    const fast = await runCli(['explain', ...words]);
    const slow = await runCli(['--debug', 'explain', ...words]);
    assert.deepEqual(fast, slow, words.join(' '));
  }
  const found = await runCli(['explain', 'WSS040']);
  assert.equal(found.code, 0);
  assert.match(found.stdout, /WSS040/);
  const missing = await runCli(['explain', 'no-such-code-xyz']);
  assert.equal(missing.code, 1);
  const long = await runCli(['explain', 'x'.repeat(20_001)]);
  assert.equal(long.code, 2);
  assert.match(long.stderr, /^pse-doctor: The query is longer than/);
});
