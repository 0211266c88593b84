/** @module A middlebox terminates TLS: the peer's certificate for a public host comes from a corporate or inspection CA. */
import { nameForText } from '../../pki/dn.js';
import { AFTER_STRUST_IMPORT } from '../../pki/strust-steps.js';
import { defineRule } from '../define.js';
import { failureData, failureParts, failureRole, failureTarget } from '../failure-facts.js';
import {
  analyseChain,
  errorstackDns,
  interceptorHint,
  isTrustFailure,
  looksPublicHost,
  nameCoversHost,
} from '../peer-chain.js';
import { isPublicService } from '../printed-chain.js';
import { icmNumberOf, sslCodeOf } from '../sap-codes.js';
import { inputStates } from '../telling-message.js';
import { importData, importForVerdict, targetPses } from '../trust-fix.js';

export default defineRule({
  id: 'tls-interception',
  causes: ['interception'],
  needs: ['ssl-failure'],
  uses: ['certificates', 'trust-list', 'message'],
  kb: ['SSSLERR_PEER_CERT_UNTRUSTED', 'STRUST'],
  citation: ['RFC 5280 §6'],
  rank: 5,
  messages: () => ({
    intercepted: {
      title: 'TLS to {host|the server} is intercepted: the certificate comes from "{rootName}"',
      summary:
        'The certificate presented for {host|the public host} is issued by {issuer}{product}, not by a public CA. A proxy or security agent between SAP and the server decrypts the traffic and presents its own certificate, which the PSE ({into}) does not trust.',
      steps: [
        'Confirm from the application server: "curl -v -k https://{hostPort}" (or "openssl s_client -connect {hostPort}") shows the same corporate issuer, while a machine outside the network shows a public CA.',
        'Preferred: have the network/security team exclude {host|the SAP target host} from TLS inspection for the SAP servers.',
        'Otherwise import the inspection root CA {rootSubject} into {into} (get it from the security team; pse-doctor cannot download a private CA).',
        'STRUST: {strust}.',
        ...AFTER_STRUST_IMPORT,
      ],
      confirm: ['Repeat the call: it no longer fails with {code|SSSLERR_PEER_CERT_UNTRUSTED}.'],
      distinguish:
        'An intercepted connection shows a leaf certificate for the public host signed by a corporate CA; the same host seen from outside the company network has a public CA.',
    },
    stated: {
      title: 'TLS to {host|the server} may be intercepted: the evidence names an inspecting proxy',
      summary:
        'The PSE ({into}) does not trust the chain it received, and the same evidence names a TLS-inspecting proxy or the inspection itself. Such a proxy decrypts the traffic and presents a certificate of its own CA, which the PSE lacks. pse-doctor read no certificate of the chain the ICM received, so its issuer is not known yet.',
      steps: [
        'Check the issuer the application server sees: "openssl s_client -connect {hostPort|<host>:<port>} -showcerts" from the application server (through the same proxy, if the call uses one); an inspecting product names itself there.',
        'Preferred: have the network/security team exclude {host|the SAP target host} from TLS inspection for the SAP servers.',
        "Otherwise import the inspection product's root CA into {into} (get it from the security team; pse-doctor cannot download a private CA).",
        ...AFTER_STRUST_IMPORT,
      ],
      confirm: ['Repeat the call: it no longer fails with {code|SSSLERR_PEER_CERT_UNTRUSTED}.'],
      distinguish:
        "Behind an inspecting proxy the chain received is issued by the proxy product; without it the chain ends in a public or the partner's own CA, which then is the one to import.",
    },
  }),
  check({ events }, { report }) {
    for (const ev of events['ssl-failure']) {
      if (!isTrustFailure(ev, sslCodeOf(ev), icmNumberOf(ev))) continue;
      const chain = [...(ev.certificates ?? [])].sort((a, b) => a.depth - b.depth);
      const leaf = chain[0];
      // The CA the errorstack says it could not find may name the product (also when the chain printed
      // lacks its issuers).
      const quoted = errorstackDns(ev);
      if (!leaf && quoted.length === 0) {
        // No chain and no CA named, but the paste names an inspecting proxy (Zscaler, "SSL inspection").
        if (inputStates(ev, events.message, 'interception-stated')) {
          const pses = targetPses(ev, failureRole(ev));
          report({
            message: 'stated',
            data: {
              ...failureData(ev),
              ...importData(undefined, pses),
              host: failureTarget(ev)?.host ?? ev.targetHostname ?? ev.sni,
            },
            cause: 'interception',
            confidence: 'likely',
            severity: 'error',
            ...failureParts(ev),
          });
        }
        continue;
      }
      const verdict = analyseChain(ev, events.certificates, events['trust-list']);
      if (verdict.publicRoot) continue;
      const host = failureTarget(ev)?.host ?? ev.targetHostname ?? ev.sni;
      const product = interceptorHint([
        ...chain.map((c) => c.issuer),
        ...chain.slice(1).map((c) => c.subject),
        ...quoted,
      ]);
      const forPublicHost =
        leaf !== undefined &&
        looksPublicHost(host) &&
        host !== undefined &&
        nameCoversHost(leaf.subject, host);
      if (!product && !forPublicHost) continue;
      const pses = targetPses(ev, failureRole(ev));
      const plan = importForVerdict(verdict, pses);
      report({
        message: 'intercepted',
        data: {
          ...failureData(ev),
          ...importData(plan, pses),
          // No chain printed: the CA the errorstack names is the inspecting product's root.
          ...(leaf === undefined && plan === undefined ? { rootName: nameForText(quoted[0]!) } : {}),
          issuer: leaf?.issuer ?? quoted[0],
          product: product ? ` (a ${product} product, judging by its name)` : undefined,
          host,
        },
        cause: 'interception',
        // A well-known public service (github.com, api.sap.com, …) always has a public chain.
        confidence: product || isPublicService(host) ? 'likely' : 'possible',
        severity: 'error',
        ...failureParts(ev),
        ...(plan ? { import: plan } : {}),
      });
    }
  },
});
