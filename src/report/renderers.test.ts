/** @module Renderers: terminal (plain/colour, line numbers, commands, written paths), JSON (the contract), HTML (static, escaped). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, evidenceOf } from '../../test/helpers/rule-tester.js';
import { analyze, diagnose } from '../analyze.js';
import type { Report } from '../model/report.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import type { ReportView } from './sections/section-types.js';
import { renderTerminal, renderTextView } from './terminal.js';

const NOW = new Date('2025-06-01T00:00:00Z');

function sampleReport(): Report {
  const ev = event('ssl-failure', {
    origin: 'trace',
    role: 'client',
    error: { name: 'SSSLERR_PEER_CERT_UNTRUSTED', number: -102 },
    target: { host: 'api.example.com', port: 443 },
    peer: { ip: '203.0.113.7' },
    pseFile: '/usr/sap/ABC/D00/sec/SAPSSLA.pse',
    certificates: [
      {
        depth: 0,
        subject: 'CN=api.example.com',
        issuer: 'CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US',
      },
      {
        depth: 1,
        subject: 'CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US',
        issuer: 'CN=DigiCert Global Root G2, OU=www.digicert.com, O=DigiCert Inc, C=US',
      },
    ],
    line: 17,
  });
  const evil = event('ssl-failure', {
    origin: 'abap-message',
    error: { name: 'SSSLERR_SSL_READ', number: -58 },
    target: { host: '<img src=x onerror=alert(1)>\u001b[31m', port: 443 },
    line: 40,
  });
  const evidence = evidenceOf([ev, evil]);
  evidence.lines['0:40'] = 'SSL handshake with <img src=x onerror=alert(1)>\u001b[31m:443 failed';
  return diagnose(evidence, { now: NOW });
}

test('terminal: plain text with input:line evidence, the import command and the written PEM path', () => {
  const report = sampleReport();
  const text = renderTerminal(report, {
    color: false,
    written: { 'DigiCert_Global_Root_G2.crt': 'fix/DigiCert_Global_Root_G2.crt' },
  });
  assert.doesNotMatch(text, /\u001b\[/, 'no escapes without colour, not even from the input');
  assert.match(text, /^pse-doctor: \d+ findings in test/);
  assert.match(text, /test:17 {2}line 17/);
  assert.match(text, /file: {4}fix\/DigiCert_Global_Root_G2\.crt/);
  assert.match(text, /\$ sapgenpse maintain_pk -p SAPSSLA\.pse -a fix\/DigiCert_Global_Root_G2\.crt/);
  assert.match(text, /PSE: \/usr\/sap\/ABC\/D00\/sec\/SAPSSLA\.pse → STRUST "SSL client Anonymous"/);
  assert.match(renderTerminal(report, { color: true }), /\u001b\[1m/);
});

test('a store outside the ABAP system is named as it is called there, never as a STRUST node', async () => {
  const report = diagnose(
    evidenceOf([
      event('client-error', {
        client: 'browser',
        code: 'SSL_ERROR_HANDSHAKE_FAILURE_ALERT',
        message: 'SSL_ERROR_HANDSHAKE_FAILURE_ALERT accessing cloud connector webui on port 8443',
        problem: 'handshake-failure',
        target: { port: 8443 },
        line: 1,
      }),
    ]),
    { now: NOW },
  );
  assert.equal(report.findings[0]?.pse?.node, 'Cloud Connector UI keystore');
  const text = renderTerminal(report, { color: false });
  assert.match(text, /PSE: Cloud Connector UI keystore/);
  assert.doesNotMatch(text, /STRUST "Cloud Connector/);
  const html = renderHtml(report);
  assert.match(html, /Cloud Connector UI keystore/);
  assert.doesNotMatch(html, /STRUST “Cloud Connector/);
  assert.match(renderHtml(sampleReport()), /SAPSSLA\.pse → STRUST “SSL client Anonymous”/);
  // A trust store file that is no PSE has no STRUST node to be unknown.
  const hana = await analyze([
    {
      name: 'hdbsql.txt',
      bytes: Buffer.from(
        'Error: Connection failed (RTE:[300010] Cannot create SSL context: SSL trust store cannot be found: /home/app/.ssl/trust.pem (hana.example.com:443))\n',
      ),
    },
  ]);
  assert.equal(hana.findings[0]?.pse?.file, '/home/app/.ssl/trust.pem');
  const hanaText = renderTerminal(hana, { color: false });
  assert.match(hanaText, /PSE: \/home\/app\/\.ssl\/trust\.pem\n/);
  assert.doesNotMatch(hanaText, /trust\.pem → STRUST/);
});

test('terminal: an empty report says so and what to do next', () => {
  const text = renderTerminal(diagnose(evidenceOf([]), { now: NOW }));
  assert.match(text, /no finding/);
  assert.match(text, /trace level to 2/);
});

test('json: exactly the report object', () => {
  const report = sampleReport();
  assert.deepEqual(JSON.parse(renderJson(report)), JSON.parse(JSON.stringify(report)));
});

test('html: self-contained, no scripts or external resources, user text escaped', () => {
  const html = renderHtml(sampleReport());
  assert.match(html, /^<!doctype html>/);
  assert.doesNotMatch(html, /<script|<img|<link|src=["']?http/i);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.match(html, /<style>/);
  assert.match(html, /-----BEGIN CERTIFICATE-----/);
  assert.match(html, /SSL client Anonymous/);
});

test('renderJsonChunks gives exactly the text of renderJson, in pieces', async () => {
  const { renderJson, renderJsonChunks } = await import('./json.js');
  const report = {
    tool: 'pse-doctor',
    schemaVersion: 1,
    inputs: [],
    events: Array.from({ length: 3000 }, (_, i) => ({
      kind: 'trace-info',
      source: { input: 0, line: i },
      traceFile: 'x'.repeat(500),
    })),
    findings: [],
    ruleErrors: undefined,
    landscape: { systems: [{ system: 'A', instances: ['1'] }], nested: { a: [1, { b: null }] } },
  } as unknown as Parameters<typeof renderJson>[0];
  const chunks = [...renderJsonChunks(report)];
  assert.ok(chunks.length > 1, 'large reports come in several pieces');
  assert.equal(chunks.join(''), renderJson(report));
  const small = {
    tool: 'pse-doctor',
    schemaVersion: 1,
    inputs: [],
    events: [],
    findings: [],
  } as unknown as Parameters<typeof renderJson>[0];
  assert.equal([...renderJsonChunks(small)].join(''), renderJson(small));
});

test('sections: text and HTML draw every section from one view, and no raw control character gets through', () => {
  const evil = 'CN=Evil \u001b]0;owned\u0007\u001b[2J\u009b31m \u202eCA\nSPLIT';
  const report = sampleReport();
  const entry = {
    label: 'leaf',
    subject: evil,
    fields: [{ name: 'Issuer', value: evil, mark: `x\u001b[31m`, alarm: true }],
  };
  const view = {
    report,
    sections: [
      { kind: 'facts', title: `Probe ${evil}`, rows: [{ label: 'Host', value: evil }] },
      { kind: 'chain', title: 'Chain', entries: [entry], notes: [evil] },
      { kind: 'certificate-list', title: 'Trusted', entries: [], empty: evil },
      {
        kind: 'verification',
        title: 'Verdicts',
        verdicts: [
          {
            profile: 'sap-icm',
            label: 'SAP ICM',
            ok: false,
            verdict: 'root-missing',
            message: evil,
            trustList: evil,
            path: [],
            problems: [],
          },
        ],
      },
      {
        kind: 'pse-table',
        title: 'PSEs',
        rows: [{ pse: evil, node: evil, own: evil, expires: evil, trusted: '1', notes: evil }],
      },
      { kind: 'findings', title: 'Findings' },
      { kind: 'notes', title: 'Notes', lines: [evil] },
      { kind: 'transcript', title: 'Transcript', lines: [evil] },
    ],
  } satisfies ReportView;
  const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
  const text = renderTextView(view);
  assert.doesNotMatch(text, RAW);
  assert.doesNotMatch(text, /^SPLIT/m, 'a value never starts a new line');
  for (const heading of [
    'Probe CN=Evil',
    'Chain',
    'Trusted',
    'Verdicts',
    'PSEs',
    'Findings',
    'Notes',
    'Transcript',
  ])
    assert.match(text, new RegExp(`^${heading}`, 'm'), heading);
  assert.match(text, /^ {2}\[1\] leaf: CN=Evil/m);
  assert.match(text, /^ {2}FAIL SAP ICM/m);
  // Colour codes are the renderer's own, added after the filter.
  assert.match(renderTextView(view, { color: true }), /\u001b\[31m/);
  const html = renderHtml(report, view.sections);
  assert.doesNotMatch(html, RAW);
  assert.doesNotMatch(html, /\nSPLIT/);
  for (const kind of [
    'facts',
    'chain',
    'certificate-list',
    'verification',
    'pse-table',
    'notes',
    'transcript',
  ])
    assert.match(html, new RegExp(`<section class="${kind}"`), kind);
});
