/**
 * @module Issue 10: a certificate name holding a newline, ESC/OSC/CSI sequences, a C1 control or a bidi
 * override never splits a line or reaches the output raw — through analyze, verify, probe (live TLS
 * server on 127.0.0.1), pse, cert and landscape, in text, in every one-line text of the JSON report, in
 * the HTML of the JSON report, in each command's own `--format html` page, and in landscape's CSV,
 * OpenMetrics and HTML page.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Report } from '../src/model/report.js';
import { nameForText } from '../src/pki/dn.js';
import { escapeControlChars } from '../src/report/control-chars.js';
import { renderHtml } from '../src/report/html.js';
import { runCli } from './helpers/fake-io.js';
import { generateChain, TEST_NOW, type TestChain } from './pki/index.js';
import { type RunningServer, startTlsServer } from './probe/servers.js';
import { writePse } from './pse-writer/index.js';

const work = mkdtempSync(join(tmpdir(), 'pse-doctor-one-line-'));
/** Root CN: OSC window title (BEL-terminated), a screen clear, then a newline and a shell command. */
const ROOT = 'Evil CA \u001b]0;owned\u0007\u001b[2J\ntouch PWNED';
/** Intermediate CN: C1 CSI, a bidi override and a newline. */
const INT = 'Int\u009b31m \u202eCA\nSPLIT-INT';
/** Leaf CN (not a SAN, so it is also a name the host check lists): a newline and a colour escape. */
const LEAF = 'leaf\nSPLIT-LEAF\u001b[31m';
/** What must never start a line of output: the text after a newline inside a certificate name. */
const SPLIT_TAIL = /^(?:touch PWNED|SPLIT-INT|SPLIT-LEAF)/m;
/** Any control character but LF (TAB is fine), or a Unicode bidi override or line separator. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** Any control character at all (one-line texts hold not even a newline). */
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

let chain: TestChain;
let server: RunningServer;
before(async () => {
  const names = { root: ROOT, intermediate: INT, leaf: LEAF };
  chain = await generateChain({ names, keySet: 'hostile-one-line' });
  const expired = await generateChain({
    names,
    keySet: 'hostile-one-line',
    leafValidity: { notBefore: new Date('2001-01-01T00:00:00Z'), notAfter: new Date('2002-01-01T00:00:00Z') },
  });
  writeFileSync(join(work, 'root.pem'), chain.root.pem);
  writeFileSync(join(work, 'chain.pem'), chain.leaf.pem + chain.intermediate.pem);
  writeFileSync(join(work, 'expired-chain.pem'), expired.leaf.pem + expired.intermediate.pem);
  writeFileSync(
    join(work, 'evil.pse'),
    writePse({
      version: 2,
      own: expired.leaf.der,
      keyPem: expired.leaf.keyPem,
      trusted: [chain.intermediate.der],
    }),
  );
  server = await startTlsServer({
    identity: { cert: chain.leaf.pem + chain.intermediate.pem, key: chain.leaf.keyPem },
  });
});
after(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Every string of a JSON report holding a control character, except certificate data kept exact. */
function controlTexts(value: unknown, path = '$', out: string[] = []): string[] {
  if (typeof value === 'string') {
    // PEM text has line breaks by design; `names` lists what the certificate itself holds, unaltered.
    const data = value.startsWith('-----BEGIN ') || /\.names\[\d+\]$/.test(path);
    if (!data && ANY_CONTROL.test(value)) out.push(`${path} = ${JSON.stringify(value)}`);
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) controlTexts(v, `${path}[${i}]`, out);
  } else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) controlTexts(v, `${path}.${k}`, out);
  return out;
}

/** The probe target (`host:PORT`; the port is the live server's, known once it runs). */
function probeArgs(host: string): string[] {
  return [`${host}:PORT`, '--resolve', '127.0.0.1', '--no-scan'];
}

function withPort(argv: string[]): string[] {
  return argv.map((a) => a.replace(/:PORT$/, `:${server.port}`));
}

/** Each command twice: text, and --json (whose report is also rendered as HTML). */
function runs(): { label: string; argv: string[] }[] {
  const base: { label: string; argv: string[] }[] = [
    { label: 'cert', argv: ['cert', 'chain.pem', 'root.pem'] },
    { label: 'verify (no trust list)', argv: ['verify', 'chain.pem'] },
    { label: 'verify (expired, wrong host)', argv: ['verify', 'expired-chain.pem', '--host', 'other.test'] },
    { label: 'verify --trust PSE', argv: ['verify', 'chain.pem', '--trust', 'evil.pse'] },
    { label: 'pse', argv: ['pse', 'evil.pse'] },
    { label: 'analyze', argv: ['analyze', 'evil.pse', 'expired-chain.pem'] },
    { label: 'probe', argv: ['probe', ...probeArgs('api.example.test')] },
    {
      label: 'probe (wrong host, PSE)',
      argv: ['probe', ...probeArgs('other.example.test'), '--trust', 'evil.pse'],
    },
  ];
  return base.flatMap((r) => [
    r,
    { label: `${r.label} --json`, argv: [...r.argv, '--json'] },
    { label: `${r.label} --format html`, argv: [...r.argv, '--format', 'html'] },
  ]);
}

test('the helper writes control characters as \\XX and keeps the rest', () => {
  assert.equal(escapeControlChars('a\nb\u001b]0;x\u0007'), 'a\\0Ab\\1B]0;x\\07');
  assert.equal(escapeControlChars('Int\u009b \u202e'), 'Int\\C2\\9B \\E2\\80\\AE');
  assert.equal(escapeControlChars('plain CA'), 'plain CA');
  assert.equal(nameForText(chain.root.subject), 'Evil CA \\1B]0;owned\\07\\1B[2J\\0Atouch PWNED');
});

for (const { label, argv } of runs()) {
  test(`${label}: no line split, no raw control character`, async () => {
    const r = await runCli(withPort(argv), { cwd: work, now: TEST_NOW });
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
    for (const [stream, text] of [
      ['stdout', r.stdout],
      ['stderr', r.stderr],
    ] as const) {
      assert.doesNotMatch(text, RAW_CONTROL, `${stream}: ${text}`);
      assert.doesNotMatch(text, SPLIT_TAIL, `${stream}: a certificate name split a line:\n${text}`);
    }
    if (argv.includes('html')) {
      // The command's own page: every section (chain, verdicts, PSE, certificate list) escaped.
      assert.match(r.stdout, /^<!doctype html>/);
      assert.doesNotMatch(r.stdout, /\n(?:touch PWNED|SPLIT-INT|SPLIT-LEAF)/, 'no name split over lines');
      assert.match(r.stdout, /Evil CA|Int|leaf/, 'the names are still shown, made harmless');
      return;
    }
    if (!argv.includes('--json')) {
      assert.match(r.stdout, /Evil CA|Int|leaf/, 'the names are still shown, made harmless');
      return;
    }
    const report = JSON.parse(r.stdout) as Report;
    assert.deepEqual(controlTexts(report), [], 'texts in the JSON report hold no control character');
    const html = renderHtml(report);
    assert.doesNotMatch(html, RAW_CONTROL, 'HTML');
    assert.doesNotMatch(html, /\n(?:touch PWNED|SPLIT-INT|SPLIT-LEAF)/, 'HTML: no name split over lines');
  });
}

test('a verdict names the root CA with its control characters written out, on one line', async () => {
  const r = await runCli(['verify', 'chain.pem'], { cwd: work, now: TEST_NOW });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /root CA "Evil CA \\1B\]0;owned\\07\\1B\[2J\\0Atouch PWNED" is not in/);
});

test('analyze of a saved probe keeps the names on one line too', async () => {
  const saved = join(work, 'probe-saved.json');
  const p = await runCli(withPort(['probe', ...probeArgs('other.example.test'), '--save-evidence', saved]), {
    cwd: work,
    now: TEST_NOW,
  });
  assert.ok(p.code === 0 || p.code === 1, p.stderr);
  for (const argv of [
    ['analyze', saved],
    ['analyze', saved, '--json'],
    ['analyze', saved, '--format', 'html'],
  ]) {
    const r = await runCli(argv, { cwd: work, now: TEST_NOW });
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stdout, RAW_CONTROL);
    assert.doesNotMatch(r.stdout, SPLIT_TAIL);
    if (argv.includes('--json')) assert.deepEqual(controlTexts(JSON.parse(r.stdout)), []);
  }
});

test('landscape: text, JSON, CSV, OpenMetrics and the HTML page hold no raw control character', async () => {
  // Two instances of one system: the same PSE with the hostile own certificate, one list without the CA.
  const evil = readFileSync(join(work, 'evil.pse'));
  const other = writePse({ version: 2, own: chain.leaf.der, keyPem: chain.leaf.keyPem, trusted: [] });
  for (const [instance, pse] of [
    ['app1', evil],
    ['app2', other],
  ] as const) {
    mkdirSync(join(work, 'land', 'ABC', instance), { recursive: true });
    writeFileSync(join(work, 'land', 'ABC', instance, 'SAPSSLC.pse'), pse);
  }
  const base = ['landscape', 'land', '--now', TEST_NOW.toISOString(), '--no-store'];
  for (const extra of [
    [],
    ['--json'],
    ['--format', 'csv'],
    ['--format', 'openmetrics'],
    ['--html', 'land.html'],
  ]) {
    const r = await runCli([...base, ...extra], { cwd: work, now: TEST_NOW });
    assert.ok(r.code === 0 || r.code === 1, `${extra.join(' ')}: exit ${r.code}: ${r.stderr}`);
    // CSV ends its lines with CRLF by design; no other control character.
    const out = extra.includes('csv') ? r.stdout.replace(/\r\n/g, '\n') : r.stdout;
    assert.doesNotMatch(out, RAW_CONTROL, `${extra.join(' ') || 'text'}: ${out}`);
    assert.doesNotMatch(out, SPLIT_TAIL, `${extra.join(' ') || 'text'}: a certificate name split a line`);
    assert.doesNotMatch(r.stderr, RAW_CONTROL);
    if (extra.includes('--json'))
      assert.deepEqual(
        controlTexts(JSON.parse(r.stdout)),
        [],
        'texts in the JSON report hold no control character',
      );
  }
  const page = readFileSync(join(work, 'land.html'), 'utf8');
  assert.doesNotMatch(page, RAW_CONTROL, 'landscape HTML page');
  assert.doesNotMatch(
    page,
    /\n(?:touch PWNED|SPLIT-INT|SPLIT-LEAF)/,
    'landscape HTML: no name split over lines',
  );
  assert.match(page, /leaf/, 'the names are still shown, made harmless');
});
