/**
 * @module A chain to verify (`pse-doctor verify`), judged side by side as the ICM holding the PSE list
 * would (`sap-icm`), as a browser and as Java: one finding per problem, SAP codes and the import plan.
 */
import type { ProblemKind } from '../../pki/verify.js';
import { capitalSentence, PROBLEM_SENTENCE } from '../chain-problem.js';
import { defineRule, type RuleMessage, type StepTemplate } from '../define.js';
import { chainOutcomes, type VerdictMessage } from './verdict-outcomes.js';

/** The code each profile's stack shows (after the problem sentence of the summary). */
const CODES = [
  'The ICM would fail the call with {sapError}; the ABAP side shows {icmCode}.',
  'The ICM would fail the call with {sapErrorAlone}.',
  '{profile} reports {nativeCode}.',
] as const;

/** The title and summary of a problem kind: the problem sentence as the profile sees it, and the code. */
function said(kind: ProblemKind): { title: string; summary: string[] } {
  return { title: `{profile}: ${PROBLEM_SENTENCE[kind]}`, summary: [`${capitalSentence(kind)}.`, ...CODES] };
}

const CONFIRM: StepTemplate[] = [
  {
    text: '{?sapIcm}Run "pse-doctor verify" again with the updated PSE certificate list: the {profile} verdict reads "trusted".',
    web: '{?sapIcm}Check the chain again with the updated PSE certificate list: the {profile} verdict reads "trusted".',
  },
  {
    text: '{?otherProfile}Run "pse-doctor verify" again with the updated trust store: the {profile} verdict reads "trusted".',
    web: '{?otherProfile}Check the chain again with the updated trust store: the {profile} verdict reads "trusted".',
  },
];

/** Getting the missing certificate and importing it (the import plan's facts). */
const IMPORT_STEPS: StepTemplate[] = [
  {
    text: '{?pem}Use {fileName}, the certificate under "Import"; check its SHA-256 before importing: {sha256|see below}.',
    web: '{?pem}Download {fileName} with the button above; check its SHA-256 before importing: {sha256|see below}.',
    action: { kind: 'download', fileName: '{fileName}' },
  },
  '{howToObtain}',
  '{?sapIcmPlan}Import it into {into|the PSE the call uses}: {strustPath|}.',
  'Or on the host, in the sec directory of each application server: {sapgenpse}',
  '{afterImport}',
  'Run: {commands}',
  'The list holds a certificate with the same name but another key (SHA-256 {sameNameOtherKey}): it is an older or different CA certificate and cannot verify this chain. Keep it only if other partners still need it.',
];

function trustMessage(kind: ProblemKind, first: StepTemplate[] = []): RuleMessage {
  return { ...said(kind), steps: [...first, ...IMPORT_STEPS], confirm: CONFIRM };
}

/** The rule's words (built when first read: see `defineRule`). */
const messages = (): Record<VerdictMessage, RuleMessage> => ({
  untrusted: trustMessage('root-missing'),
  chainLoop: trustMessage('chain-loop'),
  chainTooLong: trustMessage('chain-too-long'),
  selfSigned: trustMessage('self-signed', [
    'Best: the server gets a certificate from a CA. Meanwhile the self-signed certificate itself can be trusted.',
  ]),
  intermediateMissing: {
    ...trustMessage('intermediate-missing', [
      'Ask the server owner to send the full chain (server certificate plus intermediate CA); that fixes it for every client.',
    ]),
    summary: [
      ...said('intermediate-missing').summary,
      '{?sapIcm}The ICM trusts exactly the PSE certificate list and never downloads missing intermediates.',
    ],
  },
  expired: {
    ...said('expired'),
    steps: [
      '{?leaf}The server certificate expired: its owner must install a renewed certificate.',
      'The server sends an expired CA certificate ({caName}): its owner must send the current one.',
      'If {host} shows a valid certificate elsewhere (a browser), the application server reaches another server: check DNS and the hosts file there (SAP KBA 3391859).',
    ],
    confirm: CONFIRM,
  },
  notYetValid: {
    ...said('not-yet-valid'),
    steps: [
      'Check the clock of the application server (date, time zone): the certificate starts in the future for it.',
      'Or the server owner installed a certificate before its start date: ask for the current one.',
    ],
    confirm: CONFIRM,
  },
  weakSignature: {
    ...said('weak-signature'),
    steps: [
      '{?weakKey}Ask the server owner for a certificate with an RSA key of at least 2048 bits (or EC P-256).',
      '{?weakHash}Ask the server owner for a certificate signed with SHA-256 or better.',
    ],
    confirm: CONFIRM,
  },
  nameMismatch: {
    ...said('name-mismatch'),
    steps: [
      'Use a host name the certificate names in the destination (SM59 / logical port): {names|none usable}.',
      "Or the server owner adds {host|the host name} to the certificate's subjectAltName.",
      'If the server hosts several names, make sure the ICM sends SNI (icm/HTTPS/client_sni_enabled = TRUE): without it the server answers with its default certificate.',
    ],
    confirm: CONFIRM,
  },
  empty: {
    ...said('empty'),
    steps: ['Give a file that holds the server certificate (PEM, DER, PKCS#7, PKCS#12).'],
    confirm: CONFIRM,
  },
});

export default defineRule({
  id: 'chain-verdict',
  causes: [
    'untrusted-root',
    'missing-intermediate',
    'expired-peer-cert',
    'hostname-mismatch',
    'weak-signature',
    'unknown',
  ],
  needs: ['chain-check'],
  kb: ['SSSLERR_PEER_CERT_UNTRUSTED', 'STRUST'],
  citation: ['RFC 5280 §6', 'SAP Note 2368112'],
  rank: 10,
  messages,
  check({ events, now }, { report }) {
    for (const ev of events['chain-check']) {
      for (const outcome of chainOutcomes(ev, now)) report({ ...outcome, events: [ev] });
    }
  },
});
