/** @module The one code table: readers, prober and rules name SapSSL codes, ICM codes and TLS alerts from it alike. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getEntry } from '../kb/index.js';
import { knownCodes } from '../readers/sap-text/codes.js';
import { sslCodeOf } from '../rules/sap-codes.js';
import { ICM_CODES, icmCode, SAPSSL, SSSL_CODES, sapSslCode, sapSslNumber } from './sap-codes.js';
import { ALERTS_IN_FAILURE_TEXTS, alertKbId, nameAlert, TLS_ALERTS, tlsAlertKbId } from './tls-alerts.js';

test('a SapSSL number means the same to the readers and to the rules', () => {
  for (const [name, num] of SAPSSL) {
    if (num === undefined) continue;
    assert.equal(sapSslNumber(name), num);
    assert.equal(sslCodeOf({ error: { name: '', number: num } }), name.replace(/^SSSLERR_/, ''));
    assert.equal(SSSL_CODES[num], name.replace(/^SSSLERR_/, ''));
  }
  assert.deepEqual(sapSslCode('SSSLRC_CONN_CLOSED'), { name: 'SSSLRC_CONN_CLOSED', number: -10 });
  assert.throws(() => sapSslCode('SSSLERR_NO_SUCH_CODE'));
});

test('ICM codes: one number → one name, for findings and the readers', () => {
  assert.deepEqual(icmCode(407), { name: 'ICM_HTTP_SSL_ERROR', number: 407 });
  for (const [num, name] of Object.entries(ICM_CODES)) {
    const known = knownCodes().find((c) => c.kbId === name);
    assert.equal(known?.number, Number(num));
  }
  assert.throws(() => icmCode(499));
});

test('a TLS alert has one name by number (prober), by CommonCryptoLib words (readers) and in failure texts (rules)', () => {
  for (const [desc, num] of Object.entries(TLS_ALERTS)) {
    assert.equal(nameAlert(num).replace(/_/g, ' '), desc);
    assert.equal(alertKbId(num), tlsAlertKbId(desc));
    assert.ok(getEntry(alertKbId(num)), `kb entry for ${alertKbId(num)}`);
  }
  for (const name of ALERTS_IN_FAILURE_TEXTS)
    assert.ok(TLS_ALERTS[name.replace(/_/g, ' ')] !== undefined, `${name} is in the alert table`);
  assert.equal(nameAlert(40), 'handshake_failure');
  assert.equal(nameAlert(250), 'alert_250');
});

test('the kb front matter carries the numbers of the code table (SapSSL, ICM, TLS alerts)', () => {
  const pairs: [string, number][] = [
    ...SAPSSL.filter(([, num]) => num !== undefined).map(
      ([name, num]) => [name, num as number] as [string, number],
    ),
    ...Object.entries(ICM_CODES).map(([num, name]) => [name, Number(num)] as [string, number]),
    ...Object.values(TLS_ALERTS).map((num) => [alertKbId(num), num] as [string, number]),
  ];
  let compared = 0;
  for (const [id, num] of pairs) {
    const entry = getEntry(id);
    if (entry?.number === undefined) continue;
    assert.equal(entry.number, num, `kb/${id} says ${entry.number}, the code table ${num}`);
    compared++;
  }
  assert.ok(compared >= 60, `only ${compared} kb entries carry a number`);
});
