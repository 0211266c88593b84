/** @module Repeated advice is said once: identical steps, and steps that differ only by the finding's own PSE. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding, Report } from '../model/report.js';
import { sameStepsAs } from './same-steps.js';
import { renderTerminal } from './terminal.js';

function expiredIn(pse: string, rule = 'pse-trusted-cert-expired'): Finding {
  return {
    rule,
    cause: 'expired-own-cert',
    confidence: 'certain',
    severity: 'info',
    title: `1 expired certificate in ${pse}`,
    summary: `${pse} trusts an expired certificate.`,
    pse: { file: `/sec/${pse}`, basename: pse },
    steps: [
      'In STRUST remove each expired certificate, then save.',
      `On the host instead: "sapgenpse maintain_pk -p ${pse} -d <index>" (see "sapgenpse maintain_pk -l -p ${pse}").`,
    ],
    evidence: [],
    kb: ['STRUST'],
  };
}

const report: Report = {
  tool: 'pse-doctor',
  schemaVersion: 1,
  inputs: [],
  events: [],
  findings: [
    expiredIn('SAPSSLA.pse'),
    expiredIn('SAPSSLC.pse'),
    expiredIn('SAPSSLS.pse', 'other-rule'),
    { ...expiredIn('SAPSSLA.pse'), title: 'again' },
  ],
};

test('steps that differ only by the PSE point to the first finding with them; other rules keep theirs', () => {
  assert.equal(sameStepsAs(report, 0), undefined);
  assert.deepEqual(sameStepsAs(report, 1), { index: 0, otherPse: true });
  assert.equal(sameStepsAs(report, 2), undefined, 'another rule: its own steps');
  assert.deepEqual(sameStepsAs(report, 3), { index: 0, otherPse: false });
});

test('the terminal prints the renewal steps once and names the PSE where it points back', () => {
  const text = renderTerminal(report, { width: 120 });
  assert.equal(text.split('In STRUST remove each expired certificate').length - 1, 2, 'finding 1 and 3 only');
  assert.match(text, /Steps: the same as finding 1, for SAPSSLC\.pse\./);
  assert.match(text, /Steps: the same as finding 1\.\n/);
});

test('the indexed lookup answers as a scan of every earlier finding, on a long mixed report', () => {
  const pses = ['SAPSSLA.pse', 'SAPSSLC.pse', 'SAPSSLS.pse', 'SAPSYS.pse'];
  const rules = ['pse-trusted-cert-expired', 'other-rule'];
  const findings: Finding[] = [];
  // A deterministic mix: repeats by word, repeats by PSE name, other rules, findings without steps.
  for (let i = 0; i < 400; i++) {
    const f = expiredIn(pses[(i * 7) % pses.length]!, rules[(i * 3) % 5 === 0 ? 1 : 0]);
    if (i % 11 === 0) f.steps = [];
    if (i % 13 === 0) f.steps = [...f.steps, `extra step ${i % 3}`];
    findings.push(f);
  }
  const long: Report = { ...report, findings };
  const scan = (index: number) => {
    const f = findings[index]!;
    if (!f.steps.length) return undefined;
    const key = (g: Finding) =>
      g.steps
        .map((s) =>
          [g.pse!.file, g.pse!.basename ?? ''].reduce(
            (t: string, n) => (n ? t.split(n).join('\u0000') : t),
            s,
          ),
        )
        .join('\n');
    for (let i = 0; i < index; i++) {
      const other = findings[i]!;
      if (other.steps.length !== f.steps.length) continue;
      if (other.steps.join('\n') === f.steps.join('\n')) return { index: i, otherPse: false };
      if (other.rule === f.rule && key(other) === key(f)) return { index: i, otherPse: true };
    }
    return undefined;
  };
  for (let i = 0; i < findings.length; i++) assert.deepEqual(sameStepsAs(long, i), scan(i), `finding ${i}`);
});
