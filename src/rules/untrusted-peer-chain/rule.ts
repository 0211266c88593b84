/** @module The peer's chain ends in a CA that the PSE used for the call does not hold: name the root to import. */

import { AFTER_STRUST_IMPORT } from '../../pki/strust-steps.js';
import { COLLECT_ICM_TRACE, COLLECT_LEVEL_ONE, GET_IMPORT_FILE, probeStep } from '../common-steps.js';
import { crossCheckDecides } from '../cross-check-failure.js';
import { defineRule } from '../define.js';
import {
  EXPIRY_NAMED,
  failureData,
  failureParts,
  failureRole,
  failureText,
  traceInfoFor,
} from '../failure-facts.js';
import { analyseChain, errorstackDns, interceptorHint, isTrustFailure } from '../peer-chain.js';
import { reportProbeOutcomes } from '../probe-judgement/probe-outcomes.js';
import { icmNumberOf, sslCodeOf } from '../sap-codes.js';
import { inputStates, tellingMessageBeside } from '../telling-message.js';
import { describeTargets, importData, importForVerdict, targetPses } from '../trust-fix.js';
import { FRONT_END_MESSAGES, frontEndDefaultCert, frontEndVerdict } from './front-end-default.js';
import { probeMessages } from './probe-messages.js';

/** First step when the evidence does not name the PSE of the call (client role): how to learn it. */
const WHICH_CLIENT_PSE =
  'The evidence does not name the PSE the call used, so find it before importing: SM59 → the destination → Logon & Security → SSL Certificate (ANONYM = SSL client Anonymous, SAPSSLA.pse; DFAULT = SSL client Standard, SAPSSLC.pse; another ID = that SSL client PSE), or raise the ICM trace to level 2, repeat the call and read the "cli SSL session PSE" line (older kernels: "session uses PSE file"). Import into that PSE; only if you cannot find out, import into {clientPseFallback}, the fallback SAP\'s guides give.';

/** The same for the server role: the port's PSE is SSL server Standard unless it has an identity of its own. */
const WHICH_SERVER_PSE =
  'The evidence does not name the PSE of the port: it is {serverPseDefault} unless the HTTPS port has an SSL server identity of its own (STRUST lists those as "SSL server <ID>"; the ICM trace at level 2 prints the "srv SSL session PSE" line).';

const IMPORT_STEPS = [
  WHICH_CLIENT_PSE,
  WHICH_SERVER_PSE,
  GET_IMPORT_FILE,
  'STRUST: {strust}.',
  'Or, on each application server in its sec directory (SECUDIR): {commands}',
  ...AFTER_STRUST_IMPORT,
];

const CONFIRM = [
  'Repeat the call (SM59 → Connection Test, or the application): it no longer fails with {code|SSSLERR_PEER_CERT_UNTRUSTED}.',
  probeStep(
    '{probe} shows the chain the server sends and which certificate closes it.',
    '{probe} shows the chain the server sends and which certificate closes it.',
  ),
];

export default defineRule({
  id: 'untrusted-peer-chain',
  causes: ['untrusted-root', 'sni-missing', 'hostname-mismatch'],
  needs: ['ssl-failure', 'probe'],
  uses: ['trace-info', 'certificates', 'trust-list', 'message'],
  kb: ['SSSLERR_PEER_CERT_UNTRUSTED', 'ICM_HTTP_SSL_PEER_CERT_UNTRUSTED', 'STRUST', 'TRUST086', 'SMICM'],
  citation: ['SAP Note 2368112', 'RFC 5280 §6'],
  rank: 10,
  messages: () => ({
    ...probeMessages(),
    ...FRONT_END_MESSAGES,
    publicRoot: {
      title: 'Import the root CA "{rootName}" into {into}',
      summary:
        'The chain of {hostPort|the peer} ends in {rootSubject}, and the PSE used for the call does not trust it ({code|peer not trusted}). It is a public root CA: pse-doctor has it from the Mozilla root store that ships with Node.js (SHA-256 {sha256}, valid until {notAfter}).',
      steps: IMPORT_STEPS,
      confirm: CONFIRM,
    },
    privateRoot: {
      title: 'Import the root CA "{rootName}" into {into}',
      summary:
        'The chain of {hostPort|the peer} ends in {rootSubject}, and the PSE used for the call does not trust it ({code|peer not trusted}). It is not one of the public root CAs, so it belongs to a private or corporate CA: get the certificate from that CA.',
      steps: [
        'Get the root CA certificate {rootSubject} (see "how to obtain" below) and save it as {fileName}.',
        ...IMPORT_STEPS,
      ],
      confirm: CONFIRM,
    },
    issuerNamed: {
      title: 'Import the CA "{rootName}" (issuer of the chain the server sent) into {into}',
      summary:
        'The topmost certificate {hostPort|the peer} sent, {topSubject}, was issued by {rootSubject}, which the PSE used for the call does not trust ({code|peer not trusted}). The evidence does not show whether that CA is the root or another intermediate: import the root of its chain (the top of the certification path), or this CA if the root cannot be had.',
      steps: [
        'Get the certificate of {rootSubject} and, if it is not self-signed, its root (see "how to obtain").',
        ...IMPORT_STEPS,
      ],
      confirm: CONFIRM,
    },
    namedCa: {
      title: 'Find and import the root above "{rootName}" into {into}',
      summary:
        'The trace names the certificate that is missing: {rootSubject} ({code|peer not trusted}). It is not one of the public root CAs, so it is either an intermediate the server did not send or a private root; the evidence does not show which CA stands above it.',
      steps: [
        WHICH_CLIENT_PSE,
        WHICH_SERVER_PSE,
        probeStep(
          "Get {rootSubject} and look at its issuer: {probe} shows the chain the server sends, the issuer URL (AIA) in the server certificate leads to the intermediate, and the CA's site lists its roots.",
          "Get {rootSubject} and look at its issuer: {probe} shows the chain the server sends, the issuer URL (AIA) in the server certificate leads to the intermediate, and the CA's site lists its roots.",
        ),
        'Import the root CA at the top of that path into {into} (or, if the root cannot be had, {rootName} itself), and ask the server owner to send the full chain.',
        ...AFTER_STRUST_IMPORT,
      ],
      confirm: CONFIRM,
      collect: COLLECT_ICM_TRACE,
    },
    selfSigned: {
      title: '{hostPort|The peer} uses a self-signed certificate that {into} does not trust',
      summary:
        "The peer presents a self-signed certificate ({rootSubject}); there is no CA behind it, so the certificate itself must be in the PSE's list ({code|peer not trusted}). A CA-signed server certificate is the better fix.",
      steps: [
        'Ask the server owner for a CA-signed certificate; meanwhile import the peer certificate itself.',
        ...IMPORT_STEPS,
      ],
      confirm: CONFIRM,
    },
    alreadyPresent: {
      title: '{rootName} is already in {list}, yet the peer is not trusted',
      summary:
        'The evidence shows {rootSubject} in the certificate list of {list}, but the call still fails ({code|peer not trusted}). Either the call uses another PSE (ANONYM vs DFAULT vs an SSL client identity), the change was not saved and distributed, or the ICM still runs with the old list.',
      steps: [
        'Check which SSL client PSE the destination uses (SM59 → Logon & Security → SSL Certificate) and import into that node: {into}.',
        'Check that this application server received the PSE (STRUST shows the PSE per server; "Distribute" if needed).',
        ...AFTER_STRUST_IMPORT,
      ],
      confirm: CONFIRM,
    },
    noChain: {
      title: 'The PSE does not trust the certificate chain of {hostPort|the peer}',
      summary:
        "{code|The trace} means the chain the peer sent does not end in a certificate of the PSE's list ({into}). The evidence shows no certificates, so the CA to import is not known yet; usually it is the root CA of the peer's chain.",
      steps: [
        WHICH_CLIENT_PSE,
        WHICH_SERVER_PSE,
        probeStep(
          'Find the root CA of {hostPort}: {probe} (or "openssl s_client -connect {hostPort} -showcerts" on the application server) shows the chain; the top certificate is the root.',
          'Find the root CA of {hostPort}: {probe} (or "openssl s_client -connect {hostPort} -showcerts" on the application server) shows the chain; the top certificate is the root.',
        ),
        "Without network access from here, open https://{hostPort} in a browser, view the certificate's certification path and export the top certificate (Base64).",
        'Import that root CA into {into}; if only the issuing CA can be had, import that one.',
        ...AFTER_STRUST_IMPORT,
      ],
      confirm: CONFIRM,
      collect: [COLLECT_LEVEL_ONE, ...COLLECT_ICM_TRACE],
      distinguish:
        'A chain dump (ICM trace level 2 or 3) tells whether the root is missing from the PSE or the server did not send its intermediate.',
    },
  }),
  check({ events, now }, ctx) {
    const { report } = ctx;
    reportProbeOutcomes('untrusted-peer-chain', events.probe, now, ctx);
    const infos = events['trace-info'];
    for (const ev of events['ssl-failure']) {
      const code = sslCodeOf(ev);
      if (!isTrustFailure(ev, code, icmNumberOf(ev))) continue;
      // A list of the PSE the call used lets trust-list-cross-check prove the gap: one finding, not two.
      if (crossCheckDecides(ev, events['trust-list'])) continue;
      const role = failureRole(ev);
      const parts = failureParts(ev);
      const defaultCert = frontEndDefaultCert(ev);
      if (defaultCert) {
        // A reverse proxy's placeholder: the name the call sends (or not) is the matter, not a CA.
        const { lead, byIp } = frontEndVerdict(ev, traceInfoFor(ev, infos));
        const host = ev.target?.host ?? ev.targetHostname;
        const data = {
          ...failureData(ev),
          defaultCert,
          ipClause: byIp
            ? `The call goes to the IP address ${host}, and TLS never sends an address as the server name. `
            : undefined,
        };
        const order: ['frontEndNoSni' | 'frontEndNoRoute', 'sni-missing' | 'hostname-mismatch'][] = [
          ['frontEndNoSni', 'sni-missing'],
          ['frontEndNoRoute', 'hostname-mismatch'],
        ];
        if (lead === 'noRoute') order.reverse();
        const kb = [/^TRAEFIK/i.test(defaultCert) ? 'FRONTEND_DEFAULT_CERT' : 'INGRESS_NGINX_DEFAULT_CERT'];
        for (const [i, [message, cause]] of order.entries()) {
          report({
            message,
            data,
            cause,
            confidence: i === 0 ? 'likely' : 'possible',
            severity: 'error',
            ...parts,
            kb: [...kb, ...(parts.kb ?? [])],
          });
        }
        continue;
      }
      const pses = targetPses(ev, role);
      const verdict = analyseChain(ev, events.certificates, events['trust-list']);
      if (verdict.gap === 'intermediate') continue; // missing-intermediate explains a lone leaf
      const plan = importForVerdict(
        verdict,
        pses,
        verdict.gap === 'unknown' ? "the root CA of the peer's chain (not shown in the evidence)" : undefined,
      );
      const level = traceInfoFor(ev, infos)?.traceLevel;
      const chain = [...(ev.certificates ?? [])].sort((a, b) => a.depth - b.depth);
      // Without the PSE line the place of the fix is inferred from SAP defaults, never proven.
      const pseUnknown = !ev.pseFile;
      if (plan && pseUnknown) plan.pseUnknown = true;
      const data = {
        ...failureData(ev),
        ...importData(plan, pses),
        ...(pseUnknown
          ? role === 'server'
            ? { serverPseDefault: describeTargets(pses) }
            : { into: 'the SSL client PSE of the call', clientPseFallback: describeTargets(pses) }
          : {}),
        topSubject: chain[chain.length - 1]?.subject,
        list: verdict.alreadyIn?.list,
        traceLevel: level !== undefined && level <= 1 ? level : undefined,
      };
      const intercepted =
        interceptorHint([...chain.map((c) => c.issuer), ...errorstackDns(ev)]) !== undefined;
      let message:
        | 'publicRoot'
        | 'privateRoot'
        | 'issuerNamed'
        | 'namedCa'
        | 'selfSigned'
        | 'alreadyPresent'
        | 'noChain';
      let confidence: 'certain' | 'likely' | 'possible';
      if (verdict.alreadyIn) {
        message = 'alreadyPresent';
        confidence = 'likely';
      } else if (verdict.gap === 'unknown') {
        message = 'noChain';
        // The CA the errorstack looked for is an inspecting product's, or the paste names an inspecting
        // proxy: the interception finding leads. A code named in a message (not a trace) beside a message
        // that names the failure more closely (an s_client run, a client's verify error) leaves the lead to
        // that one.
        confidence =
          intercepted ||
          inputStates(ev, events.message, 'interception-stated') ||
          (ev.origin !== 'trace' && tellingMessageBeside(ev, events.message, { outsideOnly: true }))
            ? 'possible'
            : 'likely';
      } else if (verdict.gap === 'self-signed-peer') {
        message = 'selfSigned';
        confidence = 'certain';
      } else if (verdict.publicRoot) {
        message = 'publicRoot';
        confidence = 'certain';
      } else if (verdict.rootProven) {
        message = 'privateRoot';
        confidence = intercepted ? 'likely' : 'certain';
      } else if (verdict.via === 'named-by-trace') {
        message = 'namedCa';
        confidence = 'likely';
      } else {
        message = 'issuerNamed';
        confidence = 'likely';
      }
      // The verification failed on a date (the errorstack says so): the expiry rule names it; the root
      // stays a thought behind it.
      if (EXPIRY_NAMED.test(failureText(ev))) confidence = 'possible';
      // Certain needs the cause and the PSE both shown by the evidence (docs/report.md, "Confidence").
      if (pseUnknown && confidence === 'certain') confidence = 'likely';
      report({
        message,
        data,
        cause: 'untrusted-root',
        confidence,
        severity: 'error',
        ...parts,
        ...(plan ? { import: plan } : {}),
      });
    }
  },
});
