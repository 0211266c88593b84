/** @module Builders for rule tests on PSE trust lists: certificates, trust-list events, and a one-rule run. */
import { runRules } from '../../src/engine/run-rules.js';
import type { CertificateInfo, TrustList } from '../../src/model/certificate.js';
import type { Evidence, TrustListEvent } from '../../src/model/evidence.js';
import type { Finding } from '../../src/model/report.js';
import { describePse } from '../../src/pki/pse-nodes.js';
import type { Rule } from '../../src/rules/define.js';

export const NOW = new Date('2026-01-15T12:00:00Z');

let serial = 0;

/** A certificate valid 2020…2030 unless overridden; `sha256` unique per call unless given. */
export function cert(subject: string, extra: Partial<CertificateInfo> = {}): CertificateInfo {
  serial++;
  return {
    subject,
    issuer: subject,
    serial: `0${serial}`,
    notBefore: '2020-01-01T00:00:00.000Z',
    notAfter: '2030-01-01T00:00:00.000Z',
    sha256: serial.toString(16).padStart(64, 'a'),
    key: { algorithm: 'RSA', size: 2048 },
    signatureAlgorithm: 'sha256WithRSAEncryption',
    isCA: true,
    selfSigned: true,
    ...extra,
  };
}

/** A trust-list event for a PSE file path (node from its name), as the PSE reader makes it. */
export function pseList(
  file: string,
  certificates: CertificateInfo[],
  extra: Partial<TrustList> = {},
  input = 0,
): TrustListEvent {
  const d = describePse(file);
  const list: TrustList = { storeKind: 'sap-pse', file, certificates, ...extra };
  if (d.basename) list.basename = d.basename;
  if (d.node) list.node = d.node;
  if (d.context) list.context = d.context;
  if (d.application) list.application = d.application;
  return { kind: 'trust-list', source: { input, line: 1 }, list };
}

/** Run one rule over trust-list events; throws when the rule errored. */
export function runOn(rule: Rule, events: TrustListEvent[], now = NOW): Finding[] {
  const evidence: Evidence = {
    inputs: events.map((e, i) => ({
      name: e.list.file ?? `list-${i}`,
      format: 'pse',
      bytes: 1,
      lines: 0,
      unrecognizedLines: 0,
      warnings: [],
    })),
    events,
    lines: {},
  };
  const result = runRules(evidence, [rule], { now });
  if (result.ruleErrors.length) throw new Error(result.ruleErrors.map((e) => e.message).join('; '));
  return result.findings;
}
