/**
 * @module What the rest of a paste changes in the ranking of a message's hypotheses: a printed chain
 * (openssl s_client, a Java debug dump) that names an inspecting proxy, leads to a public root, or holds
 * only the server's own certificate; a call to a public service whose chain is always public. Also the
 * import plan that names the chain's top CA, so no finding says "not shown" next to a printed chain.
 */
import type { KbHypothesis } from '../../kb/types.js';
import type { MessageEvent } from '../../model/evidence.js';
import type { ImportPlan } from '../../model/report.js';
import type { TrustStoreKind } from '../../pki/import-plan.js';
import { buildImportPlan, obtainSteps } from '../import-wording.js';
import { isPublicService, judgePrintedChain, type PrintedChainVerdict } from '../printed-chain.js';
import { fixGroupOf, isSapStack } from './stack-fixes.js';

/** The hypotheses of a message, reordered (or completed) by what else the input shows. */
export function rankByEvidence(
  hypotheses: readonly KbHypothesis[],
  ev: MessageEvent,
): { hypotheses: KbHypothesis[]; verdict?: PrintedChainVerdict } {
  const list = byContext(hypotheses, ev.context);
  if (!list.some((h) => fixGroupOf(h.cause) === 'trust')) return { hypotheses: list };
  const verdict = ev.chain ? judgePrintedChain(ev.chain) : undefined;
  const toFront = (h: KbHypothesis): void => {
    const i = list.findIndex((x) => x.cause === h.cause);
    if (i >= 0) list.splice(i, 1);
    list.unshift(h);
  };
  const existing = (cause: KbHypothesis['cause']) => list.find((h) => h.cause === cause);
  if (verdict?.interceptor) {
    toFront({
      cause: 'interception',
      why: `the chain the client received comes from "${verdict.interceptor}", a TLS-inspecting proxy or security product, not from the server's own CA`,
      tellsApart: `the CA names in the chain name ${verdict.interceptor}; the same host seen from outside the company network has another chain`,
      collectNext:
        'the root CA of the inspecting product from your security team, or an exemption of the host from inspection',
    });
  } else if (verdict?.leafOnly && existing('missing-intermediate')) {
    toFront(existing('missing-intermediate')!);
  } else if (verdict?.publicRoot && existing('untrusted-root')) {
    toFront({
      ...existing('untrusted-root')!,
      why: `the chain leads to the public root "${verdict.publicRoot.subject}", which the trust store in use lacks: a custom trust store replaced the default one, or the default one is outdated`,
      tellsApart:
        'the client uses a trust store of its own (javax.net.ssl.trustStore, a CA file option, a container without CA bundle) instead of the default public roots',
    });
  } else if (!verdict && isPublicService(ev.host) && existing('interception')) {
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
  return verdict ? { hypotheses: list, verdict } : { hypotheses: list };
}

/**
 * Hypotheses whose `when:` facts the input states all come first (in their kb order); the others keep
 * theirs. A 401 of a destination that authenticates with a client certificate puts the certificate
 * mapping first; `encrypt=true` towards SAP HANA Cloud puts the allowlist before a missing encrypt.
 */
export function byContext(
  hypotheses: readonly KbHypothesis[],
  context: readonly string[] | undefined,
): KbHypothesis[] {
  if (!context || context.length === 0) return [...hypotheses];
  const fits = (h: KbHypothesis) => h.when !== undefined && h.when.every((f) => context.includes(f));
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
): ImportPlan | undefined {
  if (cause !== 'untrusted-root' && cause !== 'interception') return undefined;
  const store = storeKindOf(ev.stack);
  const storePath = store === 'java' ? ev.trustStore : undefined;
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
