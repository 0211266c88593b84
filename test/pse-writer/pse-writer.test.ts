/**
 * @module The test writer reproduces sapgenpse's files byte for byte from their content, and what it
 * writes for the fixtures' content opens with the same reader code as the real files.
 */
import assert from 'node:assert/strict';
import { createDecipheriv, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { openPse } from '../../src/readers/pse/open-pse.js';
import { fixturePath, fixturesOrSkip } from '../helpers/fixtures.js';
import {
  children,
  contentBytes,
  encodeContent,
  type PseObjectSpec,
  pkcs12Derive,
  splitRoot,
  wrapContent,
  writePse,
} from './index.js';

const PIN = '1234567980';
const FILES = {
  v2: 'pse_v2_lps_off_pbes1_3des_sha1.pse',
  v2plain: 'pse_v2_lps_off_pbes1_3des_sha1_plain.pse',
  v4: 'pse_v4_lps_off_pbes1_3des_sha1.pse',
  v4plain: 'pse_v4_lps_off_pbes1_3des_sha1_plain.pse',
} as const;

const read = (name: string) => readFileSync(fixturePath('pse', name));
const expectedSha = () =>
  createHash('sha256').update(read('pse_v2_lps_off_pbes1_3des_sha1_cert.der')).digest('hex');

/** Salt and iteration count from `SEQUENCE { OID, SEQUENCE { OCTET STRING salt, INTEGER n } }`. */
function pbeOf(algId: Buffer) {
  const [, params] = children(algId) as [Buffer, Buffer];
  const [salt, iter] = children(params) as [Buffer, Buffer];
  return { salt: contentBytes(salt), iterations: Number.parseInt(contentBytes(iter).toString('hex'), 16) };
}

function decrypt(pbe: { salt: Buffer; iterations: number }, body: Buffer): Buffer {
  const d = createDecipheriv(
    'des-ede3-cbc',
    pkcs12Derive(PIN, pbe.salt, pbe.iterations, 1, 24),
    pkcs12Derive(PIN, pbe.salt, pbe.iterations, 2, 8),
  );
  return Buffer.concat([d.update(body), d.final()]);
}

/** The container's content: plaintext plus the PBE parameters, whichever layout. */
function contentOf(file: Buffer): { content: Buffer; pbe: { salt: Buffer; iterations: number } } {
  const [, inner] = children(file) as [Buffer, Buffer];
  if (inner[0] === 0x30) return { content: inner, pbe: pbeOf(children(inner)[0] as Buffer) };
  const parts = children(inner);
  if (inner[0] === 0xa0) {
    const pbe = pbeOf(parts[1] as Buffer);
    return { content: decrypt(pbe, contentBytes(parts[2] as Buffer)), pbe };
  }
  const pbe = pbeOf(parts[1] as Buffer);
  const flag = contentBytes(parts[0] as Buffer)[0];
  const body = contentBytes(parts[2] as Buffer);
  return { content: flag === 1 ? decrypt(pbe, body) : body, pbe };
}

/** The fixture content's objects as writer specs (values verbatim). */
function objectsOf(content: Buffer): { objects: PseObjectSpec[]; createdAt: Date } {
  const [, time, , objSet] = children(content) as [Buffer, Buffer, Buffer, Buffer];
  const parseTime = (t: Buffer) => {
    const s = contentBytes(t).toString('latin1');
    return new Date(
      `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(8, 10)}:${s.slice(10, 12)}:${s.slice(12, 14)}Z`,
    );
  };
  const objects = children(objSet).map((obj) => {
    const [name, t, oidNode, value] = children(obj) as [Buffer, Buffer, Buffer, Buffer];
    const arcs = contentBytes(oidNode);
    const dotted = [Math.floor((arcs[0] as number) / 40), (arcs[0] as number) % 40];
    let acc = 0;
    for (const b of arcs.subarray(1)) {
      acc = acc * 128 + (b & 0x7f);
      if (!(b & 0x80)) {
        dotted.push(acc);
        acc = 0;
      }
    }
    return { name: contentBytes(name).toString('latin1'), oid: dotted.join('.'), time: parseTime(t), value };
  });
  return { objects, createdAt: parseTime(time) };
}

describe('PSE writer against the real sapgenpse files', fixturesOrSkip(), () => {
  for (const [label, file] of Object.entries(FILES)) {
    test(`${label}: re-wrapping the file's own content gives the identical bytes`, () => {
      const original = read(file);
      const { content, pbe } = contentOf(original);
      const version = label.startsWith('v2') ? 2 : 4;
      const pin = label.endsWith('plain') ? undefined : PIN;
      const again = wrapContent({ version, content, pbe, ...(pin ? { pin } : {}) });
      assert.equal(again.toString('hex'), original.toString('hex'));
    });

    test(`${label}: re-encoding the content's objects gives the identical content`, () => {
      const { content, pbe } = contentOf(read(file));
      const { objects, createdAt } = objectsOf(content);
      assert.deepEqual(
        objects.map((o) => o.name),
        ['SKnew', 'PKRoot', 'Cert', 'CertList'],
      );
      const again = encodeContent({ pbe, createdAt, objects });
      assert.equal(again.toString('hex'), content.toString('hex'));
    });
  }

  test('the split PKRoot form the writer makes equals the real PKRoot object', () => {
    const { objects } = objectsOf(contentOf(read(FILES.v2plain)).content);
    const root = objects.find((o) => o.name === 'PKRoot');
    const cert = read('pse_v2_lps_off_pbes1_3des_sha1_cert.der');
    assert.equal(splitRoot(cert).toString('hex'), Buffer.from(root?.value ?? []).toString('hex'));
  });

  test("the fixture's objects written as v2/v4, plain and with a new PIN, open with the reader", () => {
    const { content } = contentOf(read(FILES.v4));
    const { objects } = objectsOf(content);
    for (const version of [2, 4] as const) {
      for (const pin of [undefined, 'another PIN 42']) {
        const bytes = writePse({ version, objects, iterations: 1000, ...(pin ? { pin } : {}) });
        const pse = openPse(bytes, { name: 'rewritten.pse', pin });
        assert.equal(pse.version, version);
        assert.equal(pse.protection, pin ? 'pin' : 'none');
        assert.equal(pse.own?.info.sha256, expectedSha());
        assert.deepEqual(
          pse.trusted.map((c) => c.info.sha256),
          [expectedSha()],
        );
        assert.equal(pse.hasPrivateKey, true);
        assert.deepEqual(pse.warnings, []);
      }
    }
  });
});
