/**
 * @module The words of a chain verdict (`verify`): cause, SAP codes, import plan and steps for each
 * problem a verification profile found, and the order the findings come in (primary profile first).
 */
import type { CertificateInfo } from '../../model/certificate.js';
import { escapeControlChars } from '../../model/escape-controls.js';
import type { ChainCheckEvent, EvidenceLine, SourceRef } from '../../model/evidence.js';
import type { Finding, ImportPlan, ReportPse } from '../../model/report.js';
import { nameForText } from '../../pki/dn.js';
import { buildImportPlan } from '../../pki/import-plan.js';
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
  const out: ReportPse = {};
  if (pse.file) out.file = pse.file;
  if (pse.basename) out.basename = pse.basename;
  if (pse.node) out.node = pse.node;
  if (pse.context) out.context = pse.context;
  if (pse.application) out.application = pse.application;
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

function stepsFor(
  v: ProfileVerdict,
  p: ChainProblem,
  plan: ImportPlan | undefined,
  input: VerdictContext,
): string[] {
  const steps: string[] = [];
  const into = plan?.into
    .map((t) => (t.node && t.file ? `${t.node} (${t.file})` : (t.node ?? t.file ?? t.store)))
    .join(' and ');
  switch (p.kind) {
    case 'root-missing':
    case 'self-signed':
    case 'intermediate-missing':
    case 'chain-loop':
    case 'chain-too-long': {
      if (p.kind === 'intermediate-missing')
        steps.push(
          'Ask the server owner to send the full chain (server certificate plus intermediate CA); that fixes it for every client.',
        );
      if (p.kind === 'self-signed')
        steps.push(
          'Best: the server gets a certificate from a CA. Meanwhile the self-signed certificate itself can be trusted.',
        );
      if (plan) {
        if (plan.pem)
          steps.push(
            `Save the certificate as ${plan.fileName ?? 'a .crt file'} ("--out <dir>" writes it) and check its SHA-256: ${plan.sha256 ?? 'see below'}.`,
          );
        else for (const how of plan.howToObtain ?? []) steps.push(how);
        if (v.profile === 'sap-icm') {
          steps.push(
            `Import it into ${into ?? 'the PSE the call uses'}: ${(plan.strustPath ?? []).join(' → ')}.`,
          );
          const cmds = plan.commands.filter((c) => c.startsWith('sapgenpse'));
          if (cmds.length)
            steps.push(`Or on the host, in the sec directory of each application server: ${cmds.join('; ')}`);
          steps.push(...AFTER_STRUST_IMPORT);
        } else {
          for (const c of plan.commands) steps.push(`Run: ${c}`);
        }
      }
      if (p.sameNameOtherKey?.length)
        steps.push(
          `The list holds a certificate with the same name but another key (SHA-256 ${p.sameNameOtherKey.map((c) => c.sha256 ?? '?').join(', ')}): it is an older or different CA certificate and cannot verify this chain. Keep it only if other partners still need it.`,
        );
      break;
    }
    case 'expired':
      if (p.position === 'leaf')
        steps.push(`The server certificate expired: its owner must install a renewed certificate.`);
      else
        steps.push(
          `The server sends an expired CA certificate (${cn(p.cert?.subject ?? '')}): its owner must send the current one.`,
        );
      if (input.host)
        steps.push(
          `If ${input.host} shows a valid certificate elsewhere (a browser), the application server reaches another server: check DNS and the hosts file there (SAP KBA 3391859).`,
        );
      break;
    case 'not-yet-valid':
      steps.push(
        'Check the clock of the application server (date, time zone): the certificate starts in the future for it.',
      );
      steps.push(
        'Or the server owner installed a certificate before its start date: ask for the current one.',
      );
      break;
    case 'weak-signature':
      steps.push(
        p.weakness === 'rsa-key'
          ? `Ask the server owner for a certificate with an RSA key of at least 2048 bits (or EC P-256).`
          : `Ask the server owner for a certificate signed with SHA-256 or better.`,
      );
      break;
    case 'name-mismatch':
      steps.push(
        `Use a host name the certificate names in the destination (SM59 / logical port): ${(p.names ?? []).map(escapeControlChars).join(', ') || 'none usable'}.`,
      );
      steps.push(
        `Or the server owner adds ${p.host ?? 'the host name'} to the certificate's subjectAltName.`,
      );
      steps.push(
        'If the server hosts several names, make sure the ICM sends SNI (icm/HTTPS/client_sni_enabled = TRUE): without it the server answers with its default certificate.',
      );
      break;
    case 'empty':
      steps.push('Give a file that holds the server certificate (PEM, DER, PKCS#7, PKCS#12).');
      break;
  }
  return steps;
}

function summaryFor(v: ProfileVerdict, p: ChainProblem): string {
  const sap = mapProblemToSap(p.kind);
  const parts = [`${upperFirst(p.message)}.`];
  if (v.profile === 'sap-icm' && sap?.error) {
    const err = sap.error.number !== undefined ? `${sap.error.name} (${sap.error.number})` : sap.error.name;
    parts.push(
      `The ICM would fail the call with ${err}${sap.icm ? `; the ABAP side shows ${sap.icm.name} (${sap.icm.number})` : ''}.`,
    );
  } else if (v.nativeCode) {
    parts.push(`${v.label} reports ${v.nativeCode}.`);
  }
  if (p.kind === 'intermediate-missing' && v.profile === 'sap-icm')
    parts.push('The ICM trusts exactly the PSE certificate list and never downloads missing intermediates.');
  return parts.join(' ');
}

function upperFirst(s: string): string {
  return s.length ? s[0]?.toUpperCase() + s.slice(1) : s;
}

function evidenceFor(p: ChainProblem, input: VerdictContext): EvidenceLine[] {
  const cert = p.cert ?? p.missing?.cert;
  const text = cert ? `subject=${cert.subject}` : p.missing ? `issuer=${p.missing.subject}` : p.message;
  return [{ input: input.source.input, line: input.source.line, text }];
}

/** One finding of a verdict's problem (`severity`: error for the primary profile). */
export function findingFor(
  v: ProfileVerdict,
  p: ChainProblem,
  input: VerdictContext,
  severity: Finding['severity'],
): Finding {
  const sap = mapProblemToSap(p.kind);
  const plan = importFor(v, p, input);
  const finding: Finding = {
    rule: 'chain-verdict',
    cause: sap?.cause ?? 'unknown',
    confidence: 'certain',
    severity,
    title: `${v.label}: ${p.message}`,
    summary: summaryFor(v, p),
    role: 'client',
    steps: stepsFor(v, p, plan, input),
    confirm: [
      `Run "pse-doctor verify" again with the updated ${v.profile === 'sap-icm' ? 'PSE certificate list' : 'trust store'}: the ${v.label} verdict reads "trusted".`,
    ],
    evidence: evidenceFor(p, input),
    kb: v.profile === 'sap-icm' ? [...(sap?.kb ?? [])] : [],
  };
  if (input.host) finding.target = { host: input.host };
  if (v.profile === 'sap-icm') {
    if (sap?.error) finding.errorCode = sap.error;
    if (sap?.icm) finding.relatedCodes = [sap.icm];
    const pse = reportPse(input.trustPse);
    if (pse) finding.pse = pse;
  } else if (v.nativeCode) {
    finding.relatedCodes = [{ name: v.nativeCode }];
  }
  const certs = pathCertificates(v);
  if (p.cert && !certs.some((c) => c.sha256 && c.sha256 === p.cert?.sha256))
    certs.push(toReportCertificate(p.cert, reportPosition(p.position)));
  if (certs.length) finding.certificates = certs;
  if (plan) finding.import = plan;
  if (p.kind === 'name-mismatch' && v.profile === 'sap-icm')
    finding.parameters = [{ name: 'icm/HTTPS/client_sni_enabled', value: 'TRUE', where: 'instance profile' }];
  return finding;
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
export function chainFindings(ev: ChainCheckEvent, now: Date): Finding[] {
  const verdicts = verdictsOf(ev, now);
  const ctx: VerdictContext = {
    source: ev.source,
    ...(ev.trustPse ? { trustPse: ev.trustPse as PseDescription } : {}),
    ...(ev.javaStorePath ? { javaStorePath: ev.javaStorePath } : {}),
    ...(ev.host ? { host: ev.host } : {}),
  };
  const findings: Finding[] = [];
  const primary = verdicts.find((v) => v.profile === ev.profiles[0]);
  const primaryKinds = new Set(
    (primary ? [...primary.problems, ...primary.warnings] : []).map((p) => p.kind),
  );
  if (primary) {
    for (const p of primary.problems) findings.push(findingFor(primary, p, ctx, 'error'));
    for (const p of primary.warnings) findings.push(findingFor(primary, p, ctx, 'warning'));
  }
  for (const v of verdicts) {
    if (v === primary || !v.first || primaryKinds.has(v.first.kind)) continue;
    findings.push(findingFor(v, v.first, ctx, 'warning'));
  }
  return findings;
}
