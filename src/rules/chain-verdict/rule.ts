/**
 * @module A chain to verify (`pse-doctor verify`), judged side by side as the ICM holding the PSE list
 * would (`sap-icm`), as a browser and as Java: one finding per problem, SAP codes and the import plan.
 */
import { defineRule, type RuleMessage, type StepTemplate } from '../define.js';
import { chainOutcomes, type VerdictMessage } from './verdict-outcomes.js';

/** What every verdict says: the problem as the profile sees it, and the code its stack shows. */
const SUMMARY = [
  '{Problem}.',
  'The ICM would fail the call with {sapError}; the ABAP side shows {icmCode}.',
  'The ICM would fail the call with {sapErrorAlone}.',
  '{profile} reports {nativeCode}.',
] as const;

const TITLE = '{profile}: {problem}';

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
    text: '{?pem}Save the certificate as {fileName|a .crt file} ("--out <dir>" writes it) and check its SHA-256: {sha256|see below}.',
    web: '{?pem}Save the certificate as {fileName|a .crt file} and check its SHA-256: {sha256|see below}.',
  },
  '{howToObtain}',
  '{?sapIcmPlan}Import it into {into|the PSE the call uses}: {strustPath|}.',
  'Or on the host, in the sec directory of each application server: {sapgenpse}',
  '{afterImport}',
  'Run: {commands}',
  'The list holds a certificate with the same name but another key (SHA-256 {sameNameOtherKey}): it is an older or different CA certificate and cannot verify this chain. Keep it only if other partners still need it.',
];

function trustMessage(first: StepTemplate[] = []): RuleMessage {
  return { title: TITLE, summary: SUMMARY, steps: [...first, ...IMPORT_STEPS], confirm: CONFIRM };
}

const MESSAGES: Record<VerdictMessage, RuleMessage> = {
  untrusted: trustMessage(),
  selfSigned: trustMessage([
    'Best: the server gets a certificate from a CA. Meanwhile the self-signed certificate itself can be trusted.',
  ]),
  intermediateMissing: {
    ...trustMessage([
      'Ask the server owner to send the full chain (server certificate plus intermediate CA); that fixes it for every client.',
    ]),
    summary: [
      ...SUMMARY,
      '{?sapIcm}The ICM trusts exactly the PSE certificate list and never downloads missing intermediates.',
    ],
  },
  expired: {
    title: TITLE,
    summary: SUMMARY,
    steps: [
      '{?leaf}The server certificate expired: its owner must install a renewed certificate.',
      'The server sends an expired CA certificate ({caName}): its owner must send the current one.',
      'If {host} shows a valid certificate elsewhere (a browser), the application server reaches another server: check DNS and the hosts file there (SAP KBA 3391859).',
    ],
    confirm: CONFIRM,
  },
  notYetValid: {
    title: TITLE,
    summary: SUMMARY,
    steps: [
      'Check the clock of the application server (date, time zone): the certificate starts in the future for it.',
      'Or the server owner installed a certificate before its start date: ask for the current one.',
    ],
    confirm: CONFIRM,
  },
  weakSignature: {
    title: TITLE,
    summary: SUMMARY,
    steps: [
      '{?weakKey}Ask the server owner for a certificate with an RSA key of at least 2048 bits (or EC P-256).',
      '{?weakHash}Ask the server owner for a certificate signed with SHA-256 or better.',
    ],
    confirm: CONFIRM,
  },
  nameMismatch: {
    title: TITLE,
    summary: SUMMARY,
    steps: [
      'Use a host name the certificate names in the destination (SM59 / logical port): {names|none usable}.',
      "Or the server owner adds {host|the host name} to the certificate's subjectAltName.",
      'If the server hosts several names, make sure the ICM sends SNI (icm/HTTPS/client_sni_enabled = TRUE): without it the server answers with its default certificate.',
    ],
    confirm: CONFIRM,
  },
  empty: {
    title: TITLE,
    summary: SUMMARY,
    steps: ['Give a file that holds the server certificate (PEM, DER, PKCS#7, PKCS#12).'],
    confirm: CONFIRM,
  },
};

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
  messages: MESSAGES,
  check({ events, now }, { report }) {
    for (const ev of events['chain-check']) {
      for (const outcome of chainOutcomes(ev, now)) report({ ...outcome, events: [ev] });
    }
  },
});
