/** @module The one test for any SNC mechanism lets through every line one of the mechanism's own tests matches. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  KERBEROS_NAME,
  KERBEROS_TEXT,
  namesAnyMechanism,
  SLC_TEXT,
  SncMechanismSniffer,
} from './snc-mechanism.js';

test('no line a mechanism test matches is held back by the one test before them', () => {
  for (const re of [KERBEROS_NAME, KERBEROS_TEXT, SLC_TEXT]) assert.ok(['', 'i'].includes(re.flags));
  const lines = [
    'x',
    'SncPEstablishContext: p:CN=SAP/KerberosPRD@CORP.EXAMPLE.COM failed',
    'p:SAPServiceBW5@CORP.EXAMPLE.COM',
    'p:CN=ABC, O=Example, C=DE',
    'GSS-API(min): KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN Server not found in Kerberos database',
    'The target principal name is incorrect.',
    'clock skew too great',
    'Secure Login Client: certificate profile missing',
    'A2200019 no credentials',
    '*** ERROR => SncPEstablishContext()==SNCERR_GSSAPI [sncxxall.c 3604]',
  ];
  for (const re of [KERBEROS_TEXT, SLC_TEXT])
    for (const word of re.source.split('|')) {
      const plain = word.replace(/\\b|\\|\(\?:|[()?]/g, '');
      lines.push(plain, `x ${plain.toUpperCase()} y`, plain.slice(0, -1), `a${plain}b`);
    }
  for (const line of lines) {
    const own = KERBEROS_NAME.test(line) || KERBEROS_TEXT.test(line) || SLC_TEXT.test(line);
    if (own) assert.ok(namesAnyMechanism(line), JSON.stringify(line));
  }
  // And the sniffer still names each mechanism.
  const kerberos = new SncMechanismSniffer();
  kerberos.see('x');
  kerberos.see('GSS-API(min): Server not found in Kerberos database');
  assert.equal(kerberos.mechanism, 'kerberos');
  const slc = new SncMechanismSniffer();
  slc.see('Secure Login Client: certificate profile missing');
  assert.equal(slc.mechanism, 'slc');
  const none = new SncMechanismSniffer();
  none.see('SSL handshake with host:443 failed');
  assert.equal(none.mechanism, undefined);
});
