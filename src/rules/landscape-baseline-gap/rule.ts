/**
 * @module A PSE lacks roots that a baseline says must be trusted (SAP's BTP trust store, a partner's list
 * of roots): calls to servers that chain to those roots fail with SSSLERR_PEER_CERT_UNTRUSTED.
 */
import type { CertificateInfo, TrustList } from '../../model/certificate.js';
import type { EvidenceEvent, LandscapeTargetEvent } from '../../model/evidence.js';
import { holdsSameCa } from '../../pki/chain.js';
import { normalizeDn } from '../../pki/dn.js';
import { describePse } from '../../pki/pse-nodes.js';
import { certificateName, reportCertificate } from '../certificate-facts.js';
import { defineRule } from '../define.js';
import { buildImportPlan } from '../import-wording.js';
import { groupLandscape, instancesText } from '../landscape-lists.js';
import { certificateFileName, reportPseOf } from '../pse-trust-lists.js';

/** Most roots named in a finding's text (all are in `certificates`). */
const MAX_NAMED = 6;

/** Does a PSE's list hold `root` (same certificate, or the same CA by name and key)? */
export function createHoldsCheck(): (list: TrustList, root: CertificateInfo) => boolean {
  const dnCache = new Map<string, string>();
  const norm = (dn: string) => {
    let v = dnCache.get(dn);
    if (v === undefined) {
      try {
        v = normalizeDn(dn);
      } catch {
        v = dn;
      }
      dnCache.set(dn, v);
    }
    return v;
  };
  const index = new WeakMap<TrustList, { sha: Set<string>; byDn: Map<string, CertificateInfo[]> }>();
  return (list, root) => {
    let idx = index.get(list);
    if (!idx) {
      idx = { sha: new Set(), byDn: new Map() };
      for (const c of list.certificates) {
        if (c.sha256) idx.sha.add(c.sha256.toLowerCase());
        const k = norm(c.subject);
        const arr = idx.byDn.get(k) ?? [];
        arr.push(c);
        idx.byDn.set(k, arr);
      }
      index.set(list, idx);
    }
    if (root.sha256 && idx.sha.has(root.sha256.toLowerCase())) return true;
    return (idx.byDn.get(norm(root.subject)) ?? []).some((c) => holdsSameCa(c, root) !== undefined);
  };
}

/**
 * The PSEs a baseline is compared with. By default (`client`) the PSEs of outbound calls: every SSL client
 * PSE (Anonymous, Standard, SSL client identities) and any PSE a target names. `server` adds the SSL server
 * PSEs (a baseline of client CAs that inbound mutual TLS must accept), `all` every PSE, a file name that PSE.
 */
export function inBaselineScope(
  list: TrustList,
  scope: readonly string[] | undefined,
  targetPses: ReadonlySet<string>,
): boolean {
  const name = (list.basename ?? list.file ?? '').toUpperCase();
  const tokens = scope?.length ? scope : ['client'];
  if (tokens.includes('all') || tokens.includes(name)) return true;
  if (tokens.includes('client') && (list.context === 'SSLC' || targetPses.has(name))) return true;
  return tokens.includes('server') && list.context === 'SSLS';
}

export default defineRule({
  id: 'landscape-baseline-gap',
  causes: ['untrusted-root'],
  needs: ['trust-list'],
  uses: ['landscape-target'],
  kb: ['STRUST', 'SSSLERR_PEER_CERT_UNTRUSTED'],
  rank: 20,
  messages: () => ({
    gap: {
      title: '{pse} on {system} lacks {count} root(s) of the baseline {baseline}',
      summary:
        'The certificate list of {pse} on {system} ({instances}) does not hold {count} of the {total} certificates of {baseline}: {names}. Servers whose chains end in one of them are not trusted: calls through this PSE to them fail with SSSLERR_PEER_CERT_UNTRUSTED.{callsNote|}',
      steps: [
        'Import the missing roots (take them from the baseline {baselineFile}; each is also named below) into {node|the PSE} in STRUST on {system}: "Import certificate" → "Add to certificate list" for each, then save (STRUST distributes the PSE to every instance).',
        'On a host without STRUST: "sapgenpse maintain_pk -p {pseFile} -a <root>.crt" for each, e.g. "sapgenpse maintain_pk -p {pseFile} -a {firstFile}".',
        'Restart the ICM unless STRUST reported TRUST086 (SMICM → Administration → ICM → Exit Soft).',
      ],
      confirm: [
        'A fresh landscape run with the baseline {baselineFile} no longer reports a gap for {pseFile} on {system}.',
      ],
    },
  }),
  check({ events }, { report }) {
    const baselines = events['trust-list'].filter((e) => e.list.baseline !== undefined);
    if (baselines.length === 0) return;
    const targets = (events['landscape-target'] ?? []) as LandscapeTargetEvent[];
    const targetPses = new Set(targets.map((t) => t.pse.toUpperCase()));
    const holds = createHoldsCheck();
    for (const sys of groupLandscape(events['trust-list'])) {
      for (const { name, at } of sys.byPse.values()) {
        const present = [...at.values()].filter((c) => c.list);
        if (present.length === 0) continue;
        for (const base of baselines) {
          const copies = present.filter(
            (c) => c.list && inBaselineScope(c.list, base.list.baselineScope, targetPses),
          );
          const first = copies[0]?.list;
          if (!first) continue;
          const roots = base.list.certificates;
          // Missing root → instances lacking it.
          const lacking = new Map<CertificateInfo, string[]>();
          for (const c of copies) {
            for (const root of roots) {
              if (c.list && holds(c.list, root)) continue;
              const arr = lacking.get(root) ?? [];
              arr.push(c.instance);
              lacking.set(root, arr);
            }
          }
          if (lacking.size === 0) continue;
          const all = copies.map((c) => c.instance);
          const missing = [...lacking.entries()];
          const names = missing.slice(0, MAX_NAMED).map(([root, on]) => {
            const where = on.length === all.length ? '' : ` (on ${instancesText(on)})`;
            return `"${certificateName(root)}"${where}`;
          });
          if (missing.length > MAX_NAMED) names.push(`and ${missing.length - MAX_NAMED} more`);
          const calls = targets
            .filter((t) => t.system === sys.system && t.pse.toUpperCase() === name.toUpperCase())
            .map((t) => `${t.host}:${t.port}`);
          const firstRoot = missing[0]?.[0];
          const lackingOn = [...new Set(missing.flatMap(([, on]) => on))].sort();
          const sources: EvidenceEvent[] = [
            ...copies.map((c) => c.event),
            base,
            ...targets.filter((t) => t.system === sys.system && t.pse.toUpperCase() === name.toUpperCase()),
          ];
          report({
            message: 'gap',
            data: {
              pse: `${name}${first.node ? ` (${first.node})` : ''}`,
              pseFile: name,
              node: first.node,
              system: sys.system,
              instances: instancesText(lackingOn),
              baseline: base.list.baseline,
              baselineFile: base.list.file,
              count: missing.length,
              total: roots.length,
              names: names.join(', '),
              firstFile: firstRoot ? certificateFileName(firstRoot) : undefined,
              callsNote: calls.length
                ? ` Calls of ${sys.system} through this PSE: ${calls.join(', ')}; each breaks as soon as its server moves to one of these roots.`
                : undefined,
            },
            cause: 'untrusted-root',
            confidence: 'certain',
            severity: 'warning',
            events: sources,
            landscape: { system: sys.system, instances: lackingOn },
            pse: { ...reportPseOf(first), file: name },
            certificates: missing.map(([root]) => reportCertificate(root, 'root')),
            ...(firstRoot
              ? {
                  import: buildImportPlan({
                    certificate: firstRoot,
                    kind: 'root',
                    source: 'input',
                    pses: [describePse(name)],
                    reason:
                      missing.length === 1
                        ? `The root of ${base.list.baseline} that ${name} on ${sys.system} lacks.`
                        : `The first of ${missing.length} roots of ${base.list.baseline} that ${name} on ${sys.system} lacks; the others are imported the same way.`,
                  }),
                }
              : {}),
          });
        }
      }
    }
  },
});
