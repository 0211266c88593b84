/**
 * @module The web probe: the same handshakes and judgement as `pse-doctor probe`, with the trust list, client
 * identity and proxy taken from the form. Secrets live for this one call only.
 */
import { readEvidence } from '../analyze.js';
import { unreadableTrust } from '../evidence/trust-readable.js';
import type { CertificateInfo, TrustList } from '../model/certificate.js';
import type { EvidenceEvent, InputSummary } from '../model/evidence.js';
import type { Report } from '../model/report.js';
import { dedupeCertificates } from '../pki/chain.js';
import { describePse } from '../pki/pse-nodes.js';
import { loadClientIdentity } from '../probe/client-identity.js';
import { buildProbeReport, parseProbeTarget, probeEndpoint } from '../probe/index.js';
import { parseProxy } from '../probe/target.js';
import type { HandshakeAttempt, ProbeResult } from '../probe/types.js';
import { ApiError } from './api-error.js';
import { allowedProbeAddress, type Resolver } from './probe-guard.js';
import type { ProbeRequest } from './services.js';

/** `host` + `port` from the form, or the target as typed (`host:port`, `https://…`). */
function targetText(request: ProbeRequest): string {
  if (request.port === undefined || request.target.includes('://')) return request.target;
  const host = request.target.replace(/:\d{1,5}$/, '');
  return `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${request.port}`;
}

/** Reads the trust files with the shared readers and merges them into the one list the ICM would hold. */
async function readTrust(
  files: { name: string; bytes: Buffer }[],
  pin: string | undefined,
): Promise<{ list: TrustList; inputs: { summary: InputSummary; events: EvidenceEvent[] }[] }> {
  const evidence = await readEvidence(
    files.map((f) => ({ name: f.name, bytes: f.bytes })),
    { unopenedPse: 'report', ...(pin ? { secrets: { get: async () => pin } } : {}) },
  );
  // As `probe --trust` exits 2: a list that could not be opened is never judged as an empty one.
  for (const [i, input] of evidence.inputs.entries()) {
    const unreadable = unreadableTrust(
      input.name,
      evidence.events.filter((e) => e.source.input === i),
    );
    if (unreadable) throw new ApiError(422, 'trust-unreadable', unreadable);
  }
  const certs: CertificateInfo[] = [];
  let named: TrustList | undefined;
  // The probe is input 0 of its report: trust inputs follow it.
  const inputs = evidence.inputs.map((summary, i) => ({
    summary,
    events: evidence.events
      .filter((e) => e.source.input === i)
      .map((e) => ({ ...e, source: { ...e.source, input: i + 1 } }) as EvidenceEvent),
  }));
  for (const e of evidence.events) {
    if (e.kind === 'trust-list') {
      certs.push(...e.list.certificates);
      if (!named && e.list.node) named = e.list;
    } else if (e.kind === 'certificates') certs.push(...e.certificates);
  }
  const list: TrustList = { storeKind: 'sap-pse', certificates: dedupeCertificates(certs) };
  const single = files.length === 1 ? files[0]?.name : undefined;
  const pse = describePse(named?.basename ?? single ?? 'trust list');
  if (named?.file ?? single) list.file = named?.file ?? single ?? '';
  if (named?.basename ?? pse.basename) list.basename = named?.basename ?? pse.basename ?? '';
  const node = named?.node ?? pse.node;
  if (node) list.node = node;
  else if (files.length > 1) list.basename = `${files.length} files`;
  return { list, inputs };
}

/** The web probe never shows what a non-TLS service sent: it would make the server a banner-grabbing oracle. */
function withoutNonTlsBytes(result: ProbeResult): ProbeResult {
  const scrub = (a: HandshakeAttempt | undefined): HandshakeAttempt | undefined =>
    a?.nonTls ? { ...a, nonTls: { kind: a.nonTls.kind, firstLine: '(not shown by the web probe)' } } : a;
  const main = scrub(result.main) as HandshakeAttempt;
  const sniCompare = scrub(result.sniCompare);
  return {
    ...result,
    main,
    ...(sniCompare ? { sniCompare } : {}),
    attempts: result.attempts.map((a) => scrub(a) as HandshakeAttempt),
  };
}

/** What the web probe may reach (see probe-guard.ts): public addresses, private ones when allowed. */
export interface ProbeReach {
  allowPrivate: boolean;
  allowLoopback?: boolean;
  resolver?: Resolver;
}

/**
 * Probes as the form asks and diagnoses the result. With `reach`, the target (or, through a proxy, the
 * proxy and the target's name) is resolved and every address checked first; the probe then connects
 * to the checked address, so the name cannot switch addresses in between.
 */
export async function probeFromForm(
  request: ProbeRequest,
  now = new Date(),
  reach?: ProbeReach,
): Promise<Report> {
  const target = parseProbeTarget(targetText(request));
  const proxy = request.proxy ? parseProxy(request.proxy) : undefined;
  if (reach) {
    const check = (host: string) =>
      allowedProbeAddress(host, reach.allowPrivate, reach.resolver, Boolean(reach.allowLoopback));
    if (proxy) {
      proxy.host = await check(proxy.host);
      // The proxy resolves the target itself; still refuse a target this server sees as internal.
      await check(target.host).catch((err: unknown) => {
        if (!(err instanceof ApiError) || err.code !== 'probe-dns') throw err;
      });
    } else target.address = await check(target.host);
  }
  const trust = request.trust?.length ? await readTrust(request.trust, request.trustPin) : undefined;
  const clientIdentity = request.clientCert
    ? loadClientIdentity({
        name: request.clientCert.name,
        bytes: request.clientCert.bytes,
        ...(request.clientSecret !== undefined
          ? { pin: request.clientSecret, password: request.clientSecret }
          : {}),
      })
    : undefined;
  const { result } = await probeEndpoint(target, {
    sni: request.sni !== false,
    ...(proxy ? { proxy } : {}),
    ...(clientIdentity ? { clientIdentity } : {}),
  });
  return buildProbeReport({
    result: reach ? withoutNonTlsBytes(result) : result,
    ...(trust ? { trust: trust.list, trustInputs: trust.inputs } : {}),
    now,
  }).report;
}
