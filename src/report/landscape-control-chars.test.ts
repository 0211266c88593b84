/**
 * @module The landscape renderers (text, CSV, OpenMetrics, HTML page) pass every value through the one
 * control-character filter: a stored or hand-made landscape Report whose DNs, titles and file names hold
 * ESC/CSI/OSC sequences, C1 controls or bidi overrides prints none of them, and certificate dates read
 * as the PSE table reads them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LandscapeCertificate, LandscapeInventory } from '../model/landscape.js';
import type { Report } from '../model/report.js';
import { renderLandscapeCsv } from './landscape-csv.js';
import { renderLandscapeHtml } from './landscape-html.js';
import { renderLandscapeOpenMetrics } from './landscape-openmetrics.js';
import { renderLandscapeText } from './landscape-text.js';

const EVIL = 'Evil \u001b]0;owned\u0007\u001b[2J CA\u009b31m \u202e';
/** Any control character but LF, or a Unicode bidi override or line separator. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const own: LandscapeCertificate = {
  subject: `CN=${EVIL}`,
  issuer: `CN=${EVIL} Issuer`,
  notBefore: '2025-01-01T00:00:00.000Z',
  notAfter: '2026-01-20T00:00:00.000Z',
  daysLeft: 19,
  lifetimeLeft: 0.05,
};
const landscape: LandscapeInventory = {
  systems: [{ system: `AB${EVIL}`, instances: [`app${EVIL}`] }],
  pses: [
    {
      system: `AB${EVIL}`,
      instance: `app${EVIL}`,
      file: `AB/app/${EVIL}.pse`,
      basename: `${EVIL}.pse`,
      node: `SSL client ${EVIL}`,
      source: 'pse',
      problem: `cannot ${EVIL}`,
      own,
      trusted: [own],
    },
  ],
  baselines: [],
  targets: [],
  plan: [
    {
      date: '2026-01-20',
      daysLeft: 19,
      severity: 'warning',
      rule: 'pse-own-cert-expiry',
      title: `The own certificate ${EVIL} expires`,
      system: `AB${EVIL}`,
      instances: [`app${EVIL}`],
      pse: `${EVIL}.pse`,
      finding: 0,
      steps: [`renew ${EVIL}`],
      import: {
        subject: `CN=${EVIL}`,
        kind: 'root',
        source: 'not-found',
        into: [],
        commands: [`sapgenpse maintain_pk -a ${EVIL}.crt`],
        howToObtain: [`ask ${EVIL}`],
      },
    },
  ],
  expiry: { absoluteDays: 7, lifetimeShare: 0.1, lifetimeDays: 30, noticeDays: 90, noticeShare: 0.25 },
  trend: {
    previousRunAt: '2025-12-01T00:00:00.000Z',
    added: [],
    removed: [],
    renewed: [{ pse: `${EVIL}.pse`, role: 'own', subject: `CN=${EVIL}`, notAfter: own.notAfter }],
    pseAdded: [],
    pseRemoved: [],
    findingsNew: [`new ${EVIL}`],
    findingsGone: [],
  },
};
const report: Report = {
  tool: 'pse-doctor',
  schemaVersion: 1,
  generatedAt: '2026-01-01T00:00:00.000Z',
  inputs: [],
  events: [],
  findings: [
    {
      rule: 'pse-own-cert-expiry',
      cause: 'expired-own-cert',
      confidence: 'certain',
      severity: 'warning',
      role: 'unknown',
      title: `The own certificate ${EVIL} expires`,
      summary: `summary ${EVIL}`,
      steps: [`renew ${EVIL}`],
      evidence: [],
      kb: [],
    } as unknown as Report['findings'][number],
  ],
  ruleErrors: [{ rule: 'x', message: `failed ${EVIL}` }],
  landscape,
};

test('text, CSV, OpenMetrics and the HTML page print no raw control character', () => {
  const outputs: [string, string][] = [
    ['text', renderLandscapeText(report)],
    // CSV ends its lines with CRLF by design.
    ['csv', renderLandscapeCsv(report).replace(/\r\n/g, '\n')],
    ['openmetrics', renderLandscapeOpenMetrics(report)],
    ['html', renderLandscapeHtml(report)],
  ];
  for (const [format, out] of outputs) {
    assert.doesNotMatch(out, RAW_CONTROL, `${format}: ${JSON.stringify(out.match(RAW_CONTROL)?.[0])}`);
    assert.match(out, /Evil/, `${format}: the names are still shown, made harmless`);
  }
});

test('the text and the HTML page read expiry dates as the PSE table does', () => {
  assert.match(renderLandscapeText(report), /now until 2026-01-20 \(expires in 19 days\)/);
  assert.match(renderLandscapeHtml(report), /<td>2026-01-20 \(expires in 19 days\)<\/td>/);
});
