/** @module PSE file → STRUST node mapping, for Unix/Windows paths, case, custom and cut names. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describePse, pseBasename } from './pse-nodes.js';

test('the standard SSL PSEs map to their STRUST nodes and roles', () => {
  const c = describePse('/usr/sap/S4D/D20/sec/SAPSSLC.pse');
  assert.equal(c.node, 'SSL client Standard');
  assert.equal(c.context, 'SSLC');
  assert.equal(c.application, 'DFAULT');
  assert.equal(c.role, 'client');
  assert.equal(c.basename, 'SAPSSLC.pse');
  assert.equal(c.file, '/usr/sap/S4D/D20/sec/SAPSSLC.pse');
  assert.equal(describePse('SAPSSLA.pse').node, 'SSL client Anonymous');
  assert.equal(describePse('SAPSSLA.pse').application, 'ANONYM');
  const s = describePse('/usr/sap/NPL/D00/sec/SAPSSLS.pse');
  assert.equal(s.node, 'SSL server Standard');
  assert.equal(s.role, 'server');
  assert.equal(describePse('SAPSNCS.pse').node, 'SNC SAPCryptolib');
  assert.equal(describePse('SAPSNCS.pse').role, undefined);
  assert.equal(describePse('SAPSYS.pse').node, 'System PSE');
});

test('Windows paths and upper-case extensions are recognised', () => {
  const d = describePse('E:\\usr\\sap\\ABC\\DVEBMGS00\\sec\\sapssla.PSE');
  assert.equal(d.basename, 'sapssla.PSE');
  assert.equal(d.node, 'SSL client Anonymous');
  assert.equal(pseBasename('"C:\\sec\\SAPSSLC.pse"'), 'SAPSSLC.pse');
});

test('custom client identities and extra server identities are marked as assumed', () => {
  const c = describePse('SAPSSLZTEST1.pse');
  assert.equal(c.node, 'SSL client ZTEST1');
  assert.equal(c.context, 'SSLC');
  assert.equal(c.role, 'client');
  assert.equal(c.assumed, true);
  const s = describePse('/usr/sap/X/D00/sec/SAPSSLS_PORT2.pse');
  assert.equal(s.node, 'SSL server PORT2');
  assert.equal(s.role, 'server');
  assert.equal(describePse('BN12345678.pse').purpose, 'ssf');
});

test('a cut PSE path derives no node', () => {
  const d = describePse('/usr/sap/SID/HOST/sec/PSE_FILE_TH');
  assert.equal(d.truncated, true);
  assert.equal(d.node, undefined);
  assert.equal(describePse('/usr/sap/SID/HOST/sec/SAPSSL...').node, undefined);
  assert.equal(describePse('/usr/sap/SID/HOST/sec/SAPSSL...').truncated, true);
});

test('unknown names give no node', () => {
  const d = describePse('/usr/users/prdadm/saprouter/mine.pse');
  assert.equal(d.purpose, 'unknown');
  assert.equal(d.node, undefined);
  assert.equal(describePse('local.pse').purpose, 'saprouter');
});
