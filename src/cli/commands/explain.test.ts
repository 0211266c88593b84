/** @module `pse-doctor explain` through the CLI: text and --json, alias forms, free text, unknowns, usage errors. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runCli } from '../../../test/helpers/fake-io.js';

describe('pse-doctor explain', () => {
  test('an id prints the entry and exits 0', async () => {
    const r = await runCli(['explain', 'WSS040']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^WSS040 {2}message · WSS 040 \(type E\)/);
    assert.match(
      r.stdout,
      /SAP text: "Missing credential\. Specify SSL client PSE used for authentication\."/,
    );
    assert.match(r.stdout, /\nHow to fix\n/);
    assert.equal(r.stderr, '');
  });

  test('alias forms given as several words or with --icm reach the same entry', async () => {
    for (const argv of [
      ['explain', 'WSS', '040'],
      ['explain', 'wss/040'],
    ]) {
      const r = await runCli(argv);
      assert.equal(r.code, 0, argv.join(' '));
      assert.match(r.stdout, /^WSS040 /);
    }
    const icm = await runCli(['explain', '--icm', '407']);
    assert.equal(icm.code, 0);
    assert.match(icm.stdout, /^ICM_HTTP_SSL_ERROR /);
    assert.match(icm.stdout, /Which evidence decides/);
    assert.match(icm.stdout, /\$ pse-doctor analyze dev_icm/);
  });

  test('negative code numbers are queries, not options', async () => {
    for (const q of ['-102', '(- 102)']) {
      const r = await runCli(['explain', q]);
      assert.equal(r.code, 0, q);
      assert.match(r.stdout, /^SSSLERR_PEER_CERT_UNTRUSTED {2}code · value -102/);
    }
  });

  test('free text gives the best match first, with other relevant entries', async () => {
    const r = await runCli(['explain', 'Remote Peer has closed the network connection']);
    assert.equal(r.code, 0);
    assert.match(
      r.stdout,
      /^Best match for "Remote Peer has closed the network connection":\n\nSSSLERR_CONN_CLOSED /,
    );
    assert.match(r.stdout, /\nAlso relevant:\n/);
  });

  test('--json prints the entry and the ranked matches', async () => {
    const r = await runCli(['explain', '--json', 'SCLNT_HTTP407']);
    assert.equal(r.code, 0);
    const out = JSON.parse(r.stdout);
    assert.equal(out.found, true);
    assert.equal(out.exact, 'ICM_HTTP_SSL_ERROR');
    assert.equal(out.entry.id, 'ICM_HTTP_SSL_ERROR');
    assert.equal(out.entry.messageClass, 'SCLNT_HTTP');
    assert.ok(out.entry.sections.length >= 4);
    assert.equal(out.matches[0].id, 'ICM_HTTP_SSL_ERROR');
    assert.ok(out.next.includes('pse-doctor analyze dev_icm'));
  });

  test('an unknown code gets closest matches and next steps, exit 1, never an empty screen', async () => {
    const r = await runCli(['explain', 'WSS041']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^No entry is named "WSS041"\./);
    assert.match(r.stdout, /Closest matches:\n {2}WSS040 /);
    assert.match(r.stdout, /Show one with: pse-doctor explain WSS040/);
    assert.match(r.stdout, /pse-doctor analyze dev_icm/);

    const json = await runCli(['explain', '--json', 'frobnicate the widget']);
    assert.equal(json.code, 1);
    const out = JSON.parse(json.stdout);
    assert.equal(out.found, false);
    assert.equal(out.entry, null);
    assert.ok(out.next.length > 0);

    const nothing = await runCli(['explain', 'qqqqqq']);
    assert.equal(nothing.code, 1);
    assert.match(nothing.stdout, /No entry is named "qqqqqq"[\s\S]*pse-doctor analyze/);
  });

  test('a bare ICM number without --icm explains how to ask', async () => {
    const r = await runCli(['explain', '407']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /add --icm to read 407 as an ICM code \(ICM_HTTP_SSL_ERROR\)/);
  });

  test('"-" reads the pasted message from standard input', async () => {
    const r = await runCli(['explain', '-'], {
      stdin:
        'Error: HTTP error 407 occured: SSL handshake with github.com:443 failed: SSSLERR_SSL_READ (-58)\n',
    });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /\n\nSSSLERR_SSL_READ {2}code · value -58/);
  });

  test('--list lists entries, by kind, as text or JSON', async () => {
    const all = await runCli(['explain', '--list']);
    assert.equal(all.code, 0);
    assert.match(all.stdout, /\n(\d+) entries\./);
    assert.ok(Number(/\n(\d+) entries\./.exec(all.stdout)![1]) >= 150);

    const params = await runCli(['explain', '--list', '--kind', 'parameter', '--json']);
    assert.equal(params.code, 0);
    const out = JSON.parse(params.stdout);
    assert.ok(out.count > 20);
    assert.ok(out.entries.every((e: { kind: string }) => e.kind === 'parameter'));
    assert.ok(out.entries.some((e: { id: string }) => e.id === 'icm/HTTPS/client_sni_enabled'));
  });

  test('--kind restricts free-text answers', async () => {
    const r = await runCli(['explain', '--kind', 'parameter', '--json', 'SNI']);
    const out = JSON.parse(r.stdout);
    assert.ok(out.matches.length > 0);
    assert.ok(out.matches.every((m: { kind: string }) => m.kind === 'parameter'));
  });

  test('colour only on a terminal, and not with NO_COLOR', async () => {
    const tty = await runCli(['explain', 'STRUST'], { isTTY: true });
    assert.match(tty.stdout, /\u001b\[1m/);
    const noColor = await runCli(['explain', 'STRUST'], { isTTY: true, env: { NO_COLOR: '1' } });
    assert.doesNotMatch(noColor.stdout, /\u001b\[/);
  });

  test('usage errors exit 2 with a clear message', async () => {
    const none = await runCli(['explain']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /Give a code, message id, parameter or error text to explain, or --list/);

    const kind = await runCli(['explain', '--kind', 'bogus', 'x']);
    assert.equal(kind.code, 2);
    assert.match(kind.stderr, /--kind must be one of message, code, alert/);

    const opt = await runCli(['explain', '--colour', 'x']);
    assert.equal(opt.code, 2);
    assert.match(opt.stderr, /Unknown option --colour/);

    const listQuery = await runCli(['explain', '--list', 'WSS040']);
    assert.equal(listQuery.code, 2);
  });

  test('--help documents the query forms and exit codes', async () => {
    const r = await runCli(['explain', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: pse-doctor explain \[options\] \[query\.\.\.\]/);
    assert.match(r.stdout, /--icm/);
    assert.match(r.stdout, /1 {2}no entry matches for sure/);
  });
});
