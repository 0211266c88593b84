/**
 * @module Dates a client tool prints beside its chain (s_client `v:` and `notAfter=` lines, Java debug
 * dumps) are read, so an expired member is proven without a PEM body; a chain whose dates hold now, or a
 * trust failure whose dump shows an expired certificate, keeps its ranking.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../analyze.js';
import type { MessageEvent } from '../../model/evidence.js';
import { printedDate } from './chain-lines.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const paste = (text: string) => analyze([{ name: 'p.txt', bytes: Buffer.from(text) }], { now: NOW });

test('the date spellings of OpenSSL and Java are read, zones included', () => {
  assert.equal(printedDate('Nov  1 00:00:00 2027 GMT'), '2027-11-01T00:00:00.000Z');
  assert.equal(printedDate('Mon Nov 01 00:00:00 UTC 2027'), '2027-11-01T00:00:00.000Z');
  assert.equal(printedDate('2025-03-04 00:59:59.000 CET'), '2025-03-03T23:59:59.000Z');
  assert.equal(printedDate('Sat Mar 15 23:59:59 CET 2025'), '2025-03-15T22:59:59.000Z');
  assert.equal(printedDate('not a date at all'), undefined);
});

test('s_client 1.1 with errors 20, 10 and 21 and a notAfter line: the expiry is proven and ranks first', async () => {
  const r = await paste(
    [
      'CONNECTED(00000003)',
      'depth=0 CN = gwprd.corp.example',
      'verify error:num=20:unable to get local issuer certificate',
      'verify return:1',
      'depth=0 CN = gwprd.corp.example',
      'verify error:num=10:certificate has expired',
      'notAfter=Apr 15 23:59:59 2025 GMT',
      'verify return:1',
      'depth=0 CN = gwprd.corp.example',
      'verify error:num=21:unable to verify the first certificate',
      'verify return:1',
      '---',
      'Certificate chain',
      ' 0 s:CN = gwprd.corp.example',
      '   i:CN = Example Corp Issuing CA 02',
      '---',
      'Verify return code: 10 (certificate has expired)',
    ].join('\n'),
  );
  const ev = r.events.find((e): e is MessageEvent => e.kind === 'message' && e.chain !== undefined);
  assert.equal(ev?.chain?.[0]?.notAfter, '2025-04-15T23:59:59.000Z');
  assert.equal(r.findings[0]?.cause, 'expired-peer-cert');
  assert.equal(r.findings[0]?.confidence, 'certain');
  assert.match(r.findings[0]!.summary, /expired on 2025-04-15/);
  assert.ok(
    r.findings.some((f) => f.cause === 'missing-intermediate'),
    'the missing intermediate stays a hypothesis',
  );
});

test('OpenSSL 3 v: lines in the future prove nothing: the verify error keeps its ranked hypothesis', async () => {
  const r = await paste(
    [
      'depth=0 CN = fiori.corp.example',
      'verify error:num=21:unable to verify the first certificate',
      'Certificate chain',
      ' 0 s:CN = fiori.corp.example',
      '   i:CN = Example Corp Issuing CA 03',
      '   v:NotBefore: Oct  1 00:00:00 2024 GMT; NotAfter: Oct  1 00:00:00 2027 GMT',
      'Verify return code: 21 (unable to verify the first certificate)',
    ].join('\n'),
  );
  assert.equal(r.findings[0]?.cause, 'missing-intermediate');
  assert.ok(r.findings.every((f) => f.confidence !== 'certain'));
});
