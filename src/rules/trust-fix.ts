/**
 * @module Turning a chain verdict into the finding's import plan and the template data that describes it.
 */
import type { Role } from '../model/cause.js';
import type { SslFailureEvent } from '../model/evidence.js';
import type { ImportPlan } from '../model/report.js';
import { nameForText } from '../pki/dn.js';
import { describePse, type PseDescription, STANDARD_CLIENT_PSES } from '../pki/pse-nodes.js';
import type { MessageData } from './define.js';
import { buildImportPlan } from './import-wording.js';
import type { ChainVerdict } from './peer-chain.js';

/** The PSEs a trust fix goes into: the one the trace names, else the defaults of the role. */
export function targetPses(ev: SslFailureEvent, role: Role | undefined): PseDescription[] {
  if (ev.pseFile) return [describePse(ev.pseFile)];
  if (role === 'server') return [describePse('SAPSSLS.pse')];
  return [...STANDARD_CLIENT_PSES];
}

/** Words for "into which PSE(s)": `SSL client Anonymous (SAPSSLA.pse)`, or the cut file name. */
export function describeTargets(pses: readonly PseDescription[], conjunction = ' and '): string {
  return pses
    .map((p) => {
      if (p.truncated)
        return `the PSE "${p.file ?? p.basename}" (the trace cuts its name: find the node in STRUST)`;
      if (p.node && p.basename) return `${p.node} (${p.basename})`;
      return p.node ?? p.basename ?? 'the PSE of the call';
    })
    .join(conjunction);
}

/** Import plan for a verdict; `undefined` when the evidence shows nothing to import. */
export function importForVerdict(
  verdict: ChainVerdict,
  pses: PseDescription[],
  fallbackSubject?: string,
): ImportPlan | undefined {
  const kind: ImportPlan['kind'] =
    verdict.gap === 'self-signed-peer'
      ? 'self-signed-peer'
      : verdict.gap === 'intermediate'
        ? 'intermediate'
        : 'root';
  if (!verdict.anchor && !fallbackSubject) return undefined;
  const certificate = verdict.anchor ?? { subject: fallbackSubject as string };
  const plan = buildImportPlan({
    certificate,
    kind,
    source: verdict.source,
    pses,
    ...(verdict.alreadyIn?.sha256
      ? { alreadyPresent: { in: verdict.alreadyIn.list, sha256: verdict.alreadyIn.sha256 } }
      : {}),
  });
  if (!verdict.anchor) {
    plan.subjectKnown = false;
    delete plan.fileName;
    plan.commands = [];
  }
  return plan;
}

/** Template data describing an import plan. */
export function importData(plan: ImportPlan | undefined, pses: readonly PseDescription[]): MessageData {
  const into = describeTargets(pses);
  if (!plan) return { into };
  const known = plan.subjectKnown !== false;
  const data: MessageData = {
    into,
    rootSubject: known ? plan.subject : undefined,
    rootName: known ? nameForText(plan.subject) : undefined,
    sha256: plan.sha256,
    notAfter: plan.notAfter?.slice(0, 10),
    fileName: plan.fileName,
    command: plan.commands.find((c) => c.startsWith('sapgenpse')),
    commands: plan.commands.filter((c) => c.startsWith('sapgenpse')).join('; ') || undefined,
    sapcli: plan.commands.find((c) => c.startsWith('sapcli')),
    strust: plan.strustPath?.join(' → '),
    reason: plan.reason,
  };
  return data;
}
