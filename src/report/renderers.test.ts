/** @module Renderers: terminal (plain/colour, line numbers, commands, written paths), JSON (the contract), HTML (static, escaped). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { event, evidenceOf } from '../../test/helpers/rule-tester.js';
import { diagnose } from '../analyze.js';
import type { Report } from '../model/report.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderTerminal } from './terminal.js';

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
