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

/**
 * Hold a plain-argument reader (`plain`, main.ts) to commander: for each list of `plainArgv` it answers
 * what commander hands the action of command `name` (its positional arguments under `key`, and the
 * options); for each of `otherArgv` it answers undefined (commander parses those).
 */
async function checkPlainArgs(
  plain: (argv: string[]) => unknown,
  register: RegisterCommand,
  name: string,
  key: string,
  plainArgv: string[][],
  otherArgv: string[][],
): Promise<void> {
  const { Command } = await import('commander');
  for (const argv of plainArgv) {
    const program = new Command().exitOverride();
    register(program, fakeIo(), () => {});
    let got: unknown;
    const cmd = program.commands.find((c) => c.name() === name);
    assert.ok(cmd);
    cmd.exitOverride().action((args: unknown, opts: unknown) => {
      got = { [key]: args, opts };
    });
    program.parse(argv, { from: 'user' });
    const fast = plain(argv);
    assert.ok(fast, `${argv.join(' ')} is plain`);
    assert.deepEqual(fast, got, argv.join(' '));
  }
  for (const argv of otherArgv) assert.equal(plain(argv), undefined, argv.join(' '));
}

test('plain analyze arguments: the inputs and options commander would hand the action, without commander', async () => {
  const { registerAnalyze } = await import('./commands/analyze.js');
  const plain = [
    ['analyze', '-'],
    ['analyze', 'examples/dev_icm'],
    ['analyze', '--json', '-'],
    ['analyze', '-', '--json'],
    ['analyze', 'a', '--json', 'b', '-', '--json'],
    ['analyze', 'dev_icm', 'help', 'analyze', 'x=y', '--json'],
  ];
  // Anything else goes through commander: other options, no input, an empty argument, other commands.
  const others = [
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
  ];
  await checkPlainArgs(plainAnalyzeArgs, registerAnalyze, 'analyze', 'inputs', plain, others);
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
  const plain = [
    ['explain', 'WSS040'],
    ['explain', 'WSS', '040'],
    ['explain', '-'],
    ['explain', 'peer', 'not', 'trusted'],
    ['explain', 'help'],
    ['explain', 'icm/HTTPS/client_sni_enabled'],
    ['explain', 'x=y', '(-102)'],
  ];
  // Anything else goes through commander: options, a word starting with "-", an empty word, no word.
  const others = [
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
  ];
  await checkPlainArgs(plainExplainArgs, registerExplain, 'explain', 'words', plain, others);
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
