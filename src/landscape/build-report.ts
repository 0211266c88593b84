/**
 * @module One landscape run: collected folder (+ baselines, targets, probes) → Evidence → the registered
 * rules (with the chosen expiry thresholds) → a Report whose `landscape` holds inventory and plan.
 */

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { reportOf } from '../engine/report-envelope.js';
import { runRules } from '../engine/run-rules.js';
import { ToolError } from '../model/errors.js';
import type { EvidenceEvent, InputSummary, LandscapeTargetEvent } from '../model/evidence.js';
import type { ExpirySettings, LandscapeTarget } from '../model/landscape.js';
import type { Report } from '../model/report.js';
import type { SecretProvider } from '../readers/types.js';
import type { Rule } from '../rules/define.js';
import { RULES } from '../rules/index.js';
import { createPseOwnCertExpiryRule } from '../rules/pse-own-cert-expiry/rule.js';
import { readBaseline } from './baselines.js';
import { buildInventory, landscapeCertificate } from './inventory.js';
import { collectLayout } from './layout.js';
import { type ProbeTargetsOptions, probeTargets } from './probe-targets.js';
import { readLandscape } from './read-landscape.js';
import { parseTargets } from './targets.js';

/** Default thresholds: warn under 10% of the lifetime and 30 days, or under 7 days; notice under 25% and 90 days. */
export const DEFAULT_EXPIRY: ExpirySettings = {
  absoluteDays: 7,
  lifetimeShare: 0.1,
  lifetimeDays: 30,
  noticeDays: 90,
  noticeShare: 0.25,
};

export interface LandscapeRunInput {
  /** The collected folder, absolute, and as the user typed it. */
  root: string;
  shown: string;
  cwd: string;
  baselines?: string[];
  /** Which PSEs the baselines concern (`--baseline-scope`, parsed); default: SSL client PSEs and target PSEs. */
  baselineScope?: string[];
  targetsFile?: string;
  probe?: boolean;
  probeOptions?: ProbeTargetsOptions;
  expiry?: ExpirySettings;
  secrets: SecretProvider;
  now: Date;
}

/** The registered rules, with the expiry rule set to the landscape's thresholds. */
export function landscapeRules(expiry: ExpirySettings): Rule[] {
  const rule = createPseOwnCertExpiryRule({
    warningDays: expiry.absoluteDays,
    noticeDays: expiry.noticeDays,
    lifetimeShare: expiry.lifetimeShare,
    lifetimeDays: expiry.lifetimeDays,
    noticeShare: expiry.noticeShare,
  });
  return RULES.map((r) => (r.id === rule.id ? rule : r));
}

/** Run the whole landscape analysis. Throws ToolError for usage and input problems only. */
export async function buildLandscapeReport(input: LandscapeRunInput): Promise<Report> {
  const { now } = input;
  const expiry = input.expiry ?? DEFAULT_EXPIRY;
  const layout = collectLayout(input.root, input.shown);
  const read = await readLandscape(layout.files, input.secrets);
  const inputs: InputSummary[] = [...read.inputs];
  const events: EvidenceEvent[] = [...read.events];
  // Folder entries the walk could not use are listed as inputs that were skipped, with the reason.
  for (const p of layout.problems) {
    inputs.push({
      name: p.shown,
      format: 'unknown',
      bytes: 0,
      lines: 0,
      unrecognizedLines: 0,
      warnings: [/[.!]$/.test(p.reason) ? p.reason : `${p.reason}; skipped`],
    });
  }

  for (const arg of input.baselines ?? []) {
    const { event, summary } = await readBaseline(
      arg,
      input.cwd,
      inputs.length,
      input.secrets,
      input.baselineScope,
    );
    inputs.push(summary);
    events.push(event);
  }

  const targets: LandscapeTarget[] = [];
  if (input.targetsFile) {
    let text: string;
    try {
      text = readFileSync(resolve(input.cwd, input.targetsFile), 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new ToolError('file-not-found', { path: input.targetsFile });
      throw new ToolError('not-readable', { path: input.targetsFile, reason: code ?? 'error' });
    }
    const lines = parseTargets(text, input.targetsFile);
    const index = inputs.length;
    inputs.push({
      name: input.targetsFile,
      format: 'landscape-targets',
      bytes: Buffer.byteLength(text),
      lines: text.split(/\n/).length,
      unrecognizedLines: 0,
      warnings: [],
    });
    const probes = input.probe ? await probeTargets(lines, input.probeOptions) : [];
    for (const [i, t] of lines.entries()) {
      const ev: LandscapeTargetEvent = {
        kind: 'landscape-target',
        source: { input: index, line: t.line },
        system: t.system,
        host: t.host,
        port: t.port,
        pse: t.pse,
      };
      const probe = probes[i];
      if (probe) ev.probe = probe;
      events.push(ev);
      targets.push({ system: t.system, host: t.host, port: t.port, pse: t.pse, line: t.line });
    }
  } else if (input.probe) {
    throw new ToolError('usage', { message: '--probe needs --targets <file> (lines SID,host,port[,PSE]).' });
  }

  const { findings, ruleErrors } = runRules({ inputs, events, lines: {} }, landscapeRules(expiry), { now });

  // What each probe showed, per target, for the inventory (the verdict itself is the rule's finding).
  for (const [i, t] of targets.entries()) {
    const ev = events.find(
      (e): e is LandscapeTargetEvent => e.kind === 'landscape-target' && e.source.line === t.line,
    );
    const probe = ev?.probe;
    if (!probe) continue;
    const failing = findings.find(
      (f) =>
        f.rule === 'landscape-target-untrusted' &&
        f.evidence.some((l) => l.input === ev.source.input && l.line === t.line),
    );
    const item: NonNullable<LandscapeTarget['probe']> = {
      verdict: !probe.ok
        ? 'unreachable'
        : failing
          ? failing.cause === 'pse-missing'
            ? 'no-pse'
            : 'untrusted'
          : 'trusted',
    };
    if (probe.error) item.error = probe.error;
    if (probe.certificates) item.chain = probe.certificates.map((c) => landscapeCertificate(c, now));
    if (probe.durationMs !== undefined) item.durationMs = probe.durationMs;
    if (failing?.cause !== 'pse-missing' && failing?.landscape?.instances.length)
      item.failingInstances = failing.landscape.instances;
    (targets[i] as LandscapeTarget).probe = item;
  }

  return reportOf({ inputs, events, findings, ruleErrors }, now, {
    landscape: buildInventory({
      systems: layout.systems,
      inputs,
      events,
      notes: read.notes,
      targets,
      findings,
      expiry,
      now,
    }),
  });
}
