/**
 * @module The outcomes of a chain verdict (`verify`): for each problem a verification profile found, its
 * message id and the facts its templates use (codes, import plan, commands), cause and SAP codes, and the
 * order the findings come in (primary profile first). The words are the templates in rule.ts.
 */
import type { Severity } from '../../model/cause.js';
import type { CertificateInfo } from '../../model/certificate.js';
import { escapeControlChars } from '../../model/escape-controls.js';
import type { ChainCheckEvent, SourceRef } from '../../model/evidence.js';
import type { ImportPlan, ReportPse } from '../../model/report.js';
import { nameForText } from '../../pki/dn.js';
import type { PseDescription } from '../../pki/pse-nodes.js';
import { pathCertificates, reportPosition, toReportCertificate } from '../../pki/report-certificate.js';
import { AFTER_STRUST_IMPORT } from '../../pki/strust-steps.js';
import {
  type ChainProblem,
  mapProblemToSap,
  type ProfileId,
  type ProfileVerdict,
  verifyChain,
} from '../../pki/verify.js';
import { problemData } from '../chain-problem.js';
import type { MessageData, RuleReport } from '../define.js';
import { toReportPse } from '../failure-facts.js';
import { buildImportPlan } from '../import-wording.js';

/** What the words of a verdict need besides the verdict. */
interface VerdictContext {
  trustPse?: PseDescription;
  javaStorePath?: string;
  host?: string;
  /** Where the chain input sits (the findings quote it). */
  source: SourceRef;
}

const TRUST_KINDS = new Set([
  'root-missing',
  'intermediate-missing',
  'self-signed',
  'chain-loop',
  'chain-too-long',
]);

function reportPse(pse: PseDescription | undefined): ReportPse | undefined {
  if (!pse) return undefined;
  const out = toReportPse(pse);
  return Object.keys(out).length > 0 ? out : undefined;
}

function cn(subject: string): string {
  return nameForText(subject);
}

function importFor(v: ProfileVerdict, p: ChainProblem, input: VerdictContext): ImportPlan | undefined {
  if (!TRUST_KINDS.has(p.kind) || !p.missing || v.profile === 'browser') return undefined;
  const missing = p.missing;
  const certificate: Pick<CertificateInfo, 'subject'> & Partial<CertificateInfo> = missing.cert ?? {
    subject: missing.subject,
    ...(missing.aiaIssuers ? { aiaIssuers: missing.aiaIssuers } : {}),
  };
  if (!missing.cert && missing.aiaIssuers === undefined) {
    const below = v.chain.missing?.below;
    if (below?.aiaIssuers) certificate.aiaIssuers = below.aiaIssuers;
  }
  const kind: ImportPlan['kind'] = p.kind === 'self-signed' ? 'self-signed-peer' : missing.kind;
  const source: ImportPlan['source'] = missing.source ?? 'not-found';
  if (v.profile === 'java') {
    return buildImportPlan({
      certificate,
      kind,
      source,
      store: 'java',
      ...(input.javaStorePath ? { storePath: input.javaStorePath } : {}),
    });
  }
  const plan = buildImportPlan({
    certificate,
    kind,
    source,
    ...(input.trustPse?.node ? { pses: [input.trustPse] } : {}),
  });
  if (kind === 'intermediate') {
    plan.reason =
      'The server does not send this intermediate CA, and the ICM never fetches one: either the server sends its full chain (best, helps every client) or the intermediate goes into the PSE. Importing only the root does not close this gap.';
  }
  return plan;
}

/** The message of each problem kind (the words are the rule's templates, see rule.ts). */
export type VerdictMessage =
  | 'untrusted'
  | 'chainLoop'
  | 'chainTooLong'
  | 'selfSigned'
  | 'intermediateMissing'
  | 'expired'
  | 'notYetValid'
  | 'weakSignature'
  | 'nameMismatch'
  | 'empty';

const MESSAGE_OF: Record<ChainProblem['kind'], VerdictMessage> = {
  'root-missing': 'untrusted',
  'chain-loop': 'chainLoop',
  'chain-too-long': 'chainTooLong',
  'self-signed': 'selfSigned',
  'intermediate-missing': 'intermediateMissing',
  expired: 'expired',
  'not-yet-valid': 'notYetValid',
  'weak-signature': 'weakSignature',
  'name-mismatch': 'nameMismatch',
  empty: 'empty',
};

/** The facts the templates of a problem use: codes, the import plan's file, commands and target PSEs. */
function dataFor(v: ProfileVerdict, p: ChainProblem, plan: ImportPlan | undefined): MessageData {
  const sap = mapProblemToSap(p.kind);
  const sapIcm = v.profile === 'sap-icm';
  const sapError =
    sapIcm && sap?.error
      ? sap.error.number !== undefined
        ? `${sap.error.name} (${sap.error.number})`
        : sap.error.name
      : undefined;
  const sapgenpse = plan?.commands.filter((c) => c.startsWith('sapgenpse')) ?? [];
  return {
    // The facts the problem sentence of each message fills in (see chain-problem.ts).
    ...problemData(p, v.listName),
    profile: v.label,
    sapIcm: sapIcm ? 'yes' : undefined,
    otherProfile: sapIcm ? undefined : 'yes',
    sapError: sap?.icm ? sapError : undefined,
    icmCode: sapError && sap?.icm ? `${sap.icm.name} (${sap.icm.number})` : undefined,
    sapErrorAlone: sap?.icm ? undefined : sapError,
    nativeCode: sapError ? undefined : v.nativeCode,
    pem: plan?.pem ? 'yes' : undefined,
    fileName: plan?.fileName,
    sha256: plan?.sha256,
    howToObtain: plan && !plan.pem ? (plan.howToObtain ?? []) : undefined,
    sapIcmPlan: plan && sapIcm ? 'yes' : undefined,
    into: plan?.into
      .map((t) => (t.node && t.file ? `${t.node} (${t.file})` : (t.node ?? t.file ?? t.store)))
      .join(' and '),
    strustPath: (plan?.strustPath ?? []).join(' → '),
    sapgenpse: sapIcm && sapgenpse.length ? sapgenpse.join('; ') : undefined,
    afterImport: plan && sapIcm ? AFTER_STRUST_IMPORT : undefined,
    commands: plan && !sapIcm ? plan.commands : undefined,
    sameNameOtherKey: p.sameNameOtherKey?.length
      ? p.sameNameOtherKey.map((c) => c.sha256 ?? '?').join(', ')
      : undefined,
    leaf: p.position === 'leaf' ? 'yes' : undefined,
    caName: p.kind === 'expired' && p.position !== 'leaf' ? cn(p.cert?.subject ?? '') : undefined,
    weakKey: p.weakness === 'rsa-key' ? 'yes' : undefined,
    weakHash: p.weakness === 'rsa-key' ? undefined : 'yes',
    names: p.kind === 'name-mismatch' ? (p.names ?? []).map(escapeControlChars).join(', ') : undefined,
    host: p.host,
  };
}

/** One outcome of a verdict's problem (`severity`: error for the primary profile). */
export function outcomeFor(
  v: ProfileVerdict,
  p: ChainProblem,
  input: VerdictContext,
  severity: Severity,
): Omit<RuleReport<VerdictMessage>, 'events'> {
  const sap = mapProblemToSap(p.kind);
  const plan = importFor(v, p, input);
  const data = dataFor(v, p, plan);
  // The expired step names the host the user gave (a browser may reach another server).
  if (p.kind === 'expired' && input.host) data.host = input.host;
  const outcome: Omit<RuleReport<VerdictMessage>, 'events'> = {
    message: MESSAGE_OF[p.kind],
    data,
    cause: sap?.cause ?? 'unknown',
    confidence: 'certain',
    severity,
    role: 'client',
    kb: v.profile === 'sap-icm' ? [...(sap?.kb ?? [])] : [],
  };
  if (input.host) outcome.target = { host: input.host };
  if (v.profile === 'sap-icm') {
    if (sap?.error) outcome.errorCode = sap.error;
    if (sap?.icm) outcome.relatedCodes = [sap.icm];
    const pse = reportPse(input.trustPse);
    if (pse) outcome.pse = pse;
  } else if (v.nativeCode) {
    outcome.relatedCodes = [{ name: v.nativeCode }];
  }
  const certs = pathCertificates(v);
  if (p.cert && !certs.some((c) => c.sha256 && c.sha256 === p.cert?.sha256))
    certs.push(toReportCertificate(p.cert, reportPosition(p.position)));
  if (certs.length) outcome.certificates = certs;
  if (plan) outcome.import = plan;
  if (p.kind === 'name-mismatch' && v.profile === 'sap-icm')
    outcome.parameters = [{ name: 'icm/HTTPS/client_sni_enabled', value: 'TRUE', where: 'instance profile' }];
  return outcome;
}

/** Judge a chain-check event with every profile it asks for. */
export function verdictsOf(ev: ChainCheckEvent, now: Date): ProfileVerdict[] {
  return verifyChain(
    {
      chain: ev.chain,
      now,
      trust: ev.trust,
      trustName: ev.trustName,
      ...(ev.host ? { host: ev.host } : {}),
      ...(ev.javaStore ? { javaStore: ev.javaStore, javaStoreName: ev.javaStoreName ?? 'java store' } : {}),
      ...(ev.fetched?.length ? { fetched: ev.fetched } : {}),
    },
    ev.profiles as ProfileId[],
  );
}

/**
 * The findings of one chain check: every failing problem of the primary profile is an `error` (weaknesses
 * it tolerates are `warning`s); another profile adds a `warning` only for a first problem of a kind the
 * primary profile does not already report.
 */
export function chainOutcomes(ev: ChainCheckEvent, now: Date): Omit<RuleReport<VerdictMessage>, 'events'>[] {
  const verdicts = verdictsOf(ev, now);
  const ctx: VerdictContext = {
    source: ev.source,
    ...(ev.trustPse ? { trustPse: ev.trustPse as PseDescription } : {}),
    ...(ev.javaStorePath ? { javaStorePath: ev.javaStorePath } : {}),
    ...(ev.host ? { host: ev.host } : {}),
  };
  const findings: Omit<RuleReport<VerdictMessage>, 'events'>[] = [];
  const primary = verdicts.find((v) => v.profile === ev.profiles[0]);
  const primaryKinds = new Set(
    (primary ? [...primary.problems, ...primary.warnings] : []).map((p) => p.kind),
  );
  if (primary) {
    for (const p of primary.problems) findings.push(outcomeFor(primary, p, ctx, 'error'));
    for (const p of primary.warnings) findings.push(outcomeFor(primary, p, ctx, 'warning'));
  }
  for (const v of verdicts) {
    if (v === primary || !v.first || primaryKinds.has(v.first.kind)) continue;
    findings.push(outcomeFor(v, v.first, ctx, 'warning'));
  }
  return findings;
}
