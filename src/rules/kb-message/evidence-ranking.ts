/**
 * @module What the rest of a paste changes in the ranking of a message's hypotheses: a printed chain
 * (openssl s_client, a Java debug dump) that names an inspecting proxy, leads to a public root, or holds
 * only the server's own certificate; a call to a public service whose chain is always public. Also the
 * import plan that names the chain's top CA, so no finding says "not shown" next to a printed chain.
 */
import { type KbContextFact, type KbHypothesis, STATED_CAUSES } from '../../kb/types.js';
import type { CertificateInfo } from '../../model/certificate.js';
import type { MessageEvent } from '../../model/evidence.js';
import type { ImportPlan } from '../../model/report.js';
import type { TrustStoreKind } from '../../pki/import-plan.js';
import { buildImportPlan, obtainSteps } from '../import-wording.js';
import {
  isPublicService,
  judgePrintedChain,
  type PrintedChainVerdict,
  replacedOnTheWay,
} from '../printed-chain.js';
import type { CertificateFacts } from './certificate-evidence.js';
import { fixGroupOf, isSapStack } from './stack-fixes.js';

/** The hypotheses of a message, reordered (or completed) by what else the input shows. */
export function rankByEvidence(
  hypotheses: readonly KbHypothesis[],
  ev: MessageEvent,
  facts: CertificateFacts = { events: [] },
): { hypotheses: KbHypothesis[]; verdict?: PrintedChainVerdict; proven?: KbHypothesis['cause'] } {
  const list = byContext(hypotheses, ev.context);
  const toFront = (h: KbHypothesis): void => {
    const i = list.findIndex((x) => x.cause === h.cause);
    if (i >= 0) list.splice(i, 1);
    list.unshift(h);
  };
  const existing = (cause: KbHypothesis['cause']) => list.find((h) => h.cause === cause);
  const verdict = list.some((h) => fixGroupOf(h.cause) === 'trust')
    ? byChain(list, ev, facts, toFront)
    : undefined;
  // PHP's ini shows no CA file for curl and OpenSSL: the client trusts no CA at all, whatever the chain.
  if (ev.context?.includes('ca-file-unset') && existing('untrusted-root') && !existing('pse-missing'))
    toFront(NO_CA_FILE);
  // The call names the server by its address: certificates name host names, an address almost never. For
  // a failed verification (a trust cause ranked first), not for a peer's alert or a protocol failure.
  const byAddress = existing('hostname-mismatch');
  const verification = fixGroupOf(list[0]?.cause ?? 'unknown') === 'trust';
  if (!verdict && verification && byAddress && ev.host && IP_LITERAL.test(ev.host))
    toFront({
      ...byAddress,
      why: `the call names the server by its address ${ev.host}; server certificates (an SAP system's too) name host names and rarely list an IP address, so the name check fails even when the chain is trusted`,
    });
  // The certificates themselves: a host the leaf does not name, then (it blocks whatever the trust store
  // holds) a member whose validity does not include now — read from the certificate, so it is proven.
  const named = facts.hostNotNamed;
  if (named) {
    const why = `the certificate shown beside the message names ${named.names.join(', ') || 'no DNS name'}, not ${named.host}`;
    const listed = existing('hostname-mismatch');
    if (listed) toFront({ ...listed, why });
    // The message is about something else; the name check fails next, once that is fixed.
    else
      list.splice(Math.min(1, list.length), 0, {
        cause: 'hostname-mismatch',
        why: `${why}: once the reported failure is fixed, the host name check fails`,
        tellsApart: `the subjectAltName list of the server certificate lacks ${named.host}`,
        collectNext:
          'the host name the client really uses (URL, destination) and the names the server certificate lists',
      });
  }
  // A hosts-file line pins the name called to an address: the name leads to that server, and a certificate
  // of another server is what a wrong address gives (the ICM's -30 rule reads the same line).
  const wrongHost = existing('wrong-host');
  const pinned = facts.pinned;
  // DNS (nslookup or dig in the paste) names another address than the pin: whatever certificate that
  // server presents (another name, an old expired one) is the wrong server's.
  const dnsDiffers = pinned?.dnsAddress !== undefined && pinned.dnsAddress !== pinned.address;
  // A message whose entry does not list the wrong server (a trust failure) still fits it when DNS and the
  // hosts file disagree: that server's certificate is what failed the check.
  const wrongServer =
    wrongHost ??
    (dnsDiffers && fixGroupOf(list[0]?.cause ?? 'unknown') === 'trust'
      ? {
          cause: 'wrong-host' as const,
          why: '',
          tellsApart: 'the address the client connects to is not the one DNS gives for the name',
          collectNext: `the hosts file of the client and what DNS answers for ${pinned?.host ?? 'the name'}`,
        }
      : undefined);
  if (pinned && wrongServer && (named || existing('hostname-mismatch') || dnsDiffers))
    toFront({
      ...wrongServer,
      why: dnsDiffers
        ? `a hosts-file line of the paste pins ${pinned.host} to ${pinned.address}, while DNS answers ${pinned.dnsAddress}: the client reaches the old or another server, and its certificate is that server's`
        : `a hosts-file line of the paste pins ${pinned.host} to ${pinned.address}: the name leads to that server, not to the one DNS names, and its certificate names another host`,
    });
  const out = facts.outOfDate;
  let proven: KbHypothesis['cause'] | undefined;
  // A message printed about the SAP side's own certificate (a proxy in front of it refusing it) lists the
  // expiry as its own; the dates prove it the same way.
  const expiredCause = existing('expired-peer-cert')
    ? 'expired-peer-cert'
    : existing('expired-own-cert')
      ? 'expired-own-cert'
      : undefined;
  if (out && expiredCause) {
    proven = expiredCause;
    toFront({
      ...existing(expiredCause)!,
      why: `the ${out.leaf ? "server's own certificate" : 'CA certificate'} "${out.name}" in the chain shown ${out.expired ? 'expired on' : 'is not valid before'} ${out.date} (read from the certificate itself); no trust store change helps until it is ${out.leaf ? 'renewed' : 'replaced in the chain the server sends'}`,
    });
  }
  return {
    hypotheses: list,
    ...(verdict ? { verdict } : {}),
    ...(proven ? { proven } : {}),
  };
}

/** A client without any CA file (the `ca-file-unset` fact): not a missing root, a missing bundle. */
const NO_CA_FILE: KbHypothesis = {
  cause: 'pse-missing',
  why: "the paste shows PHP's curl.cainfo and openssl.cafile empty or commented out: curl and OpenSSL in PHP then have no CA file at all (the usual state of a fresh Windows PHP), so no certificate, not even a public one, finds its issuer",
  tellsApart:
    'public HTTPS sites fail the same way from this PHP; php -i shows curl.cainfo and openssl.cafile without a value',
  collectNext:
    'php -i | findstr /i "cainfo cafile" (or grep), and whether a public HTTPS site works from the same PHP',
  fix: 'Give PHP a CA bundle (a current cacert.pem, plus the company root CA if the server uses one) and name it in curl.cainfo and openssl.cafile in php.ini, then restart PHP (the web server or PHP-FPM)',
};

/** An IPv4 address or a bracketed IPv6 one, as a URL's host. */
const IP_LITERAL = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:]{2,45}\])$/i;

/** Reorder the trust hypotheses by the printed chain; returns its verdict. */
function byChain(
  list: KbHypothesis[],
  ev: MessageEvent,
  facts: CertificateFacts,
  toFront: (h: KbHypothesis) => void,
): PrintedChainVerdict | undefined {
  const chain = facts.chain ?? ev.chain;
  const verdict = chain ? judgePrintedChain(chain) : undefined;
  const existing = (cause: KbHypothesis['cause']) => list.find((h) => h.cause === cause);
  if (!verdict?.interceptor && replacedOnTheWay(verdict, ev.host, chain) && existing('interception')) {
    toFront({
      cause: 'interception',
      why: `the chain printed for a public service ends in "${verdict!.rootDn}", which is no public CA: a TLS-inspecting proxy on the way replaced the certificate`,
      tellsApart:
        'the same host seen from outside the company network (or through another proxy) has a chain of a public CA',
      collectNext:
        'the root CA of the inspecting proxy from your security team, or an exemption of the host from inspection',
    });
  } else if (verdict?.interceptor) {
    toFront({
      cause: 'interception',
      why: `the chain the client received comes from "${verdict.interceptor}", a TLS-inspecting proxy or security product, not from the server's own CA`,
      tellsApart: `the CA names in the chain name ${verdict.interceptor}; the same host seen from outside the company network has another chain`,
      collectNext:
        'the root CA of the inspecting product from your security team, or an exemption of the host from inspection',
    });
  } else if (verdict?.leafOnly && existing('missing-intermediate')) {
    // A peer that refuses our certificate - the client certificate of a mutual-TLS call (a client that
    // names its certificate in the paste), or the server certificate a server's log shows its clients
    // refusing: the lone certificate printed may be that certificate of ours, and its missing intermediate
    // is the second suspect after the peer not trusting its CA at all.
    const lead = list[0]?.cause;
    if (
      (lead === 'client-cert-rejected' && ev.context?.includes('client-cert-auth')) ||
      (lead === 'own-cert-rejected' && ev.context?.includes('server-log'))
    ) {
      const mi = existing('missing-intermediate')!;
      list.splice(list.indexOf(mi), 1);
      list.splice(1, 0, mi);
    } else toFront(existing('missing-intermediate')!);
  } else if (verdict?.publicRoot && existing('untrusted-root')) {
    toFront({
      ...existing('untrusted-root')!,
      why: `the chain leads to the public root "${verdict.publicRoot.subject}", which the trust store in use lacks: a custom trust store replaced the default one, or the default one is outdated`,
      tellsApart:
        'the client uses a trust store of its own (javax.net.ssl.trustStore, a CA file option, a container without CA bundle) instead of the default public roots',
    });
  } else if (
    !verdict &&
    isPublicService(ev.host) &&
    existing('interception') &&
    (existing('untrusted-root') || existing('missing-intermediate'))
  ) {
    // Only a failed verification says the chain was not the public one; a refused version or cipher does not.
    toFront({
      cause: 'interception',
      why: `${ev.host} serves a public certificate chain that every default trust store accepts; failing to verify it means a TLS-inspecting proxy put its own certificate in, or the client uses a trust store without the public roots`,
      tellsApart:
        'the root of the chain seen from this machine is a proxy or security product (openssl s_client -connect <host>:443 -showcerts), while another network shows a public CA',
      collectNext:
        'the chain seen from this machine (openssl s_client -connect <host>:443 -showcerts) and the proxy settings (HTTPS_PROXY, a security agent)',
    });
  } else if (verdict && existing('untrusted-root') && !verdict.leafOnly) {
    toFront(existing('untrusted-root')!);
  }
  return verdict;
}

/**
 * Hypotheses whose `when:` facts the input states all come first (in their kb order), and so does the
 * hypothesis of a cause the input states outright (STATED_CAUSES); the others keep theirs. A 401 of a
 * destination that authenticates with a client certificate puts the certificate mapping first;
 * `encrypt=true` towards SAP HANA Cloud puts the allowlist before a missing encrypt.
 */
export function byContext(
  hypotheses: readonly KbHypothesis[],
  context: readonly string[] | undefined,
): KbHypothesis[] {
  if (!context || context.length === 0) return [...hypotheses];
  const stated = new Set(
    context.map((f) => STATED_CAUSES[f as KbContextFact]).filter((c) => c !== undefined),
  );
  // A certificate said to be expired: the entry's first expiry hypothesis, whichever side it names.
  const expiry = context.includes('expiry-stated')
    ? hypotheses.find((h) => h.cause === 'expired-peer-cert' || h.cause === 'expired-own-cert')
    : undefined;
  if (expiry) stated.add(expiry.cause);
  const fits = (h: KbHypothesis) =>
    (h.when !== undefined && h.when.every((f) => context.includes(f))) || stated.has(h.cause);
  // The hypothesis whose conditions say most about this input comes first (stable sort keeps kb order).
  const promoted = hypotheses.filter(fits).sort((a, b) => (b.when?.length ?? 0) - (a.when?.length ?? 0));
  return [...promoted, ...hypotheses.filter((h) => !fits(h))];
}

/** The trust store kind of a stack, for the import plan. */
function storeKindOf(stack: string): TrustStoreKind {
  if (stack === 'java') return 'java';
  if (stack === 'cloud-connector') return 'cloud-connector';
  if (stack === 'hana-client') return 'hana-client';
  return isSapStack(stack) ? 'sap-pse' : 'os';
}

/** The import plan naming the chain's top CA, for a trust cause judged on a printed chain. */
export function importFromChain(
  verdict: PrintedChainVerdict,
  cause: KbHypothesis['cause'],
  ev: MessageEvent,
  root?: CertificateInfo,
): ImportPlan | undefined {
  if (cause !== 'untrusted-root' && cause !== 'interception') return undefined;
  const store = storeKindOf(ev.stack);
  const storePath = store === 'java' ? ev.trustStore : undefined;
  // The root the server sends, pasted as PEM: the plan carries it (compare its fingerprint before trusting it).
  if (root && cause === 'untrusted-root' && !verdict.publicRoot) {
    return buildImportPlan({
      certificate: root,
      kind: root.isCA === false ? 'self-signed-peer' : 'root',
      source: 'peer-chain',
      store,
      ...(storePath ? { storePath } : {}),
    });
  }
  if (verdict.publicRoot && cause === 'untrusted-root') {
    return buildImportPlan({
      certificate: verdict.publicRoot,
      kind: 'root',
      source: 'bundled-roots',
      store,
      ...(storePath ? { storePath } : {}),
    });
  }
  return buildImportPlan({
    certificate: { subject: verdict.rootDn },
    kind: 'root',
    source: 'not-found',
    store,
    ...(storePath ? { storePath } : {}),
    howToObtain: obtainSteps(
      cause === 'interception' ? 'interceptionRoot' : verdict.rootInChain ? 'rootInChain' : 'privateRoot',
    ),
  });
}
