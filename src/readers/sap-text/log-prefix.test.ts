/** @module stripLogPrefix: cf logs, container runtime and timestamp/level prefixes come off; program text stays. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixturesOrSkip, textFixtureLines } from '../../../test/helpers/fixtures.js';
import { splitLine } from './line-prefix.js';
import { LOG_PREFIXES, mayHaveLogPrefix, stripLogPrefix } from './log-prefix.js';

test('the prefixes of cf logs, a container runtime and a stamped logger come off', () => {
  assert.equal(
    stripLogPrefix(
      '   2025-05-14T09:12:33.62+0200 [APP/PROC/WEB/0] ERR     at TLSSocket.onConnectSecure (node:_tls_wrap:1659:34)',
    ),
    '    at TLSSocket.onConnectSecure (node:_tls_wrap:1659:34)',
  );
  assert.equal(
    stripLogPrefix(
      '2025-05-14T09:12:33.62+0200 [APP/PROC/WEB/0] ERR Error: self-signed certificate in certificate chain',
    ),
    'Error: self-signed certificate in certificate chain',
  );
  assert.equal(
    stripLogPrefix(
      '2025-05-14T09:12:33.123456789Z stderr F Caused by: javax.net.ssl.SSLHandshakeException: x',
    ),
    'Caused by: javax.net.ssl.SSLHandshakeException: x',
  );
  assert.equal(stripLogPrefix('[2025-03-02T10:44:09.117Z] ERROR AxiosError: x'), 'AxiosError: x');
  assert.equal(stripLogPrefix('2025-02-11 08:15:40,221 ERROR Error: x'), 'Error: x');
});

test('lines without a prefix, and SAP trace lines, are left as they are', () => {
  for (const line of [
    'Error: unable to get local issuer certificate',
    '[Thr 140] *** ERROR => SSL handshake with x:443 failed',
    '    at TLSSocket.emit (node:events:517:28)',
    '2025',
  ])
    assert.equal(stripLogPrefix(line), line);
  // Linear on a hostile line.
  const t = Date.now();
  stripLogPrefix(`2025-01-01T${'1'.repeat(100_000)}`);
  stripLogPrefix(`[2025-01-01 ${'0:'.repeat(50_000)}`);
  assert.ok(Date.now() - t < 200);
});

test("an nginx error log's time, level, pid#tid and connection number come off", () => {
  assert.equal(
    stripLogPrefix(
      '2026/12/06 03:12:44 [info] 2211#2211: *1834 SSL_do_handshake() failed (SSL: error:0A000418:SSL routines::tlsv1 alert unknown ca:SSL alert number 48) while SSL handshaking, client: 10.20.30.40, server: 0.0.0.0:443',
    ),
    'SSL_do_handshake() failed (SSL: error:0A000418:SSL routines::tlsv1 alert unknown ca:SSL alert number 48) while SSL handshaking, client: 10.20.30.40, server: 0.0.0.0:443',
  );
  assert.equal(stripLogPrefix('2026/12/06 03:12:44 [crit] 7#7: accept4() failed'), 'accept4() failed');
});

/** What every prefix regex starts with: at most eight blanks, a bracket, a digit. */
const LEAD = /^\s{0,8}\[?\d/;

function checkGuard(t: string): boolean {
  const prefixed = LOG_PREFIXES.some((re) => re.test(t));
  if (prefixed)
    assert.ok(LEAD.test(t), `a prefix regex matched past the lead: ${JSON.stringify(t.slice(0, 120))}`);
  if (prefixed || LEAD.test(t))
    assert.ok(mayHaveLogPrefix(t), `guard said no: ${JSON.stringify(t.slice(0, 120))}`);
  // Exact where the blanks are ASCII: yes only before the lead.
  if (!/^\s{0,8}[^\x00-\x7f]/.test(t))
    assert.equal(mayHaveLogPrefix(t), LEAD.test(t), JSON.stringify(t.slice(0, 120)));
  return prefixed;
}

test(
  'mayHaveLogPrefix is true on every fixture line and segment a prefix regex matches',
  fixturesOrSkip(),
  () => {
    let spared = 0;
    for (const raw of textFixtureLines()) {
      for (const t of [raw, ...splitLine(raw).map((s) => s.text)]) {
        if (!checkGuard(t) && !mayHaveLogPrefix(t)) spared++;
      }
    }
    assert.ok(spared > 1000, 'the guard spares the regexes most lines');
  },
);

test('mayHaveLogPrefix on blanks of every kind and odd input', () => {
  const cases = [
    '',
    '2',
    '[',
    '[2',
    ' '.repeat(8) + '2025-01-01 00:00:00 x',
    ' '.repeat(9) + '2025-01-01 00:00:00 x',
    '\t\t[2025-01-01T00:00:00Z] ERROR x',
    '\u00a02025-05-14T09:12:33.62+0200 [APP/PROC/WEB/0] ERR x',
    '\u30002025-01-01 00:00:00 x',
    '\v\f2025-01-01 00:00:00,1 INFO x',
    '[[2025-01-01 00:00:00 x',
    'x2025-01-01 00:00:00 x',
    '\ufeff2025-01-01 00:00:00 x',
  ];
  for (const t of cases) checkGuard(t);
  assert.equal(mayHaveLogPrefix(' '.repeat(9) + '2025'), false);
  assert.equal(mayHaveLogPrefix('\u00a02025-01-01'), true, 'a Unicode blank leaves it to the regexes');
  assert.equal(stripLogPrefix('\u00a02025-02-11 08:15:40,221 ERROR Error: x'), 'Error: x');
});
