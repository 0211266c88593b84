/**
 * @module The PSE DER layer: OIDs and times read directly give what asn1js gives for the same bytes (in
 * every form, the odd ones included, which go to asn1js), and `firstChildOf` checks and counts a value's
 * children exactly as `childrenOf` does.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prng } from '../../../test/helpers/prng.js';
import { tlv as writerTlv } from '../../../test/pse-writer/index.js';
import { asn1js } from '../../pki/x509.js';
import {
  certificateShaped,
  childrenOf,
  encodeDer,
  firstChildOf,
  isContext,
  isUniversal,
  PSE_DER_LIMITS,
  PseFormatError,
  parseDer,
  readOid,
  readTime,
  TAGS,
} from './asn1.js';

/** One DER element: identifier, short or long length, value. */
function tlv(id: number, value: Uint8Array, longLength = false): Buffer {
  const len = value.length;
  const header = longLength || len >= 0x80 ? [id, 0x81, len] : [id, len];
  return Buffer.concat([Buffer.from(header), value]);
}

/** What the former decoders (asn1js alone) gave for these bytes. */
function oidByAsn1js(raw: Uint8Array): string | undefined {
  const lib = asn1js();
  const parsed = lib.fromBER(raw, { maxDepth: 1, maxNodes: 1, parseEmbedded: false });
  if (parsed.offset === -1 || !(parsed.result instanceof lib.ObjectIdentifier)) return undefined;
  const text = parsed.result.valueBlock.toString();
  return /^\d+(\.\d+)+$/.test(text) ? text : undefined;
}

function timeByAsn1js(raw: Uint8Array): string | undefined {
  try {
    const lib = asn1js();
    const parsed = lib.fromBER(raw, { maxDepth: 1, maxNodes: 1, parseEmbedded: false });
    if (parsed.offset === -1 || !(parsed.result instanceof lib.UTCTime)) return undefined;
    const date = parsed.result.toDate();
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  } catch {
    return undefined;
  }
}

/** Base-128 encoding of one sub-identifier. */
function subId(n: number): number[] {
  const out = [n & 0x7f];
  for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) out.unshift((v & 0x7f) | 0x80);
  return out;
}

test('OIDs read directly are the text asn1js gives, for plain and odd encodings alike', () => {
  const r = prng(7);
  const contents: number[][] = [
    [0x2b, 0x24, 0x02, 0x03, 0x04], // 1.3.36.2.3.4 (SKnew)
    [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x03], // a PBE OID
    [0x00],
    [0x27],
    [0x28],
    [0x4f],
    [0x50],
    [0x88, 0x37, 0x03], // 2.999.3
    [0x80, 0x01], // non-minimal first sub-identifier
    [0x2b, 0x80, 0x06], // non-minimal later sub-identifier
    [0x2b, 0x86], // cut inside a sub-identifier
    [0x2b, 0x8f, 0xff, 0xff, 0xff, 0x7f], // a five-byte sub-identifier
    [0x2b, 0x8f, 0xff, 0xff, 0x7f], // the largest four-byte one
  ];
  for (let i = 0; i < 300; i++) {
    const ids: number[] = [];
    const n = 1 + Math.floor(r() * 8);
    for (let k = 0; k < n; k++) {
      const size = r();
      ids.push(...subId(Math.floor(size < 0.6 ? r() * 128 : size < 0.9 ? r() * 2 ** 21 : r() * 2 ** 28)));
    }
    contents.push(ids);
  }
  for (let i = 0; i < 100; i++)
    contents.push(Array.from({ length: 1 + Math.floor(r() * 10) }, () => Math.floor(r() * 256)));
  let plain = 0;
  for (const content of contents) {
    for (const long of [false, true]) {
      const raw = tlv(0x06, Buffer.from(content), long);
      const { node } = parseDer(raw, 'test');
      const expected = oidByAsn1js(raw);
      assert.equal(readOid(node), expected, `OID ${raw.toString('hex')}`);
      if (expected !== undefined) plain++;
    }
  }
  assert.ok(plain > 500, `${plain} OIDs decoded`);
});

test('times read directly are the instant asn1js gives, valid or not, in every form', () => {
  const texts: string[] = [
    '260115120000Z',
    '491231235959Z',
    '500101000000Z',
    '991231235959Z',
    '20260115120000Z',
    '99991231235959Z',
    '00500101000000Z', // a year below 100 (Date.UTC reads it as 19xx, as asn1js did)
    '00000101000000Z',
    '20261301000000Z', // month 13
    '20260000000000Z', // month 0, day 0
    '20260231246060Z', // day and clock past their ends
    '260115120000',
    '2026011512Z',
    '202601151200Z',
    '20260115120000.5Z',
    '20260115120000+0100',
    '260115120000+0100',
    '2601151200Z',
    '26011512000AZ',
    '2026011512000AZ',
    '20260115120000z',
    '',
  ];
  const r = prng(11);
  for (let i = 0; i < 200; i++) {
    const d = (n: number) => String(Math.floor(r() * n)).padStart(2, '0');
    texts.push(`${d(100)}${d(14)}${d(33)}${d(25)}${d(61)}${d(61)}Z`);
    texts.push(`${d(100)}${d(100)}${d(14)}${d(33)}${d(25)}${d(61)}${d(61)}Z`);
  }
  let valid = 0;
  for (const text of texts) {
    for (const tag of [0x17, 0x18]) {
      for (const long of [false, true]) {
        const raw = tlv(tag, Buffer.from(text, 'latin1'), long);
        const { node } = parseDer(raw, 'test');
        const expected = timeByAsn1js(raw);
        assert.equal(readTime(node), expected, `time ${tag} "${text}"`);
        if (expected !== undefined) valid++;
      }
    }
  }
  assert.ok(valid > 400, `${valid} valid times`);
});

test('firstChildOf checks every child and counts each once, as childrenOf does', () => {
  const inner = Buffer.concat([
    tlv(0x02, Buffer.from([1])),
    tlv(0x04, Buffer.from('ab')),
    tlv(0x05, Buffer.alloc(0)),
  ]);
  const outer = tlv(0x30, inner);
  const a = parseDer(outer, 'test').node;
  const first = firstChildOf(a);
  assert.equal(first?.tag, 2);
  assert.equal(a.budget.nodes, 4);
  const kids = childrenOf(a);
  assert.deepEqual(
    kids.map((k) => k.tag),
    [2, 4, 5],
  );
  assert.equal(a.budget.nodes, 4, 'children framed after firstChildOf are not counted again');
  assert.deepEqual(Buffer.from(kids[1]?.content ?? []), Buffer.from('ab'));

  // A damaged later child: the same error from both.
  const damaged = tlv(0x30, Buffer.concat([tlv(0x02, Buffer.from([1])), Buffer.from([0x04, 0x05, 0x61])]));
  const errorOf = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      assert.ok(err instanceof PseFormatError);
      return err.message;
    }
    return 'no error';
  };
  const viaFirst = errorOf(() => firstChildOf(parseDer(damaged, 'test').node));
  const viaAll = errorOf(() => childrenOf(parseDer(damaged, 'test').node));
  assert.match(viaFirst, /claims 5 bytes, only 1 exist/);
  assert.equal(viaFirst, viaAll);
  assert.equal(firstChildOf(parseDer(tlv(0x30, Buffer.alloc(0)), 'test').node), undefined);
  assert.equal(firstChildOf(parseDer(tlv(0x04, Buffer.from('x')), 'test').node), undefined);
  assert.ok(PSE_DER_LIMITS.maxNodes > 4);
});

test('certificateShaped answers, counts and fails as the node-by-node test does', async () => {
  const { generateChain } = await import('../../../test/pki/index.js');
  const chain = await generateChain({ keyType: 'ec' });
  const der = Buffer.from(chain.leaf.der);
  /** The former test, on nodes. */
  const byNodes = (node: ReturnType<typeof parseDer>['node']) => {
    if (!isUniversal(node, TAGS.SEQUENCE)) return false;
    const parts = childrenOf(node);
    if (parts.length !== 3) return false;
    const [tbs, alg, sig] = parts;
    if (
      !isUniversal(tbs, TAGS.SEQUENCE) ||
      !isUniversal(alg, TAGS.SEQUENCE) ||
      !isUniversal(sig, TAGS.BIT_STRING)
    )
      return false;
    const first = firstChildOf(tbs);
    return isContext(first, 0) || isUniversal(first, TAGS.INTEGER);
  };
  const outcome = (bytes: Buffer, test: (n: ReturnType<typeof parseDer>['node']) => boolean) => {
    let node: ReturnType<typeof parseDer>['node'];
    try {
      node = parseDer(bytes, 'test').node;
    } catch {
      return 'unframed';
    }
    try {
      const answer = test(node);
      // Framing everything afterwards counts only what was not counted yet.
      const all = (n: typeof node): void => {
        for (const k of childrenOf(n)) all(k);
      };
      all(node);
      return `${answer} ${node.budget.nodes}`;
    } catch (err) {
      return `error ${(err as Error).message} ${node.budget.nodes}`;
    }
  };
  const r = prng(3);
  let shaped = 0;
  let errors = 0;
  const cases = [
    der,
    tlv(
      0x30,
      Buffer.concat([tlv(0x30, Buffer.alloc(0)), tlv(0x30, Buffer.alloc(0)), tlv(0x03, Buffer.from([0]))]),
    ),
  ];
  // Each part of the shape wrong in turn (tags and classes), and right.
  const int1 = tlv(0x02, Buffer.from([1]));
  for (const tbsId of [0x30, 0x31, 0x10, 0x70]) {
    for (const firstId of [0x02, 0xa0, 0x82, 0x05, 0x30]) {
      for (const algId of [0x30, 0x31, 0x70]) {
        for (const sigId of [0x03, 0x04, 0x43]) {
          const tbs =
            tbsId & 0x20
              ? tlv(tbsId, Buffer.concat([tlv(firstId, Buffer.from([1])), int1]))
              : tlv(tbsId, Buffer.from([1]));
          cases.push(
            tlv(0x30, Buffer.concat([tbs, tlv(algId, Buffer.alloc(0)), tlv(sigId, Buffer.from([0]))])),
          );
        }
      }
    }
  }
  cases.push(tlv(0x30, Buffer.concat([tlv(0x30, int1), tlv(0x30, Buffer.alloc(0))])));
  cases.push(
    tlv(
      0x30,
      Buffer.concat([tlv(0x30, int1), tlv(0x30, Buffer.alloc(0)), tlv(0x03, Buffer.from([0])), int1]),
    ),
  );
  cases.push(
    tlv(0x31, Buffer.concat([tlv(0x30, int1), tlv(0x30, Buffer.alloc(0)), tlv(0x03, Buffer.from([0]))])),
  );
  for (let i = 0; i < 1500; i++) {
    const m = Buffer.from(der);
    // Flip bytes in the first 40 (headers of the certificate and its TBS) or anywhere.
    for (let k = 0; k < 1 + Math.floor(r() * 3); k++) {
      const at = r() < 0.7 ? Math.floor(r() * 40) : Math.floor(r() * m.length);
      m[at] = Math.floor(r() * 256);
    }
    cases.push(m);
  }
  for (const bytes of cases) {
    const expected = outcome(bytes, byNodes);
    assert.equal(outcome(bytes, certificateShaped), expected, bytes.subarray(0, 40).toString('hex'));
    if (expected.startsWith('true')) shaped++;
    if (expected.startsWith('error')) errors++;
  }
  assert.ok(shaped > 50 && errors > 50, `${shaped} shaped, ${errors} errors`);
});

test('encodeDer writes what an independent DER encoder writes, for every length form', () => {
  const r = prng(7);
  for (const length of [0, 1, 127, 128, 255, 256, 4095, 65535, 65536, 70000]) {
    const value = Buffer.from(Array.from({ length }, () => Math.floor(r() * 256)));
    // The value in one part, and cut into three parts (one of them empty).
    const cut = Math.floor(length / 3);
    const parts = [value.subarray(0, cut), Buffer.alloc(0), value.subarray(cut)];
    for (const id of [0x30, 0xa3]) {
      const expected = writerTlv(id, value);
      assert.deepEqual(encodeDer(id, value), expected, `${id}/${length}`);
      assert.deepEqual(encodeDer(id, ...parts), expected, `${id}/${length} in parts`);
    }
  }
  assert.deepEqual(encodeDer(0x30), Buffer.from([0x30, 0x00]));
});
