/** @module The pipeline reader: sniffing, trust-list events, PIN via the secret provider, problem events. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fixturePath, fixturesOrSkip } from '../../../test/helpers/fixtures.js';
import { generateChain, generateSelfSigned } from '../../../test/pki/index.js';
import { writePse } from '../../../test/pse-writer/index.js';
import type { PseProblemEvent, TrustListEvent } from '../../model/evidence.js';
import type { InputSource, SecretProvider } from '../types.js';
import { pseReader } from './reader.js';

function source(name: string, bytes: Buffer): InputSource {
  return {
    name,
    path: `/usr/sap/ABC/D00/sec/${name}`,
    size: bytes.length,
    async *stream() {
      yield Buffer.from(bytes);
    },
  };
}

function secrets(pin: string | undefined, asked: string[] = []): SecretProvider {
  return {
    async get(kind, name) {
      asked.push(`${kind}:${name}`);
      return pin;
    },
  };
}

describe('pseReader', async () => {
  const chain = await generateChain({ keyType: 'ec' });
  const anon = await generateSelfSigned({ keyType: 'ec', name: 'CN=anonymous' });

  test('sniffs PSE containers by content, cred_v2 and .pse by name, and nothing else', () => {
    const pse = writePse({ version: 2, trusted: [] });
    assert.equal(pseReader.sniff(pse.subarray(0, 64), 'whatever.bin'), 0.95);
    assert.equal(pseReader.sniff(writePse({ version: 4, trusted: [] }), 'x'), 0.95);
    assert.equal(pseReader.sniff(Buffer.from('abc'), 'cred_v2'), 0.9);
    assert.ok(pseReader.sniff(Buffer.from('garbage'), 'SAPSSLC.pse') > 0);
    assert.equal(pseReader.sniff(chain.leaf.der, 'leaf.der'), 0);
    assert.equal(pseReader.sniff(Buffer.from('[Thr 1] SSL handshake'), 'dev_icm'), 0);
  });

  test('a plain SAPSSLA.pse becomes a trust-list event for SSL client Anonymous, without asking for a PIN', async () => {
    const asked: string[] = [];
    const bytes = writePse({ version: 4, own: anon.der, keyPem: anon.keyPem, trusted: [chain.root.der] });
    const out = await pseReader.read(source('SAPSSLA.pse', bytes), {
      input: 3,
      secrets: secrets('x', asked),
    });
    assert.deepEqual(asked, []);
    assert.equal(out.summary.format, 'pse');
    assert.equal(out.summary.bytes, bytes.length);
    const [event] = out.events as TrustListEvent[];
    assert.equal(event?.kind, 'trust-list');
    assert.deepEqual(event?.source, { input: 3, line: 1 });
    assert.equal(event?.list.storeKind, 'sap-pse');
    assert.equal(event?.list.file, '/usr/sap/ABC/D00/sec/SAPSSLA.pse');
    assert.equal(event?.list.basename, 'SAPSSLA.pse');
    assert.equal(event?.list.node, 'SSL client Anonymous');
    assert.equal(event?.list.application, 'ANONYM');
    assert.equal(event?.list.own?.subject, 'CN=anonymous');
    assert.deepEqual(
      event?.list.certificates.map((c) => c.sha256),
      [chain.root.sha256],
    );
  });

  test('an unusually named PSE gets its node from the own DN, with a warning saying so', async () => {
    const bytes = writePse({ version: 2, own: anon.der, trusted: [] });
    const out = await pseReader.read(source('backup_client.pse', bytes), { input: 0 });
    const [event] = out.events as TrustListEvent[];
    assert.equal(event?.list.node, 'SSL client Anonymous');
    assert.ok(out.summary.warnings.some((w) => /derived from the own certificate's DN/.test(w)));
  });

  test('a PIN-protected PSE asks the secret provider once, by input name', async () => {
    const asked: string[] = [];
    const bytes = writePse({
      version: 2,
      pin: '4711',
      iterations: 16,
      own: chain.leaf.der,
      trusted: [chain.root.der],
    });
    const out = await pseReader.read(source('SAPSSLC.pse', bytes), {
      input: 0,
      secrets: secrets('4711', asked),
    });
    assert.deepEqual(asked, ['pin:SAPSSLC.pse']);
    const [event] = out.events as TrustListEvent[];
    assert.equal(event?.list.node, 'SSL client Standard');
    assert.equal(event?.list.own?.sha256, chain.leaf.sha256);
  });

  test('wrong or missing PINs become pse-problem events, not exceptions', async () => {
    const bytes = writePse({ version: 4, pin: '4711', iterations: 16, own: chain.leaf.der });
    const wrong = await pseReader.read(source('SAPSSLS.pse', bytes), { input: 1, secrets: secrets('1234') });
    const [w] = wrong.events as PseProblemEvent[];
    assert.equal(w?.kind, 'pse-problem');
    assert.equal(w?.problem, 'wrong-pin');
    assert.equal(w?.file, '/usr/sap/ABC/D00/sec/SAPSSLS.pse');
    assert.deepEqual(wrong.summary.warnings, [w?.message]);
    const none = await pseReader.read(source('SAPSSLS.pse', bytes), { input: 1 });
    assert.equal((none.events[0] as PseProblemEvent).problem, 'pin-required');
    const cred = await pseReader.read(source('cred_v2', Buffer.from([1, 2, 3])), { input: 2 });
    assert.equal((cred.events[0] as PseProblemEvent).problem, 'cred-v2');
  });

  test('the real encrypted PSEs open through the reader with PIN 1234567980', fixturesOrSkip(), async () => {
    for (const name of ['pse_v2_lps_off_pbes1_3des_sha1.pse', 'pse_v4_lps_off_pbes1_3des_sha1.pse']) {
      const bytes = readFileSync(fixturePath('pse', name));
      const out = await pseReader.read(source(name, bytes), { input: 0, secrets: secrets('1234567980') });
      const [event] = out.events as TrustListEvent[];
      assert.equal(event?.list.own?.subject, 'CN=PSEOwner');
      assert.equal(
        event?.list.own?.sha256,
        '6b93c726397178c65951dda26ae9aba1c1e90403c052e74ad99e5be60a678756',
      );
    }
  });
});
