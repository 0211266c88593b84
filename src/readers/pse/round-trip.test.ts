/** @module Round trip: every PSE the test writer makes (v2/v4 × plain/PIN × trust lists) reads back exactly. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generateChain, generateSelfSigned, TEST_NOW } from '../../../test/pki/index.js';
import { writePse } from '../../../test/pse-writer/index.js';
import { openPse, pseProblemOf } from './open-pse.js';

const PIN = 'S3cret-PIN!';

describe('PSE writer → reader round trip', async () => {
  const ec = await generateChain({ keyType: 'ec' });
  const rsa = await generateChain({ keyType: 'rsa' });
  const other = await generateChain({
    keyType: 'ec',
    names: { root: 'Other Test Root CA' },
    keySet: 'other',
  });
  const lonely = await generateSelfSigned({ keyType: 'ec', name: 'CN=lonely.example.test' });

  const trustLists: { label: string; list: Buffer[]; listName?: 'CertList' | 'PKList' | 'CSet' }[] = [
    { label: 'empty CertList', list: [] },
    { label: 'the own root in PKList', list: [ec.root.der], listName: 'PKList' },
    {
      label: 'three CAs in CSet',
      list: [other.root.der, ec.intermediate.der, rsa.root.der],
      listName: 'CSet',
    },
    {
      label: 'four certificates incl. a self-signed leaf',
      list: [rsa.root.der, other.root.der, ec.root.der, lonely.der],
    },
  ];

  for (const version of [2, 4] as const) {
    for (const pin of [undefined, PIN]) {
      for (const { label, list, listName } of trustLists) {
        test(`v${version} ${pin ? 'PIN' : 'plain'}, ${label}`, () => {
          const bytes = writePse({
            version,
            iterations: 64,
            createdAt: TEST_NOW,
            own: ec.leaf.der,
            keyPem: ec.leaf.keyPem,
            chain: [ec.intermediate.der],
            root: ec.root.der,
            trusted: list,
            ...(listName ? { listName } : {}),
            ...(pin ? { pin } : {}),
          });
          const pse = openPse(bytes, { name: 'round-trip.pse', pin });
          assert.equal(pse.version, version);
          assert.equal(pse.protection, pin ? 'pin' : 'none');
          assert.equal(pse.createdAt, TEST_NOW.toISOString());
          assert.deepEqual(pse.own?.der, ec.leaf.der);
          assert.equal(pse.own?.info.subject, ec.leaf.subject);
          assert.deepEqual(
            pse.ownChain.map((c) => c.info.sha256),
            [ec.intermediate.sha256, ec.root.sha256],
          );
          // The list in file order, then the PKRoot when the list lacks it.
          const expected = [...list.map((d) => d.toString('hex'))];
          if (!expected.includes(ec.root.der.toString('hex'))) expected.push(ec.root.der.toString('hex'));
          assert.deepEqual(
            pse.trusted.map((c) => c.der.toString('hex')),
            expected,
          );
          assert.equal(pse.hasPrivateKey, true);
          assert.deepEqual(pse.warnings, []);
          assert.deepEqual(pse.duplicateEntries, []);
          if (pin) {
            const wrong = (() => {
              try {
                openPse(bytes, { name: 'round-trip.pse', pin: `${PIN}x` });
              } catch (err) {
                return pseProblemOf(err)?.problem;
              }
            })();
            assert.equal(wrong, 'wrong-pin');
          }
        });
      }
    }
  }

  test('an RSA PSE with the default 10 000 iterations and its SECUDE-style key object', () => {
    const bytes = writePse({
      version: 4,
      pin: PIN,
      own: rsa.leaf.der,
      keyPem: rsa.leaf.keyPem,
      root: rsa.root.der,
      trusted: [rsa.root.der, rsa.intermediate.der],
    });
    const pse = openPse(bytes, { name: 'rsa.pse', pin: PIN });
    assert.equal(pse.own?.info.key?.algorithm, 'RSA');
    assert.equal(pse.encryption?.iterations, 10_000);
    assert.deepEqual(
      pse.trusted.map((c) => c.info.sha256),
      [rsa.root.sha256, rsa.intermediate.sha256],
    );
  });

  test('a list that repeats a certificate reports the duplicate entry', () => {
    const bytes = writePse({
      version: 2,
      own: ec.leaf.der,
      trusted: [ec.root.der, other.root.der, ec.root.der],
    });
    const pse = openPse(bytes, { name: 'dup.pse' });
    assert.equal(pse.trusted.length, 2);
    assert.deepEqual(pse.duplicateEntries, [{ sha256: ec.root.sha256, subject: ec.root.subject, count: 2 }]);
  });

  test('a PSE without own certificate or key (a pure trust list) reads', () => {
    const pse = openPse(writePse({ version: 4, trusted: [other.root.der] }), { name: 'list.pse' });
    assert.equal(pse.own, undefined);
    assert.equal(pse.hasPrivateKey, false);
    assert.deepEqual(
      pse.trusted.map((c) => c.info.sha256),
      [other.root.sha256],
    );
  });
});
