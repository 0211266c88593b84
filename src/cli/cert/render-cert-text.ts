/**
 * @module Text view of the `cert` command: each input's certificates leaf first, SAP-style (subject,
 * issuer, validity, key, fingerprints, Mozilla root status, PKCS#12 friendly names).
 */
import type { CertificateInfo } from '../../model/certificate.js';
import type { EvidenceEvent, InputSummary } from '../../model/evidence.js';
import { findRoot } from '../../pki/root-store.js';
import { type ChainPosition, chainPositions } from '../../readers/x509/chain-order.js';
import type { CertificateContainer } from '../../readers/x509/read-certificates.js';
import { CONTAINER_NAMES } from '../../readers/x509/reader.js';
import { weaknessOf } from '../../rules/weak-certificate/rule.js';

/** Days before expiry that the text output marks a certificate as expiring soon. */
const SOON_DAYS = 30;

/** One input as `cert` read it. */
export interface CertInput {
  name: string;
  summary: InputSummary;
  events: EvidenceEvent[];
  lines: Record<string, string>;
  container?: CertificateContainer;
}

/** Colon-separated upper-case hex of a fingerprint. */
function colonFingerprint(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}

function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** Validity line with days left or an expired / not-yet-valid mark. */
export function describeValidity(cert: CertificateInfo, now: Date): string {
  if (!cert.notAfter && !cert.notBefore) return 'not shown';
  const from = cert.notBefore ? formatTime(cert.notBefore) : '?';
  const to = cert.notAfter ? formatTime(cert.notAfter) : '?';
  const day = 86_400_000;
  let mark = '';
  if (cert.notAfter && Date.parse(cert.notAfter) < now.getTime()) {
    const ago = Math.floor((now.getTime() - Date.parse(cert.notAfter)) / day);
    mark = `EXPIRED ${ago} day${ago === 1 ? '' : 's'} ago`;
  } else if (cert.notBefore && Date.parse(cert.notBefore) > now.getTime()) {
    const until = Math.ceil((Date.parse(cert.notBefore) - now.getTime()) / day);
    mark = `NOT YET VALID (starts in ${until} day${until === 1 ? '' : 's'})`;
  } else if (cert.notAfter) {
    const left = Math.floor((Date.parse(cert.notAfter) - now.getTime()) / day);
    mark = left <= SOON_DAYS ? `expires in ${left} day${left === 1 ? '' : 's'}` : `${left} days left`;
  }
  return `${from} → ${to}${mark ? `  [${mark}]` : ''}`;
}

/** What Node's bundled Mozilla store says about a certificate. */
function mozillaStatus(cert: CertificateInfo): string {
  try {
    if (cert.sha256 && findRoot({ sha256: cert.sha256 }))
      return 'yes: this exact certificate is a bundled root';
    if (cert.selfSigned) {
      const same = findRoot({ dn: cert.subject });
      if (!same) return 'no';
      if (cert.sha256) return 'no (a bundled root has the same name but is a different certificate)';
      if (cert.sha1) {
        return same.sha1 === cert.sha1
          ? 'yes: same SHA-1 fingerprint as a bundled root'
          : 'no (a bundled root has the same name but another fingerprint)';
      }
      // Listings often print no fingerprint: name and serial are the best match available.
      return same.serial === cert.serial
        ? 'yes: a bundled root has the same name and serial'
        : 'a bundled root has the same name, but another serial';
    }
    if (cert.issuer) {
      const query = cert.authorityKeyId
        ? { dn: cert.issuer, keyId: cert.authorityKeyId }
        : { dn: cert.issuer };
      const root = findRoot(query);
      if (root) return `no; its issuer is the bundled root "${root.subject}"`;
    }
  } catch {
    // An unparsable DN only means we cannot say.
  }
  return 'no';
}

const POSITION_LABEL: Record<ChainPosition | 'trusted' | 'own' | 'chain', string> = {
  leaf: 'leaf',
  intermediate: 'intermediate CA',
  root: 'root CA',
  unknown: 'certificate',
  trusted: 'trusted',
  own: 'own certificate',
  chain: 'chain',
};

function renderCertificate(
  out: string[],
  cert: CertificateInfo,
  index: number,
  label: string,
  now: Date,
  extra: { friendlyName?: string } = {},
): void {
  const field = (name: string, value: string | undefined) => {
    if (value) out.push(`      ${name.padEnd(14)}${value}`);
  };
  out.push(`  [${index}] ${label}: ${cert.subject || '(subject not shown)'}`);
  field('Name in file', extra.friendlyName);
  field('Issuer', cert.issuer);
  field('Serial', cert.serial);
  field('Valid', describeValidity(cert, now));
  if (cert.key) {
    const weakKey = weaknessOf({ key: cert.key }).length > 0 ? '  [WEAK: below 2048-bit RSA / P-256]' : '';
    const size = cert.key.curve ? cert.key.curve : cert.key.size ? String(cert.key.size) : '';
    field('Key', `${cert.key.algorithm}${size ? ` ${size}` : ''}${weakKey}`);
  }
  if (cert.signatureAlgorithm) {
    const weak = weaknessOf({
      signatureAlgorithm: cert.signatureAlgorithm,
      ...(cert.selfSigned !== undefined ? { selfSigned: cert.selfSigned } : {}),
    }).find((w) => w.kind === 'md5' || w.kind === 'sha1');
    field(
      'Signature',
      `${cert.signatureAlgorithm}${weak ? `  [WEAK: ${weak.kind === 'md5' ? 'MD5' : 'SHA-1'}]` : ''}`,
    );
  }
  field('SAN', cert.subjectAltNames?.join(', '));
  field('SKI', cert.subjectKeyId);
  field('AKI', cert.authorityKeyId);
  field('AIA issuers', cert.aiaIssuers?.join(', '));
  if (cert.isCA !== undefined) field('CA', cert.isCA ? 'yes' : 'no (end entity)');
  if (cert.selfSigned) field('Self-signed', 'yes');
  field('SHA-256', cert.sha256 ? colonFingerprint(cert.sha256) : undefined);
  field('SHA-1', cert.sha1 ? colonFingerprint(cert.sha1) : undefined);
  if (cert.sha256 || cert.issuer) field('Mozilla store', mozillaStatus(cert));
}

export function renderInput(out: string[], input: CertInput, now: Date): void {
  const { summary } = input;
  const format = input.container ? CONTAINER_NAMES[input.container.container] : 'sapgenpse listing';
  for (const event of input.events) {
    if (event.kind === 'certificates') {
      const n = event.certificates.length;
      out.push(
        `${summary.name} — ${format}, ${n} certificate${n === 1 ? '' : 's'}${n > 1 ? ', leaf first' : ''}`,
      );
      const protection = input.container?.protection;
      if (protection?.encryption.length)
        out.push(
          `  Protected with ${[...new Set(protection.encryption)].join(', ')}${protection.mac ? `; MAC ${protection.mac}` : ''}`,
        );
      const positions = chainPositions(event.certificates);
      const names = friendlyNames(input.container, event.certificates);
      event.certificates.forEach((c, i) => {
        renderCertificate(
          out,
          c,
          i + 1,
          POSITION_LABEL[positions[i] ?? 'unknown'],
          now,
          names[i] ? { friendlyName: names[i] } : {},
        );
      });
    } else if (event.kind === 'trust-list') {
      const { list } = event;
      const n = list.certificates.length;
      const where = list.node ? ` for ${list.basename ?? list.file} (STRUST: ${list.node})` : '';
      out.push(`${summary.name} — ${format}: trust list${where}, ${n} certificate${n === 1 ? '' : 's'}`);
      list.certificates.forEach((c, i) => {
        renderCertificate(out, c, i + 1, POSITION_LABEL.trusted, now);
      });
    } else if (event.kind === 'sapgenpse') {
      const pse = event.pseNode?.node ? `${event.pseFile} (STRUST: ${event.pseNode.node})` : event.pseFile;
      if (event.error) {
        out.push(
          `${summary.name} — sapgenpse ${event.command ?? ''} error${pse ? ` for ${pse}` : ''}: ${event.error.message}`,
        );
        continue;
      }
      if (event.request) {
        out.push(
          `${summary.name} — sapgenpse ${event.command ?? 'get_pse'}: certificate REQUEST${pse ? ` for ${pse}` : ''} (not a certificate)`,
        );
        if (event.request.subject) out.push(`      ${'Subject'.padEnd(14)}${event.request.subject}`);
        if (event.request.keyType)
          out.push(
            `      ${'Key'.padEnd(14)}${event.request.keyType}${event.request.keySize ? ` ${event.request.keySize}` : ''}`,
          );
        continue;
      }
      out.push(
        `${summary.name} — sapgenpse ${event.command ?? 'get_my_name'}${pse ? ` for ${pse}` : ''}${event.ssoUser ? `, SSO user ${event.ssoUser}` : ''}`,
      );
      let i = 1;
      if (event.own) renderCertificate(out, event.own, i++, POSITION_LABEL.own, now);
      for (const c of event.chain ?? [])
        renderCertificate(out, c, i++, c.selfSigned ? 'PKRoot' : 'FCPath', now);
    }
  }
  for (const w of summary.warnings) out.push(`  note: ${w}`);
  out.push('');
}

function friendlyNames(
  container: CertificateContainer | undefined,
  ordered: CertificateInfo[],
): (string | undefined)[] {
  if (!container?.friendlyNames) return [];
  const bySha = new Map<string, string>();
  container.certificates.forEach((c, i) => {
    const name = container.friendlyNames?.[i];
    if (c.sha256 && name) bySha.set(c.sha256, name);
  });
  return ordered.map((c) => (c.sha256 ? bySha.get(c.sha256) : undefined));
}
