/** @module The server sends only its own certificate and the PSE lacks the intermediate that issued it. */

import { AFTER_STRUST_IMPORT } from '../../pki/strust-steps.js';
import { COLLECT_ICM_TRACE, COLLECT_LEVEL_ONE, probeStep } from '../common-steps.js';
import { crossCheckDecides } from '../cross-check-failure.js';
import { defineRule } from '../define.js';
import { EXPIRY_NAMED, failureData, failureParts, failureRole, failureText } from '../failure-facts.js';
import { analyseChain, isTrustFailure } from '../peer-chain.js';
import { reportProbeOutcomes } from '../probe-judgement/probe-outcomes.js';
import { icmNumberOf, sslCodeOf } from '../sap-codes.js';
import { importData, importForVerdict, targetPses } from '../trust-fix.js';
import { probeMessages } from './probe-messages.js';

export default defineRule({
  id: 'missing-intermediate',
  causes: ['missing-intermediate'],
  needs: ['ssl-failure', 'probe'],
  uses: ['trace-info', 'certificates', 'trust-list'],
  kb: ['SSSLERR_PEER_CERT_UNTRUSTED', 'STRUST', 'TRUST086'],
  citation: ['RFC 8446 §4.4.2', 'RFC 5280 §6'],
  rank: 12,
  messages: () => ({
    ...probeMessages(),
    leafOnly: {
      title: '{hostPort|The server} does not send its intermediate CA "{rootName}"',
      summary:
        'The peer sent only its own certificate ({topSubject}). Its issuer, {rootSubject}, is not a public root, so it is most likely an intermediate CA that the server should send with its certificate; the PSE ({into}) cannot close the chain without it ({code|peer not trusted}).',
      steps: [
        'Ask the owner of {hostPort|the server} to configure the full chain (server certificate plus intermediate CAs): browsers hide this mistake because they fetch missing intermediates, SAP does not.',
        'Meanwhile get {rootSubject} (see "how to obtain") and import it into {into}; once you know its root, import the root too.',
        'STRUST: {strust}.',
        ...AFTER_STRUST_IMPORT,
      ],
      confirm: [
        probeStep(
          '{probe} (or "openssl s_client -connect {hostPort} -showcerts") lists more than one certificate once the server sends its chain.',
          '{probe} lists more than one certificate once the server sends its chain.',
        ),
        'Repeat the call: it no longer fails with {code|SSSLERR_PEER_CERT_UNTRUSTED}.',
      ],
    },
    privateIssuer: {
      title: 'Or {hostPort|the server} leaves out an intermediate CA below "{rootName}"',
      summary:
        'The peer sent only its own certificate ({topSubject}); its issuer {rootSubject} is a private CA whose name does not say whether it is a root or an intermediate. If it is an intermediate, the server should send it with its certificate, and the root above it belongs in {into} as well.',
      steps: [
        'Look at {rootSubject} once you have it: if its issuer is another CA, it is an intermediate; ask the owner of {hostPort|the server} to configure the full chain, and import the root at the top into {into}.',
        ...AFTER_STRUST_IMPORT,
      ],
      distinguish:
        'The certificate of {rootName}: self-signed (issuer = subject) means it is the root and importing it is the whole fix; otherwise the server leaves out an intermediate.',
    },
    maybe: {
      title: 'Perhaps {hostPort|the server} does not send its intermediate CA',
      summary:
        'The evidence shows the trust failure ({code|peer not trusted}) but not the chain. Besides a missing root, a server that sends only its own certificate causes the same error.',
      steps: [
        probeStep(
          'Look at the chain the server sends: {probe} or "openssl s_client -connect {hostPort} -showcerts" on the application server. One certificate only means the intermediate is missing.',
          'Look at the chain the server sends: {probe}, or "openssl s_client -connect {hostPort} -showcerts" on the application server. One certificate only means the intermediate is missing.',
        ),
        "If so, ask the server owner to send the full chain, and meanwhile import the intermediate (its issuer URL is in the certificate's AIA extension) into {into}.",
        ...AFTER_STRUST_IMPORT,
      ],
      collect: [COLLECT_LEVEL_ONE, ...COLLECT_ICM_TRACE],
      distinguish:
        'The chain dump in an ICM trace at level 2 shows how many certificates the server sent: only the leaf means a missing intermediate; a complete chain means a missing root.',
    },
  }),
  check({ events, now }, ctx) {
    const { report } = ctx;
    reportProbeOutcomes('missing-intermediate', events.probe, now, ctx);
    for (const ev of events['ssl-failure']) {
      if (!isTrustFailure(ev, sslCodeOf(ev), icmNumberOf(ev))) continue;
      // A list of the PSE the call used lets trust-list-cross-check prove the gap: one finding, not two.
      if (crossCheckDecides(ev, events['trust-list'])) continue;
      const verdict = analyseChain(ev, events.certificates, events['trust-list']);
      const role = failureRole(ev);
      const pses = targetPses(ev, role);
      const parts = failureParts(ev);
      if (verdict.gap === 'intermediate') {
        const plan = importForVerdict(verdict, pses);
        report({
          message: 'leafOnly',
          data: {
            ...failureData(ev, events['trace-info']),
            ...importData(plan, pses),
            topSubject: ev.certificates?.[0]?.subject,
          },
          cause: 'missing-intermediate',
          // The errorstack names a date as the reason: the missing intermediate is what fails next.
          confidence: EXPIRY_NAMED.test(failureText(ev)) ? 'possible' : 'likely',
          severity: 'error',
          ...parts,
          ...(plan ? { import: plan } : {}),
        });
      } else if (
        verdict.gap === 'root' &&
        verdict.chainLength === 1 &&
        verdict.via === 'issuer-of-top' &&
        !verdict.rootProven &&
        !verdict.alreadyIn
      ) {
        // A private CA issued the lone leaf: untrusted-peer-chain names it first; this is the alternative.
        const plan = importForVerdict(verdict, pses);
        report({
          message: 'privateIssuer',
          data: {
            ...failureData(ev, events['trace-info']),
            ...importData(plan, pses),
            topSubject: ev.certificates?.[0]?.subject,
          },
          cause: 'missing-intermediate',
          confidence: 'possible',
          severity: 'error',
          ...parts,
        });
      } else if (verdict.gap === 'unknown' && role !== 'server') {
        report({
          message: 'maybe',
          data: { ...failureData(ev, events['trace-info']), ...importData(undefined, pses) },
          cause: 'missing-intermediate',
          confidence: 'possible',
          severity: 'error',
          ...parts,
        });
      }
    }
  },
});
