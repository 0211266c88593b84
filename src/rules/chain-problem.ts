/**
 * @module The words of a chain problem `verify` finds (pki/verify.ts judges, and hands over facts
 * only): one template per problem kind, filled from the problem's facts. The chain-verdict rule puts
 * them in its titles and summaries; the probe rules and the verification table (`Report.verification`)
 * quote the same sentence.
 */

import { escapeControlChars } from '../model/escape-controls.js';
import type { ProfileVerdictSummary } from '../model/report.js';
import { nameForText } from '../pki/dn.js';
import { pathCertificates } from '../pki/report-certificate.js';
import type { ChainProblem, ProblemKind, ProfileVerdict } from '../pki/verify.js';
import { fillTemplate, type MessageData } from './define.js';

const OTHER_KEY =
  '[[{?sameNameOtherKey} (the list holds a certificate with that name but another key: it cannot verify this chain)]]';

/** One sentence per problem kind (lower case first: it follows "<profile>: " in a title). */
export const PROBLEM_SENTENCE: Record<ProblemKind, string> = {
  empty: 'no certificate to judge',
  'chain-loop': 'the certificates issue each other in a loop and never reach {listName}',
  'chain-too-long': 'the chain is longer than {length} certificates without reaching {listName}',
  'self-signed': 'the server certificate "{name}" is self-signed and not in {listName}',
  'root-missing': `root CA "{missingName}" is not in {listName}${OTHER_KEY}`,
  'intermediate-missing': `intermediate CA "{missingName}" is not sent by the server and not in {listName}${OTHER_KEY}[[{?aiaNotFetched}; AIA fetching was not enabled]]`,
  expired: '{role} "{name}" expired on {date}',
  'not-yet-valid': '{role} "{name}" is not valid before {date}',
  'weak-signature': '{role} "{name}" [[is signed with {hash}]][[has an RSA key of {keyBits} bits]]',
  'name-mismatch': 'host "{host}" is not named by the server certificate ({names|no usable names})',
};

/** The same sentence with a capital first letter (a summary's first sentence). */
export function capitalSentence(kind: ProblemKind): string {
  const t = PROBLEM_SENTENCE[kind];
  return t.startsWith('{role}')
    ? `{Role}${t.slice('{role}'.length)}`
    : t.charAt(0).toUpperCase() + t.slice(1);
}

const ROLE: Record<NonNullable<ChainProblem['position']>, string> = {
  leaf: 'server certificate',
  intermediate: 'intermediate CA',
  root: 'root CA',
};

/** The facts the problem sentence of `p` fills in (`listName`: the verdict's trust list, in words). */
export function problemData(p: ChainProblem, listName: string): MessageData {
  const role = p.position ? ROLE[p.position] : 'certificate';
  const date =
    p.kind === 'expired' ? p.cert?.notAfter : p.kind === 'not-yet-valid' ? p.cert?.notBefore : undefined;
  return {
    listName,
    length: p.chainLength !== undefined ? String(p.chainLength) : undefined,
    name: p.cert ? nameForText(p.cert.subject) : undefined,
    missingName: p.missing ? nameForText(p.missing.subject) : undefined,
    sameNameOtherKey: p.sameNameOtherKey?.length ? 'yes' : undefined,
    aiaNotFetched: p.aiaNotFetched ? 'yes' : undefined,
    role,
    Role: role.charAt(0).toUpperCase() + role.slice(1),
    date: date ? new Date(Date.parse(date)).toISOString().slice(0, 10) : undefined,
    hash: p.kind === 'weak-signature' && p.weakness !== 'rsa-key' ? p.weakness?.toUpperCase() : undefined,
    keyBits: p.weakness === 'rsa-key' && p.keyBits !== undefined ? String(p.keyBits) : undefined,
    host: p.host !== undefined ? escapeControlChars(p.host) : undefined,
    names: p.kind === 'name-mismatch' ? (p.names ?? []).map(escapeControlChars).join(', ') : undefined,
  };
}

/** The problem in one line, plain English: the sentence the finding's title and the table show. */
export function problemSentence(p: ChainProblem, listName: string): string {
  return fillTemplate(PROBLEM_SENTENCE[p.kind], problemData(p, listName), true) ?? '';
}

/** Summarise one verdict for `Report.verification` (the table every command shows). */
export function summarizeVerdict(v: ProfileVerdict): ProfileVerdictSummary {
  const out: ProfileVerdictSummary = {
    profile: v.profile,
    label: v.label,
    ok: v.ok,
    verdict: v.kind,
    trustList: v.listName,
    path: pathCertificates(v),
    problems: [...v.problems, ...v.warnings].map((p) => ({
      kind: p.kind,
      level: p.level,
      message: problemSentence(p, v.listName),
    })),
  };
  if (v.first) out.message = problemSentence(v.first, v.listName);
  if (v.sap) {
    out.cause = v.sap.cause;
    if (v.profile === 'sap-icm') {
      if (v.sap.error) out.errorCode = v.sap.error;
      if (v.sap.icm) out.icm = v.sap.icm;
    }
  }
  if (v.nativeCode && v.profile !== 'sap-icm') out.nativeCode = v.nativeCode;
  if (v.anchor) {
    out.anchor = { subject: v.anchor.cert.subject };
    if (v.anchor.cert.sha256) out.anchor.sha256 = v.anchor.cert.sha256;
    if (v.anchor.matchedBy) out.anchor.matchedBy = v.anchor.matchedBy;
  }
  if (v.host) {
    out.host = { host: v.host.host, ok: v.host.ok, names: v.host.names };
    if (v.host.matched) out.host.matched = v.host.matched;
  }
  return out;
}
