/**
 * @module Trace + trust lists: the peer was not trusted — which given list lacks the CA, and is it the
 * PSE the call used? Proven absence gives a `certain` finding; presence in the used PSE gives a
 * different one (ICM not notified, another server or system); presence only in another PSE names it.
 */
import type { TrustList } from '../../model/certificate.js';
import type { SslFailureEvent, TrustListEvent } from '../../model/evidence.js';
import type { ImportPlan } from '../../model/report.js';
import type { CrossCheck } from '../../pki/cross-check.js';
import { nameForText } from '../../pki/dn.js';
import { describePse, type PseDescription } from '../../pki/pse-nodes.js';
import { AFTER_STRUST_IMPORT } from '../../pki/strust-steps.js';
import { GET_IMPORT_FILE } from '../common-steps.js';
import { crossCheckFailure } from '../cross-check-failure.js';
import { defineRule, type MessageData } from '../define.js';
import { failureData, failureParts } from '../failure-facts.js';
import { buildImportPlan } from '../import-wording.js';
import { isTrustFailure } from '../peer-chain.js';
import { reportPseOf } from '../pse-trust-lists.js';
import { icmNumberOf, sslCodeOf } from '../sap-codes.js';

const IMPORT_STEPS = [
  GET_IMPORT_FILE,
  'STRUST: {strust}.',
  'Or on the host, in the sec directory (SECUDIR) of each application server: {commands}',
  ...AFTER_STRUST_IMPORT,
];

const CONFIRM = [
  'Repeat the call (SM59 → Connection Test, or the application): it no longer fails with {code|SSSLERR_PEER_CERT_UNTRUSTED}.',
  'On the application server, "sapgenpse maintain_pk -l -p {usedFile|<PSE>}" lists {caName} with SHA-256 {sha256|its fingerprint}.',
];

const ALREADY_STEPS = [
  'The ICM may still run with the old list: a save without message TRUST086 did not notify it. Restart the ICM (SMICM → Administration → ICM → Exit Soft → Global) and repeat the call.',
  'The failing call may run on another application server: in STRUST check the PSE on every server (the "Distribute" function), or run "sapgenpse maintain_pk -l -p {usedFile|<PSE>}" in the sec directory of the server whose trace this is.',
  'The list given may come from another system or an older copy: take the listing on the same system, after the error, and compare the SHA-256 {sha256|of the certificate}.',
  'Check that the destination really uses {usedName} (SM59 → Logon & Security → SSL Certificate; SOAMANAGER logical port): ANONYM is SAPSSLA.pse, DFAULT is SAPSSLC.pse.',
];

export default defineRule({
  id: 'trust-list-cross-check',
  causes: ['untrusted-root', 'missing-intermediate'],
  needs: ['ssl-failure'],
  uses: ['trust-list'],
  kb: ['SSSLERR_PEER_CERT_UNTRUSTED', 'STRUST', 'TRUST086'],
  rank: 5,
  messages: () => ({
    missingFromUsed: {
      title: '"{caName}" is not in {usedName}, the PSE the failing call used',
      summary:
        "The failing call used {usedName}. Its certificate list, as given, does not hold {caSubject}, the {caKind} CA that the peer's chain needs, so the ICM rejects the chain ({code|peer not trusted}). Checked certificate by certificate against {listsChecked}.",
      steps: ['Import {caSubject} into {usedName}.', '{lookalikeStep}', ...IMPORT_STEPS],
      confirm: CONFIRM,
    },
    missingFromUsedHeldElsewhere: {
      title: '"{caName}" is not in {usedName}; it is in {holders}',
      summary:
        '{caSubject} is in {holders}, but the failing call used {usedName}, which lacks it ({code|peer not trusted}). The destination uses {usedApplication|this PSE}, so the certificate in the other PSE does not help this call.',
      steps: [
        'Import {caSubject} into {usedName} as well (the other PSE already has it, so its PEM is at hand).',
        "Or, if the call should use {holderNode}, change the destination's SSL client certificate (SM59 → Logon & Security → SSL Certificate: {holderApplication}).",
        '{lookalikeStep}',
        ...IMPORT_STEPS,
      ],
      confirm: CONFIRM,
    },
    presentInUsed: {
      title: '"{caName}" is already in {usedName}, yet the peer was not trusted',
      summary:
        '{usedName}, the PSE the failing call used, holds {caSubject} ({matchText}). So the list given is not the one the ICM checked the chain against at the time of the error.',
      steps: ALREADY_STEPS,
      confirm: CONFIRM,
    },
    onlyInSome: {
      title: '"{caName}" is in {holders} but not in {lackers}',
      summary:
        "The trace does not name the PSE the call used. {caSubject}, the {caKind} CA the peer's chain needs, is in {holders} but not in {lackers} ({code|peer not trusted}): a call through {lackers} fails this way.",
      steps: [
        'Check which SSL client PSE the destination uses (SM59 → Logon & Security → SSL Certificate: ANONYM = SAPSSLA.pse, DFAULT = SAPSSLC.pse; SOAMANAGER logical port).',
        'Import {caSubject} into {lackers}, or point the destination at {holders}.',
        ...IMPORT_STEPS,
      ],
      confirm: CONFIRM,
      distinguish:
        'ICM trace level 2 or 3 prints the PSE file of the session ("cli SSL session PSE"), which tells the used PSE for sure.',
    },
    missingFromAll: {
      title: '"{caName}" is in none of the trust lists given ({lackers})',
      summary:
        "The peer's chain needs {caSubject} ({caKind} CA), and none of the lists given holds it ({code|peer not trusted}). The trace does not name the PSE of the call; if it is one of these, importing the CA fixes it.",
      steps: ['Import {caSubject} into the PSE the destination uses: {lackers}.', ...IMPORT_STEPS],
      confirm: CONFIRM,
      distinguish:
        'ICM trace level 2 or 3 prints the PSE file of the session ("cli SSL session PSE"); with it the gap is proven, not just likely.',
    },
    presentInAll: {
      title: '"{caName}" is in every trust list given ({holders}), yet the peer was not trusted',
      summary:
        'Each list given holds {caSubject} ({matchText}). Either the call used another PSE (an SSL client identity of its own), or the lists given are not what the ICM had loaded at the time of the error.',
      steps: ALREADY_STEPS,
      confirm: CONFIRM,
      distinguish: 'ICM trace level 2 or 3 prints the PSE file of the session ("cli SSL session PSE").',
    },
  }),
  appliesTo: ({ events }) => events['trust-list'].length > 0,
  check({ events }, { report }) {
    const lists = events['trust-list'];
    for (const ev of events['ssl-failure']) {
      if (!isTrustFailure(ev, sslCodeOf(ev), icmNumberOf(ev))) continue;
      const check = crossCheckFailure(ev, lists);
      if (!check) continue;
      const listEvents = (judged: readonly { list: TrustList }[]) =>
        lists.filter((l) => judged.some((j) => j.list === l.list));
      const parts = failureParts(ev);
      const { message, confidence } = outcomeOf(check);
      const targets = targetsOf(check, ev);
      const plan = planOf(check, targets);
      const data = dataOf(check, ev, plan, targets);
      const shown: TrustListEvent[] = listEvents(check.used ? [check.used] : check.judgements);
      report({
        message,
        data,
        cause: check.needed.kind === 'intermediate' ? 'missing-intermediate' : 'untrusted-root',
        confidence,
        severity: 'error',
        ...parts,
        ...(check.used?.list ? { pse: reportPseOf(check.used.list) } : {}),
        ...(plan ? { import: plan } : {}),
        events: [ev, ...shown],
        kb: parts.kb,
      });
    }
  },
});

type Outcome =
  | 'missingFromUsed'
  | 'missingFromUsedHeldElsewhere'
  | 'presentInUsed'
  | 'onlyInSome'
  | 'missingFromAll'
  | 'presentInAll';

function outcomeOf(check: CrossCheck): { message: Outcome; confidence: 'certain' | 'likely' } {
  switch (check.outcome) {
    case 'missing-from-used':
      // Proven: the PSE the trace names, read certificate by certificate, lacks the CA — unless it holds
      // a same-name certificate that only a signature check could tell apart.
      return {
        message: check.holders.length > 0 ? 'missingFromUsedHeldElsewhere' : 'missingFromUsed',
        confidence: check.used?.uncertain ? 'likely' : 'certain',
      };
    case 'present-in-used':
      return { message: 'presentInUsed', confidence: 'likely' };
    case 'only-in-some':
      return { message: 'onlyInSome', confidence: 'likely' };
    case 'missing-from-all':
      return { message: 'missingFromAll', confidence: 'likely' };
    case 'present-in-all':
      return { message: 'presentInAll', confidence: 'likely' };
  }
}

function pseOfList(list: TrustList): PseDescription {
  const d = describePse(list.basename ?? list.file ?? '');
  return {
    ...d,
    ...(list.file ? { file: list.file } : {}),
    ...(list.node ? { node: list.node } : {}),
    ...(list.context ? { context: list.context } : {}),
    ...(list.application ? { application: list.application } : {}),
  };
}

/** Where the CA goes: the used PSE, else every list that lacks it. */
function targetsOf(check: CrossCheck, ev: SslFailureEvent): PseDescription[] {
  if (check.used) return [pseOfList(check.used.list)];
  const lacking = check.lackers.map((j) => pseOfList(j.list)).filter((p) => p.node);
  if (lacking.length > 0) return lacking;
  return ev.pseFile ? [describePse(ev.pseFile)] : [];
}

function planOf(check: CrossCheck, targets: PseDescription[]): ImportPlan | undefined {
  const needed = check.needed;
  const certificate = needed.cert ?? { subject: needed.subject };
  const anchor = check.used?.holds ? check.used.anchor : undefined;
  return buildImportPlan({
    certificate,
    kind: needed.kind,
    source: needed.source,
    ...(targets.length > 0 ? { pses: targets } : {}),
    ...(anchor?.sha256 && check.used
      ? { alreadyPresent: { in: check.used.name, sha256: anchor.sha256 } }
      : {}),
  });
}

const MATCH_TEXT = {
  signature: 'the same certificate, proven by fingerprint or signature',
  'key-id': 'same name and serial number or key identifier',
  name: 'matched by name only: the evidence shows no fingerprint or serial number to compare',
} as const;

function dataOf(
  check: CrossCheck,
  ev: SslFailureEvent,
  plan: ImportPlan | undefined,
  targets: PseDescription[],
): MessageData {
  const used = check.used;
  const names = (js: readonly { name: string }[]) => js.map((j) => j.name).join(', ');
  const holderPse = check.holders[0] ? pseOfList(check.holders[0].list) : undefined;
  const lookalikes = check.judgements.flatMap((j) => (j.used !== false ? j.lookalikes : []));
  const matchedBy = (used ?? check.holders[0])?.matchedBy;
  return {
    ...failureData(ev),
    caName: nameForText(check.needed.subject),
    caSubject: check.needed.subject,
    caKind: check.needed.kind === 'self-signed-peer' ? 'self-signed peer' : check.needed.kind,
    usedName: used?.name,
    usedFile: used?.list.basename ?? (ev.pseFile ? ev.pseFile.split(/[/\\]/).pop() : undefined),
    usedApplication: used?.list.application ?? (ev.pseFile ? describePse(ev.pseFile).application : undefined),
    holders: names(check.holders) || undefined,
    lackers: names(check.lackers) || undefined,
    holderNode: holderPse?.node,
    holderApplication: holderPse?.application,
    listsChecked: names(check.judgements),
    matchText: matchedBy ? MATCH_TEXT[matchedBy] : undefined,
    lookalikeStep: lookalikes.length
      ? `The list holds a certificate with the same name that is a different certificate (${lookalikes
          .map((c) => (c.sha256 ? `SHA-256 ${c.sha256}` : `serial ${c.serial ?? '?'}`))
          .join(', ')}): an old or re-keyed CA certificate. It cannot verify this chain; add the current one.`
      : undefined,
    fileName: plan?.fileName,
    sha256: plan?.sha256,
    strust: plan?.strustPath?.join(' → '),
    commands: plan?.commands.filter((c) => c.startsWith('sapgenpse')).join('; ') || undefined,
    into: targets
      .map((t) => (t.node && t.basename ? `${t.node} (${t.basename})` : (t.node ?? t.basename)))
      .join(' and '),
  };
}
