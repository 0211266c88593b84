/**
 * @module `landscape --targets … --probe`: the PSE a call uses does not trust the chain its server sends
 * today (judged as SAP's ICM judges: exactly that PSE's certificate list), on some or all instances.
 */
import type { TrustList } from '../../model/certificate.js';
import type { EvidenceEvent, LandscapeTargetEvent, TrustListEvent } from '../../model/evidence.js';
import type { ImportPlan } from '../../model/report.js';
import { describePse } from '../../pki/pse-nodes.js';
import { verifyWithProfile } from '../../pki/verify.js';
import { reportCertificate } from '../certificate-facts.js';
import { problemSentence } from '../chain-problem.js';
import { defineRule } from '../define.js';
import { buildImportPlan } from '../import-wording.js';
import { groupLandscape, instancesText } from '../landscape-lists.js';

export default defineRule({
  id: 'landscape-target-untrusted',
  causes: ['untrusted-root', 'missing-intermediate', 'expired-peer-cert', 'hostname-mismatch', 'pse-missing'],
  needs: ['landscape-target'],
  uses: ['trust-list'],
  kb: ['SSSLERR_PEER_CERT_UNTRUSTED', 'STRUST'],
  rank: 10,
  messages: () => ({
    untrusted: {
      title: 'Calls of {system} to {host}:{port} fail today on {failing}: {pse} does not trust the server',
      summary:
        'The server {host}:{port} sent a chain that {pse} on {failing} would refuse as the ICM does: {reason}{okNote|}',
      steps: [
        'Import the certificate named below into {node|the PSE} in STRUST on {system} ("Import certificate" → "Add to certificate list") and save; STRUST distributes it to every instance.',
        'On a host without STRUST: "sapgenpse maintain_pk -p {pseFile} -a <certificate file>".',
        'Restart the ICM unless STRUST reported TRUST086 (SMICM → Administration → ICM → Exit Soft).',
      ],
      confirm: [
        'A fresh landscape run that probes the targets reports no failing call to {host}:{port}; SM59 "Connection Test" succeeds.',
      ],
    },
    noPse: {
      title: '{system} has no {pse} for its call to {host}:{port}',
      summary:
        'The targets file says {system} calls {host}:{port} through {pse}, but no instance of {system} has that PSE: the call fails with SSSLERR_CRED_NOT_FOUND (ICM code 414).',
      steps: [
        'Check the SSL certificate setting of the destination (SM59 → Logon & Security → SSL Certificate) and the targets file.',
        'Create the PSE in STRUST ("SSL client identity" or the standard SSL client node) and import the server\'s root CA into it.',
      ],
    },
    unreachable: {
      title: '{host}:{port} (called by {system}) could not be probed: {error}',
      summary:
        'No TLS handshake with {host}:{port} completed from this machine ({error}), so whether {pse} trusts its chain is not known. The network path from here may differ from the one of {system}.',
      collect: [
        {
          text: 'Probe it from a host in the network of {system}: "pse-doctor probe {host}:{port} --trust {pseFile}".',
          web: 'Probe {host}:{port} from a host in the network of {system} (Probe page, with {pseFile} as the trust list).',
          action: { kind: 'field', page: 'probe' },
        },
      ],
    },
  }),
  check({ events, now }, { report }) {
    const systems = new Map(groupLandscape(events['trust-list']).map((s) => [s.system, s]));
    for (const target of events['landscape-target'] as LandscapeTargetEvent[]) {
      const probe = target.probe;
      if (!probe) continue;
      const described = describePse(target.pse);
      const pseName = `${target.pse}${described.node ? ` (${described.node})` : ''}`;
      const base = {
        system: target.system,
        host: target.host,
        port: target.port,
        pse: pseName,
        pseFile: target.pse,
        node: described.node,
      };
      const pse = {
        file: target.pse,
        basename: target.pse,
        ...(described.node ? { node: described.node } : {}),
      };
      const where = { host: target.host, port: target.port };
      const sys = systems.get(target.system);
      const copies = [...(sys?.byPse.get(target.pse.toUpperCase())?.at.values() ?? [])].filter(
        (c): c is typeof c & { list: TrustList; event: TrustListEvent } => c.list !== undefined,
      );
      // Where the call is made from: the instances holding the PSE (all of the system when none does).
      const callers = copies.length ? copies.map((c) => c.instance) : (sys?.instances ?? []);
      const place = { system: target.system, instances: callers };
      if (!probe.ok || !probe.certificates?.length) {
        report({
          message: 'unreachable',
          data: { ...base, error: probe.error ?? 'no certificate received' },
          cause: 'untrusted-root',
          confidence: 'possible',
          severity: 'info',
          role: 'client',
          target: where,
          events: [target],
          landscape: place,
          pse,
        });
        continue;
      }
      if (copies.length === 0) {
        report({
          message: 'noPse',
          data: base,
          cause: 'pse-missing',
          confidence: 'certain',
          severity: 'error',
          role: 'client',
          target: where,
          events: [target],
          landscape: place,
          pse,
        });
        continue;
      }
      const failing: {
        instance: string;
        event: TrustListEvent;
        verdict: ReturnType<typeof verifyWithProfile>;
      }[] = [];
      for (const c of copies) {
        const verdict = verifyWithProfile('sap-icm', {
          chain: probe.certificates,
          host: target.host,
          now,
          trust: c.list.certificates,
          trustName: pseName,
        });
        if (!verdict.ok) failing.push({ instance: c.instance, event: c.event, verdict });
      }
      const firstFail = failing[0];
      if (!firstFail) continue;
      const v = firstFail.verdict;
      const problem = v.first;
      const missing = problem?.missing;
      let plan: ImportPlan | undefined;
      if (
        missing &&
        (problem?.kind === 'root-missing' ||
          problem?.kind === 'intermediate-missing' ||
          problem?.kind === 'self-signed')
      ) {
        plan = buildImportPlan({
          certificate: missing.cert ?? { subject: missing.subject },
          kind: problem.kind === 'self-signed' ? 'self-signed-peer' : missing.kind,
          source: missing.source ?? 'not-found',
          pses: [described],
        });
      }
      const ok = copies.filter((c) => !failing.some((f) => f.instance === c.instance)).map((c) => c.instance);
      // The target line and the PSE copies that refuse its chain.
      const sources: EvidenceEvent[] = [target, ...failing.map((f) => f.event)];
      report({
        message: 'untrusted',
        data: {
          ...base,
          failing: instancesText(failing.map((f) => f.instance)),
          reason: problem ? problemSentence(problem, v.listName) : v.kind,
          okNote: ok.length
            ? ` On ${instancesText(ok)} the same call works: the PSE differs between the instances.`
            : undefined,
        },
        cause: v.sap?.cause ?? 'untrusted-root',
        confidence: 'certain',
        severity: 'error',
        role: 'client',
        target: where,
        landscape: { system: target.system, instances: failing.map((f) => f.instance) },
        ...(v.sap?.error ? { errorCode: v.sap.error } : {}),
        ...(v.sap?.icm ? { relatedCodes: [v.sap.icm] } : {}),
        events: sources,
        pse,
        certificates: probe.certificates.map((c, i) =>
          reportCertificate(c, i === 0 ? 'leaf' : c.selfSigned ? 'root' : 'intermediate'),
        ),
        ...(plan ? { import: plan } : {}),
        ...(v.sap?.kb ? { kb: v.sap.kb } : {}),
      });
    }
  },
});
