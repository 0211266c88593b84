/**
 * @module Test helper: the text `sapgenpse maintain_pk -l` and `get_my_name -v` print for a PSE, written from
 * certificate DER with node:crypto (not with pse-doctor's readers), in the layouts of
 * src/readers/sapgenpse/samples (labels padded with MD5/SHA1 fingerprints, or unpadded with SHA256).
 */
import { createHash, X509Certificate } from 'node:crypto';

export type ListingLayout = 'padded' | 'unpadded';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `Mon Jun  1 12:00:00 2026 (260601120000Z)`: ctime as a host with TZ=UTC prints it, ASN.1 time beside it. */
function listingTime(d: Date): string {
  const ctime = `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
  const year = d.getUTCFullYear();
  const rest = `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;
  // UTCTime until 2049, GeneralizedTime after (RFC 5280 §4.1.2.5).
  return `${ctime} (${year < 2050 ? String(year).slice(2) : year}${rest})`;
}

/** SAP's DN form: most specific first, `, ` between attributes (node prints the RDNs in encoding order). */
function sapDn(nodeDn: string): string {
  return nodeDn.split('\n').reverse().join(', ');
}

const colons = (hex: string) => (hex.toUpperCase().match(/../g) ?? []).join(':');

function keyInfo(x: X509Certificate): string {
  const k = x.publicKey;
  const d = k.asymmetricKeyDetails;
  if (k.asymmetricKeyType === 'rsa') return `RSA, ${d?.modulusLength}-bit`;
  if (k.asymmetricKeyType === 'ec') return `EC, ${d?.namedCurve === 'prime256v1' ? 256 : 384}-bit`;
  return String(k.asymmetricKeyType);
}

/** One certificate's `label: value` block. */
function certificateBlock(der: Uint8Array, layout: ListingLayout, list: boolean): string[] {
  const x = new X509Certificate(der);
  const serial = colons(x.serialNumber.length % 2 ? `0${x.serialNumber}` : x.serialNumber);
  const from = listingTime(new Date(x.validFrom));
  const to = listingTime(new Date(x.validTo));
  if (layout === 'unpadded') {
    return [
      ...(list ? ['Version:2 (X.509v3-1997)'] : []),
      `${list ? 'SubjectName' : 'Subject'}:${sapDn(x.subject)}`,
      `${list ? 'IssuerName' : 'Issuer'}:${sapDn(x.issuer)}`,
      `${list ? 'SerialNumber' : 'Serialno'}:${serial}`,
      `Validity - NotBefore:${from}`,
      `NotAfter:${to}`,
      `KeyInfo:${keyInfo(x)}`,
      `Fingerprint (SHA256):${x.fingerprint256}`,
    ];
  }
  if (!list) {
    return [
      `   Subject : ${sapDn(x.subject)}`,
      `   Issuer  : ${sapDn(x.issuer)}`,
      `   Serialno: ${serial}`,
      `   KeyInfo : ${keyInfo(x)}`,
      `   Validity  -  NotBefore: ${from}`,
      `                NotAfter:  ${to}`,
    ];
  }
  return [
    '   Version      : 2 (X.509v3-1997)',
    `   SubjectName  : ${sapDn(x.subject)}`,
    `   IssuerName   : ${sapDn(x.issuer)}`,
    `   SerialNumber : ${serial}`,
    `   Validity  -  NotBefore: ${from}`,
    `                NotAfter:  ${to}`,
    `   KeyInfo      : ${keyInfo(x)}`,
    `   Certificate fingerprint (MD5)  : ${colons(createHash('md5').update(der).digest('hex'))}`,
    `   Certificate fingerprint (SHA1) : ${x.fingerprint}`,
  ];
}

/** `sapgenpse maintain_pk -l -p <pse>`: the PSE's certificate list. */
export function maintainPkListing(
  path: string,
  trusted: readonly Uint8Array[],
  layout: ListingLayout,
): string {
  const out =
    layout === 'padded'
      ? [` Opening PSE "${path}"...`, ' PSE (v4) open ok.', ' retrieving PKList', ' PKList:']
      : [`/usr/sap/ABC/SYS/exe/run> sapgenpse maintain_pk -l -p ${path}`];
  for (const [i, der] of trusted.entries()) {
    out.push(layout === 'padded' ? ` Element #${i + 1}:` : `Element #${i + 1}:`);
    if (layout === 'padded') out.push(' ----------------------------------------');
    out.push(...certificateBlock(der, layout, true));
  }
  return `${out.join('\n')}\n`;
}

/** `sapgenpse get_my_name -v -p <pse>`: own certificate, FCPath levels and the PKRoot. */
export function getMyNameListing(
  path: string,
  own: Uint8Array,
  chain: readonly Uint8Array[],
  root: Uint8Array | undefined,
): string {
  const rule = '--------------------------------------------------------------------------';
  const out = [` Opening PSE "${path}"...`, ' PSE (v4) open ok.', ' Retrieving my certificate... ok.', rule];
  out.push(' MY Certificate:', ...certificateBlock(own, 'padded', false), rule);
  for (const [i, der] of chain.entries())
    out.push(` FCPath certificate level #${i + 1}:`, ...certificateBlock(der, 'padded', false), rule);
  if (root) out.push(' PKRoot Certificate:', ...certificateBlock(root, 'padded', false), rule);
  return `${out.join('\n')}\n`;
}
