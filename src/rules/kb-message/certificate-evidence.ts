/**
 * @module What the certificates of the same input prove about a message: the PEM blocks pasted beside it
 * (an error report with the server certificate, `openssl s_client -showcerts`, curl output with the
 * chain below) and the dates a client tool printed next to its chain. They give the chain to judge when
 * no chain lines were printed (its top CA is the one to import), the validity read from the certificate
 * itself (an expired member proves the expiry), and the names of the leaf to compare with the host called.
 */
import type { CertificateInfo } from '../../model/certificate.js';
import type {
  CertificateFileEvent,
  EvidenceEvent,
  MessageEvent,
  PrintedCertificate,
} from '../../model/evidence.js';
import { sameDn } from '../../pki/dn.js';
import { checkHostName } from '../../pki/verify.js';

/** What the certificates of one input prove for one message. */
export interface CertificateFacts {
  /** The chain to judge, leaf first: the printed one (with key ids and dates the PEMs add) or the pasted one. */
  chain?: PrintedCertificate[];
  /** The self-signed top of the pasted chain (the root the server sends), with its PEM. */
  rootCertificate?: CertificateInfo;
  /** A member of the chain whose validity does not include now. */
  outOfDate?: { name: string; date: string; expired: boolean; leaf: boolean };
  /** The host called is not among the leaf certificate's names. */
  hostNotNamed?: { host: string; names: string[] };
  /** A hosts-file line of the same input pins the host called to an address (trace-info `resolved`). */
  pinned?: { host: string; address: string; dnsAddress?: string };
  /** The certificate events the facts rest on (they become the finding's evidence). */
  events: CertificateFileEvent[];
}

/** The pasted certificate events of one input, leaf first. */
export function pastedCertificates(
  events: readonly EvidenceEvent[] | undefined,
  input: number,
): CertificateFileEvent[] {
  return (events ?? []).filter(
    (e): e is CertificateFileEvent =>
      e.kind === 'certificates' && e.pasted === true && e.source.input === input,
  );
}

function printed(c: CertificateInfo, line: number, depth: number): PrintedCertificate {
  return {
    subject: c.subject,
    ...(c.issuer ? { issuer: c.issuer } : {}),
    ...(c.authorityKeyId
      ? { authorityKeyId: c.authorityKeyId.replace(/[^0-9a-fA-F]/g, '').toLowerCase() }
      : {}),
    ...(c.notBefore ? { notBefore: c.notBefore } : {}),
    ...(c.notAfter ? { notAfter: c.notAfter } : {}),
    depth,
    line,
  };
}

/** The common name of a DN, else the DN (for messages). */
function nameOf(dn: string | undefined): string {
  const cn = /(?:^|,\s*)CN=([^,]{1,200})/i.exec(dn ?? '')?.[1];
  return (cn ?? dn ?? 'a certificate of the chain').trim();
}

/** Judge message `ev` with the certificates of its input (pasted PEMs) and the dates printed beside it. */
export function certificateFacts(
  ev: MessageEvent,
  pasted: readonly CertificateFileEvent[],
  now: Date,
): CertificateFacts {
  const certs = pasted.flatMap((e) => e.certificates);
  const line = pasted[0]?.source.line ?? ev.source.line;
  let chain = ev.chain ? ev.chain.map((c) => ({ ...c })) : undefined;
  if (certs.length > 0) {
    if (!chain || chain.length === 0) chain = certs.map((c, i) => printed(c, line, i));
    else
      for (const c of chain) {
        const p = certs.find((x) => c.subject && sameDn(x.subject, c.subject));
        if (!p) continue;
        if (!c.authorityKeyId && p.authorityKeyId)
          c.authorityKeyId = p.authorityKeyId.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
        if (!c.notAfter && p.notAfter) c.notAfter = p.notAfter;
        if (!c.notBefore && p.notBefore) c.notBefore = p.notBefore;
      }
  }
  const facts: CertificateFacts = { events: [...pasted] };
  if (chain && chain.length > 0) facts.chain = chain;
  const top = certs[certs.length - 1];
  if (
    top?.selfSigned &&
    chain &&
    chain.length > 0 &&
    sameDn(top.subject, chain[chain.length - 1]!.subject ?? '')
  )
    facts.rootCertificate = top;
  // Validity: the first member (leaf first) whose window does not hold now.
  const t = now.getTime();
  for (const [i, c] of (chain ?? []).entries()) {
    const after = c.notAfter ? Date.parse(c.notAfter) : Number.NaN;
    const before = c.notBefore ? Date.parse(c.notBefore) : Number.NaN;
    if (after < t || before > t) {
      facts.outOfDate = {
        name: nameOf(c.subject),
        date: new Date(after < t ? after : before).toISOString().slice(0, 10),
        expired: after < t,
        leaf: i === 0,
      };
      break;
    }
  }
  // Names: the leaf of the pasted chain against the host the input shows the client calling.
  const leafSubject = chain?.[0]?.subject;
  const leaf = certs.find((c) => leafSubject && sameDn(c.subject, leafSubject)) ?? certs[0];
  if (ev.host && leaf && !leaf.isCA && (leaf.subjectAltNames?.length ?? 0) > 0) {
    const check = checkHostName(ev.host, leaf, 'san-only');
    if (!check.ok) facts.hostNotNamed = { host: ev.host, names: check.names.slice(0, 8) };
  }
  return facts;
}
