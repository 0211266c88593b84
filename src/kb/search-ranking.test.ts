/**
 * @module Free-text search ranks the right entry first for texts users paste: lines from the real
 * fixtures (checked to occur there), SAP texts from the facts dossier, and the same with typos.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fixturePath, fixturesOrSkip } from '../../test/helpers/fixtures.js';
import { lookup } from './index.js';

interface Case {
  phrase: string;
  expect: string;
  /** Fixture the phrase is copied from (relative to ../shared/fixtures), or where else it comes from. */
  from: string;
}

const FACTS = 'facts';
const TYPO = 'typo';

const CASES: Case[] = [
  // Copied from the fixtures (verified below).
  {
    phrase: 'Failed to verify peer certificate. Peer not trusted.',
    expect: 'SSSLERR_PEER_CERT_UNTRUSTED',
    from: 'real/cases/case-028.txt',
  },
  {
    phrase: 'peer certificate (chain) is not trusted',
    expect: 'SSSLERR_PEER_CERT_UNTRUSTED',
    from: 'real/cases/case-028.txt',
  },
  {
    phrase: 'Server certificate does not match supplied TargetHostname (rfc2818 section 3.1)',
    expect: 'SSSLERR_SERVER_CERT_MISMATCH',
    from: 'real/cases/case-002.txt',
  },
  {
    phrase: 'Remote Peer has closed the network connection',
    expect: 'SSSLERR_CONN_CLOSED',
    from: 'real/traces/trace-001.txt',
  },
  {
    phrase: 'SSL handshake with github.com:443 failed: SSSLRC_CONN_CLOSED (-10)',
    expect: 'SSSLERR_CONN_CLOSED',
    from: 'real/traces/trace-001.txt',
  },
  {
    phrase: 'SSL:SSL_get_state()==0x2120 "TLS read server hello A"',
    expect: 'CCL_SSL_STATE',
    from: 'real/traces/trace-001.txt',
  },
  {
    phrase: 'Also check transaction SMICM -> Goto -> Trace File -> Display End',
    expect: 'ICM_TRACE_LEVEL',
    from: 'real/traces/trace-001.txt',
  },
  {
    phrase: 'SecuSSL_SessionStartNB(): incomplete SSL handshake',
    expect: 'SSSLERR_CONN_CLOSED',
    from: 'real/traces/trace-004.txt',
  },
  {
    phrase: 'received a fatal TLS certificate unknown alert message from the peer',
    expect: 'TLS_ALERT_CERTIFICATE_UNKNOWN',
    from: 'real/traces/trace-005.txt',
  },
  { phrase: 'SAPCRYPTO:SSL_read() failed', expect: 'SSSLERR_SSL_READ', from: 'real/traces/trace-011.txt' },
  {
    phrase: 'Error: HTTP error 407 occured: SSL handshake with github.com:443 failed: SSSLERR_SSL_READ (-58)',
    expect: 'SSSLERR_SSL_READ',
    from: 'real/cases/case-007.txt',
  },
  {
    phrase:
      'SSSLERR_CONN_CLOSED (-10)#Remote Peer has closed the network connection##SapSSLSessionStartNB()==SSSLERR_CONN_CLOSED##',
    expect: 'SSSLERR_CONN_CLOSED',
    from: 'real/traces/trace-008.txt',
  },
  {
    phrase: '*** ERROR => DlLoadLib()==DLENOACCESS - LoadLibrary("C:\\Users\\test\\Desktop\\sapcrypto.dll")',
    expect: 'DLENOACCESS',
    from: 'real/cases/case-010.txt',
  },
  { phrase: 'Error 5 = "Access is denied."', expect: 'DLENOACCESS', from: 'real/cases/case-010.txt' },
  {
    phrase: 'GSS-API(maj): No credentials were supplied',
    expect: 'SNCERR_GSSAPI',
    from: 'real/cases/case-011.txt',
  },
  {
    phrase: "Getting kerberos ticket for 'SAP/BW5' failed (user name is affonso_v@HANABQ.COM)",
    expect: 'SNC_KERBEROS_TICKET',
    from: 'real/traces/trace-024.txt',
  },
  {
    phrase: 'gss_display_name output buffer (23 bytes)',
    expect: 'SNC_NAME_MISMATCH',
    from: 'real/cases/case-013.txt',
  },
  { phrase: 'Unable to load GSS-API DLL', expect: 'SNCERR_INIT', from: 'real/traces/trace-015.txt' },
  {
    phrase:
      'Error: Connection failed (RTE:[300010] Cannot create SSL context: SSL trust store cannot be found: /Users/< username >/.ssl/trust.pem (< hana-cloud-endpoint >:443))',
    expect: 'RTE_300010',
    from: 'real/cases/case-014.txt',
  },
  {
    phrase:
      'sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target',
    expect: 'PKIX_PATH_BUILDING_FAILED',
    from: 'real/cases/case-015.txt',
  },
  {
    phrase: 'Error SSL_ERROR_HANDSHAKE_FAILURE_ALERT accessing cloud connector webui on port 8443.',
    expect: 'SSL_ERROR_HANDSHAKE_FAILURE_ALERT',
    from: 'real/cases/case-027.txt',
  },
  {
    phrase: 'seclogin: No SSO credentials available',
    expect: 'SAPGENPSE_NO_SSO_CREDENTIALS',
    from: 'real/traces/trace-018.txt',
  },
  {
    phrase: 'get_my_name: Couldn\'t open PSE "/usr/users/prdadm/saprouter/local.pse" (Decoding error)',
    expect: 'SAPGENPSE_DECODING_ERROR',
    from: 'real/traces/trace-018.txt',
  },
  // SAP texts and trace shapes from the facts dossier.
  {
    phrase: "Peer's X.509 certificate (chain) validation failed (missing trust?)",
    expect: 'SSSLERR_PEER_CERT_UNTRUSTED',
    from: FACTS,
  },
  {
    phrase: "The peer's X.509 Certificate (chain) is untrusted",
    expect: 'SSSLERR_PEER_CERT_UNTRUSTED',
    from: FACTS,
  },
  { phrase: 'Peer not trusted', expect: 'SSSLERR_PEER_CERT_UNTRUSTED', from: FACTS },
  { phrase: 'Missing credential', expect: 'WSS040', from: FACTS },
  {
    phrase: 'Missing credential. Specify SSL client PSE used for authentication.',
    expect: 'WSS040',
    from: FACTS,
  },
  {
    phrase: 'received a fatal TLS handshake failure alert',
    expect: 'TLS_ALERT_HANDSHAKE_FAILURE',
    from: FACTS,
  },
  {
    phrase: 'Server certificate does not match supplied TargetHostname',
    expect: 'SSSLERR_SERVER_CERT_MISMATCH',
    from: FACTS,
  },
  { phrase: 'No credentials were supplied', expect: 'SNCERR_GSSAPI', from: FACTS },
  {
    phrase: 'unable to find valid certification path to requested target',
    expect: 'PKIX_PATH_BUILDING_FAILED',
    from: FACTS,
  },
  { phrase: 'SSL trust store cannot be found', expect: 'RTE_300010', from: FACTS },
  { phrase: 'Access is denied LoadLibrary sapcrypto.dll', expect: 'DLENOACCESS', from: FACTS },
  { phrase: 'SSL error (ICM_HTTP_SSL_ERROR)', expect: 'ICM_HTTP_SSL_ERROR', from: FACTS },
  { phrase: 'SSL certificate not trusted', expect: 'ICM_HTTP_SSL_PEER_CERT_UNTRUSTED', from: FACTS },
  {
    phrase: 'Invalid host name in SSL server certificate',
    expect: 'ICM_HTTP_SSL_CERT_MISMATCH',
    from: FACTS,
  },
  { phrase: 'Timeout error', expect: 'ICM_HTTP_TIMEOUT', from: FACTS },
  { phrase: 'Logon at proxy failed', expect: 'ICM_HTTP_PROXY_UNAUTHORIZED', from: FACTS },
  { phrase: 'Unexpected HTTP status code from HTTP proxy', expect: 'ICM_HTTP_PROXY_HTTP_ERROR', from: FACTS },
  { phrase: 'Certificate response does not match PSE', expect: '1S540', from: FACTS },
  { phrase: 'No certificate with your public key found in supplied input', expect: '1S540', from: FACTS },
  { phrase: 'Verification of certificate chain failed', expect: '1S542', from: FACTS },
  { phrase: 'PSE has incorrect Distinguished Name', expect: 'TRUST071', from: FACTS },
  { phrase: 'SSL PSE was saved (ICM was notified)', expect: 'TRUST086', from: FACTS },
  { phrase: 'Certificate(s) deleted from PSE', expect: 'TRUST004', from: FACTS },
  { phrase: 'PSE was replaced', expect: 'TRUST022', from: FACTS },
  { phrase: 'No SAP user found in client 100 for p:CN=DAVID@CONTOSO.COM', expect: 'SNC015', from: FACTS },
  { phrase: 'Error occurred when processing external ID (RC=101)', expect: 'SNC018', from: FACTS },
  { phrase: 'Peer certificate verification failed', expect: 'A2200210', from: FACTS },
  { phrase: 'Server does not trust my certificate path', expect: 'A2210223', from: FACTS },
  { phrase: 'Operation aborted by user or application', expect: 'A2200019', from: FACTS },
  { phrase: 'Actual server name differs', expect: 'A2200202', from: FACTS },
  { phrase: 'Specified target is unknown or unreachable', expect: 'SNCERR_INVALID_NAME', from: FACTS },
  { phrase: 'SNC name of partner system not in system ACL', expect: 'SNC_PARTNER_NOT_IN_ACL', from: FACTS },
  { phrase: 'Reject untrusted forwarded certificate', expect: 'ICM_FORWARDED_CERT_REJECTED', from: FACTS },
  {
    phrase: 'HttpIsReverseProxyTrustworthy: intermediary is NOT trusted',
    expect: 'ICM_REVERSE_PROXY_NOT_TRUSTED',
    from: FACTS,
  },
  { phrase: 'TLSv1.2 connection with anonymous client', expect: 'ICM_ANONYMOUS_CLIENT', from: FACTS },
  { phrase: '(Wrong PIN/Passphrase)', expect: 'SAPGENPSE_WRONG_PIN', from: FACTS },
  {
    phrase: '(no error) non-blocking network read/write could not complete',
    expect: 'SSSLERR_EWOULDBLOCK',
    from: FACTS,
  },
  {
    phrase: 'ICM soft exit required for the certificate import to take effect',
    expect: '/UI2/INTEROP128',
    from: FACTS,
  },
  { phrase: 'Begin of Secu-SSL Errorstack', expect: 'CCL_ERRORSTACK', from: FACTS },
  {
    phrase: 'received a fatal TLS protocol version alert',
    expect: 'TLS_ALERT_PROTOCOL_VERSION',
    from: FACTS,
  },
  // The same with typos.
  { phrase: 'peer not trusetd', expect: 'SSSLERR_PEER_CERT_UNTRUSTED', from: TYPO },
  { phrase: 'handshake faliure', expect: 'TLS_ALERT_HANDSHAKE_FAILURE', from: TYPO },
  { phrase: 'remote peer closd the conection', expect: 'SSSLERR_CONN_CLOSED', from: TYPO },
  { phrase: 'certifcate respnse does not match pse', expect: '1S540', from: TYPO },
  { phrase: 'misssing credential', expect: 'WSS040', from: TYPO },
  { phrase: 'unable to find valid certifcation path', expect: 'PKIX_PATH_BUILDING_FAILED', from: TYPO },
  {
    phrase: 'server certificate does not match target hostnme',
    expect: 'SSSLERR_SERVER_CERT_MISMATCH',
    from: TYPO,
  },
  { phrase: 'no credentails were suplied', expect: 'SNCERR_GSSAPI', from: TYPO },
];

describe('free-text search ranks the right entry first', () => {
  test('the table is large enough to mean something', () => {
    assert.ok(CASES.length >= 40, `${CASES.length} phrases`);
    assert.ok(CASES.filter((c) => c.from.startsWith('real/')).length >= 20);
    assert.ok(CASES.filter((c) => c.from === TYPO).length >= 6);
  });

  for (const c of CASES) {
    test(`${c.from === TYPO ? '[typo] ' : ''}"${c.phrase.slice(0, 70)}" → ${c.expect}`, () => {
      const r = lookup(c.phrase);
      assert.equal(
        r.matches[0]?.entry.id,
        c.expect,
        r.matches
          .slice(0, 3)
          .map((m) => m.entry.id)
          .join(', '),
      );
      assert.equal(r.confident, true, 'the answer should be given, not only suggested');
    });
  }

  test('phrases said to come from a fixture occur in it', fixturesOrSkip(), () => {
    const squash = (s: string): string => s.replace(/\s+/g, ' ');
    for (const c of CASES.filter((x) => x.from.startsWith('real/'))) {
      const text = squash(readFileSync(fixturePath(c.from), 'utf8'));
      assert.ok(text.includes(squash(c.phrase)), `${c.from} does not contain "${c.phrase}"`);
    }
  });
});
