/** @module The one secret provider: file, variable, prompt without echo, one answer per run; never printed. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, test } from 'node:test';
import { fakeIo, runCli } from '../../test/helpers/fake-io.js';
import { fixturePath, fixturesOrSkip } from '../../test/helpers/fixtures.js';
import { isToolError } from '../model/errors.js';
import { createSecretProvider } from './secret-provider.js';

const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-secrets-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const PIN = '1234567980';

describe('createSecretProvider', () => {
  test('a file wins over the variable; one trailing line break is dropped', async () => {
    writeFileSync(join(dir, 'pin.txt'), 'from-file\n');
    writeFileSync(join(dir, 'pw.txt'), 'pass word\r\n');
    const io = fakeIo({ cwd: dir, env: { PSE_DOCTOR_PIN: 'from-env', PSE_DOCTOR_PASSWORD: 'env-pw' } });
    const secrets = createSecretProvider(io, { pinFile: 'pin.txt', passwordFile: 'pw.txt' });
    assert.equal(await secrets.get('pin', 'A.pse'), 'from-file');
    assert.equal(await secrets.get('password', 'a.p12'), 'pass word');
  });

  test('the variable when no file; an empty variable counts as unset; nothing at all is undefined', async () => {
    const io = fakeIo({ env: { PSE_DOCTOR_PIN: 'env-pin', PSE_DOCTOR_PASSWORD: '' } });
    const secrets = createSecretProvider(io);
    assert.equal(await secrets.get('pin', 'A.pse'), 'env-pin');
    assert.equal(await secrets.get('password', 'a.p12'), undefined);
  });

  test('a missing file is a ToolError naming it', async () => {
    const secrets = createSecretProvider(fakeIo({ cwd: dir }), { passwordFile: 'nope.txt' });
    await assert.rejects(
      secrets.get('password', 'a.p12'),
      (err) => isToolError(err) && err.code === 'file-not-found',
    );
  });

  test('on a terminal: one prompt per kind, echo off, the answer reused, the secret never written', async () => {
    const stdin = new PassThrough() as PassThrough & { setRawMode(mode: boolean): void; raw: boolean[] };
    stdin.raw = [];
    stdin.setRawMode = (mode) => {
      stdin.raw.push(mode);
    };
    const io = { ...fakeIo(), stdin, stdinIsTTY: true };
    const secrets = createSecretProvider(io);
    const first = secrets.get('pin', 'SAPSSLC.pse');
    stdin.write(`${PIN}x\u007f\r`);
    assert.equal(await first, PIN);
    assert.equal(await secrets.get('pin', 'SAPSSLA.pse'), PIN, 'asked once per run');
    const pw = secrets.get('password', 'client.p12');
    stdin.write('secret-pw\n');
    assert.equal(await pw, 'secret-pw');
    assert.deepEqual(stdin.raw, [true, false, true, false], 'echo off while typing, restored after');
    const shown = io.err.join('');
    assert.match(shown, /PIN for SAPSSLC\.pse \(not shown\)/);
    assert.match(shown, /Password for client\.p12 \(not shown\)/);
    assert.ok(!shown.includes(PIN) && !shown.includes('secret-pw'));
  });
});

describe('every command takes the PIN the same way and never prints it', fixturesOrSkip(), () => {
  const pse = () => fixturePath('pse', 'pse_v2_lps_off_pbes1_3des_sha1.pse');
  const runs: [string, (pinArgs: string[]) => string[]][] = [
    ['pse', (a) => ['pse', pse(), ...a]],
    ['analyze', (a) => ['analyze', pse(), ...a]],
    [
      'verify --trust',
      (a) => [
        'verify',
        fixturePath('pse', 'pse_v2_lps_off_pbes1_3des_sha1_cert.der'),
        '--trust',
        pse(),
        ...a,
      ],
    ],
  ];
  for (const [name, argv] of runs) {
    test(`${name}: PIN from the file and from the variable; a wrong PIN is the wrong-pin error`, async () => {
      writeFileSync(join(dir, 'pin.txt'), `${PIN}\n`);
      for (const [args, env] of [
        [['--pin-file', join(dir, 'pin.txt')], {}],
        [[], { PSE_DOCTOR_PIN: PIN }],
      ] as const) {
        for (const format of [[], ['--json']]) {
          const r = await runCli([...argv([...args]), ...format], { env });
          assert.notEqual(r.code, 2, `${name} ${args.join(' ')}: ${r.stderr}`);
          assert.ok(!r.stdout.includes(PIN) && !r.stderr.includes(PIN), `${name} never prints the PIN`);
        }
      }
      const wrong = await runCli(argv([]), { env: { PSE_DOCTOR_PIN: '0000000000' } });
      assert.equal(wrong.code, 2);
      assert.match(wrong.stderr, /PIN .*(does not open|wrong)|wrong PIN/i);
      assert.ok(!wrong.stderr.includes('0000000000'), 'the wrong PIN is not echoed either');
    });
  }
});
