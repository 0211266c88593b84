/**
 * @module ICM_HTTP_SSL_ERROR (ICM 407, SCLNT_HTTP407, apps say "HTTP error 407") without the SapSSL code behind it.
 *
 * The ABAP side only learns "SSL error"; the reason is in dev_icm. Not a proxy 407. Ranked by how often
 * each cause is behind it in practice (facts §10): missing trust first, then versions, then ports.
 */
import type { Cause, Confidence } from '../../model/cause.js';
import { COLLECT_ICM_TRACE, COLLECT_LEVEL_ONE } from '../common-steps.js';
import { defineRule } from '../define.js';
import { failureData, failureParts } from '../failure-facts.js';
import { icmNumberOf, sslCodeOf } from '../sap-codes.js';
import { tellingMessageBeside } from '../telling-message.js';
import { describeTargets, targetPses } from '../trust-fix.js';

export default defineRule({
  id: 'icm-ssl-error',
  causes: ['untrusted-root', 'tls-version', 'not-ssl-port'],
  needs: ['ssl-failure'],
  uses: ['trace-info', 'message'],
  kb: ['ICM_HTTP_SSL_ERROR', 'SMICM'],
  citation: ['SAP KBA 3569644'],
  rank: 60,
  messages: () => ({
    trust: {
      title: "SSL error to {hostPort|the target}: most often the PSE lacks the server's root CA",
      summary:
        'ICM_HTTP_SSL_ERROR (shown by applications as "HTTP error 407" — not a proxy error) only says the TLS set-up failed; dev_icm has the real SapSSL code. Most often it is SSSLERR_PEER_CERT_UNTRUSTED: the SSL client PSE of the call — {intoEither} — lacks the root CA of the server.',
      steps: [
        {
          text: 'Find the root CA of {hostPort|the server}: "pse-doctor probe {hostPort|<host>:<port>}" shows the chain it sends, or open it in a browser → certificate → certification path; the top certificate is the root.',
          web: 'Find the root CA of {hostPort|the server}: a probe (Probe page) shows the chain it sends, or open it in a browser → certificate → certification path; the top certificate is the root.',
          action: { kind: 'field', page: 'probe', value: '{hostPort|}' },
        },
        'Import it into the SSL client PSE the destination uses (SM59 → the destination → Logon & Security → SSL Certificate: ANONYM = SSL client Anonymous, DFAULT = SSL client Standard) in STRUST → "Import certificate" → "Add to Certificate List".',
        'Save in STRUST (TRUST086 = ICM notified), otherwise restart the ICM.',
      ],
      collect: [COLLECT_LEVEL_ONE, ...COLLECT_ICM_TRACE],
      distinguish:
        'dev_icm at trace level 2 shows SSSLERR_PEER_CERT_UNTRUSTED (-102) with the chain for this cause.',
    },
    version: {
      title: 'SSL error to {hostPort|the target}: perhaps no common TLS version',
      summary:
        'A server that refuses the offered TLS versions or ciphers produces the same ICM_HTTP_SSL_ERROR.',
      steps: [
        'If dev_icm shows SSSLERR_SSL_READ (-58) or an alert, set ssl/client_ciphersuites = 150:PFS:HIGH::EC_P256:EC_HIGH (SAP Note 510007 §7) and restart the ICM.',
      ],
      collect: [COLLECT_LEVEL_ONE, ...COLLECT_ICM_TRACE],
      distinguish: 'dev_icm shows SSSLERR_SSL_READ / ALERT codes for this cause.',
    },
    port: {
      title: 'SSL error to {hostPort|the target}: perhaps not a TLS port',
      summary: 'SSL active on a destination whose port speaks plain HTTP gives the same error.',
      steps: ['Check port and "SSL Active" of the destination (SM59 → Logon & Security).'],
      collect: [COLLECT_LEVEL_ONE, ...COLLECT_ICM_TRACE],
    },
  }),
  check({ events }, { report }) {
    for (const ev of events['ssl-failure']) {
      if (sslCodeOf(ev) || icmNumberOf(ev) !== 407) continue;
      const parts = failureParts(ev);
      const data = {
        ...failureData(ev, events['trace-info']),
        into: describeTargets(targetPses(ev, parts.role)),
        intoEither: describeTargets(targetPses(ev, parts.role), ' or '),
      };
      // The missing root is only the usual cause; a message of the same paste that names the failure
      // more closely (an openssl s_client run with its chain, a client's verify error) outranks it.
      const telling = tellingMessageBeside(ev, events.message);
      const ranked: [Cause, Confidence, 'trust' | 'version' | 'port'][] = [
        ['untrusted-root', telling ? 'possible' : 'likely', 'trust'],
        ['tls-version', 'possible', 'version'],
        ['not-ssl-port', 'possible', 'port'],
      ];
      for (const [cause, confidence, message] of ranked) {
        report({
          message,
          data,
          cause,
          confidence,
          severity: 'error',
          ...parts,
          errorCode: { name: 'ICM_HTTP_SSL_ERROR', number: 407 },
        });
      }
    }
  },
});
