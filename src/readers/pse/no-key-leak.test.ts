/**
 * @module No key material and no PIN in any output: `pse` (text, --json, folder) and `analyze` on PSEs
 * whose private keys are known (written by the test writer), plain and PIN-protected, v2 and v4.
 */

import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../../../test/helpers/fake-io.js';
import { generateChain, generateSelfSigned, type TestCert } from '../../../test/pki/index.js';
import { encodeSecretKey, writePse } from '../../../test/pse-writer/index.js';
import { colonFingerprint } from '../../report/sections/certificate-entry.js';

const PIN = 'Leak-Test-PIN-8237';

/** Every spelling of a key we would recognise in output: PEM lines, base64, hex, JWK parts, SKnew bytes. */
function keyForms(keyPem: string): string[] {
  const key = createPrivateKey(keyPem);
  const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
  const forms = new Set<string>();
  const add = (s: string | undefined) => {
    if (s && s.length >= 16) forms.add(s);
  };
  for (const line of keyPem.split('\n')) if (!line.startsWith('-----')) add(line.trim());
  add(pkcs8.toString('base64'));
  const hex = pkcs8.toString('hex');
  // Any 32-hex-digit window of the key DER, lower and upper case, and as SAP-style colon hex.
  for (let i = 0; i + 32 <= hex.length; i += 16) {
    const w = hex.slice(i, i + 32);
    add(w);
    add(w.toUpperCase());
    add((w.toUpperCase().match(/../g) ?? []).join(':'));
  }
  const jwk = key.export({ format: 'jwk' }) as Record<string, string | undefined>;
  for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi']) {
    const v = jwk[part];
    if (!v) continue;
    add(v);
    const bytes = Buffer.from(v, 'base64url');
    add(bytes.toString('base64'));
    add(bytes.toString('hex').slice(0, 32));
    add(
      BigInt(`0x${bytes.toString('hex')}`)
        .toString(10)
        .slice(0, 24),
    );
  }
  const sk = encodeSecretKey(keyPem);
  add(sk.toString('base64'));
  for (let i = 0; i + 32 <= sk.length * 2; i += 16) add(sk.toString('hex').slice(i, i + 32));
  return [...forms];
}

describe('no key material or PIN in any output', async () => {
  let dir: string;
  let certs: { rsa: TestCert; ec: TestCert; root: TestCert };
  before(async () => {
    const rsa = await generateChain({ keyType: 'rsa' });
    const ec = await generateSelfSigned({ keyType: 'ec', name: 'CN=leak.example.test' });
    certs = { rsa: rsa.leaf, ec, root: rsa.root };
    dir = mkdtempSync(join(tmpdir(), 'pse-leak-'));
    mkdirSync(join(dir, 'sec'));
    const common = { trusted: [rsa.root.der, rsa.intermediate.der], iterations: 100 };
    writeFileSync(
      join(dir, 'sec', 'SAPSSLS.pse'),
      writePse({ version: 4, own: rsa.leaf.der, keyPem: rsa.leaf.keyPem, root: rsa.root.der, ...common }),
    );
    writeFileSync(
      join(dir, 'sec', 'SAPSSLC.pse'),
      writePse({ version: 2, pin: PIN, own: rsa.leaf.der, keyPem: rsa.leaf.keyPem, ...common }),
    );
    writeFileSync(
      join(dir, 'sec', 'SAPSNCS.pse'),
      writePse({ version: 4, pin: PIN, own: ec.der, keyPem: ec.keyPem, ...common }),
    );
    writeFileSync(
      join(dir, 'sec', 'SAPSYS.pse'),
      writePse({ version: 2, own: ec.der, keyPem: ec.keyPem, ...common }),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('pse (one file, folder, text and --json) and analyze (text and --json)', async () => {
    const forms = [...keyForms(certs.rsa.keyPem), ...keyForms(certs.ec.keyPem)];
    assert.ok(forms.length > 100, 'enough key spellings to look for');
    // The spellings are real: the plain PSEs carry the key bytes in clear, so the file itself matches.
    const plainHex = readFileSync(join(dir, 'sec', 'SAPSYS.pse')).toString('hex');
    assert.ok(
      keyForms(certs.ec.keyPem).some((f) => plainHex.includes(f)),
      'the EC key is in the plain PSE',
    );
    const rsaHex = readFileSync(join(dir, 'sec', 'SAPSSLS.pse')).toString('hex');
    assert.ok(
      keyForms(certs.rsa.keyPem).some((f) => rsaHex.includes(f)),
      'the RSA primes are in the plain PSE',
    );
    const env = { PSE_DOCTOR_PIN: PIN };
    const runs = [
      ['pse', 'sec/SAPSSLC.pse'],
      ['pse', 'sec/SAPSNCS.pse', '--json'],
      ['pse', 'sec/SAPSYS.pse'],
      ['pse', 'sec'],
      ['pse', 'sec', '--json', '--export-trusted', 'out'],
      ['analyze', 'sec'],
      ['analyze', 'sec', '--json'],
      ['pse', 'sec/SAPSSLC.pse', '--debug'],
    ];
    let sawOwn = 0;
    for (const argv of runs) {
      const r = await runCli(argv, { cwd: dir, env });
      const all = `${r.stdout}\n${r.stderr}`;
      assert.ok(r.code === 0 || r.code === 1, `${argv.join(' ')} → ${r.code}: ${r.stderr}`);
      assert.ok(!all.includes(PIN), `${argv.join(' ')} printed the PIN`);
      assert.doesNotMatch(all, /PRIVATE KEY/, `${argv.join(' ')} printed a key block`);
      for (const form of forms)
        assert.ok(!all.includes(form), `${argv.join(' ')} printed key material (${form.slice(0, 12)}…)`);
      // The outputs are not empty: the own certificates (public) are there (JSON: hex; text: as SAP prints it).
      const shown = [certs.rsa.sha256, certs.ec.sha256].flatMap((h) => [h, colonFingerprint(h)]);
      if (shown.some((h) => all.includes(h))) sawOwn++;
    }
    assert.ok(sawOwn >= 6, `own certificates shown in ${sawOwn} runs`);
  });
});
