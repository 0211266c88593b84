/**
 * @module The PSE's object set: `SEQUENCE { AlgorithmIdentifier, GeneralizedTime, INTEGER, SET OF object }`,
 * each object `SEQUENCE { PrintableString name, GeneralizedTime, OID, value }`. Objects are classified by
 * name; secret-key objects are recognised and skipped without looking at their value; certificates are
 * collected from the others, including the PKRoot, which SECUDE stores in a split form.
 */
import {
  type Asn1Node,
  certificateShaped,
  childrenOf,
  contentOf,
  encodeDer,
  ID,
  isContext,
  isUniversal,
  PseFormatError,
  parseDer,
  rawOf,
  readOid,
  readString,
  readTime,
  TAGS,
} from './asn1.js';
import type { PseObjectKind } from './pse-types.js';

/**
 * Object names and the kind they map to. OIDs are given where a real file showed them (verified), the
 * rest are names from SECUDE/sapgenpse vocabulary (inferred; see docs/pse-format.md).
 */
export const PSE_OBJECT_NAMES: Record<string, { kind: PseObjectKind; oid?: string }> = {
  SKnew: { kind: 'private-key', oid: '1.3.36.2.3.4' },
  SKold: { kind: 'private-key' },
  SignSK: { kind: 'private-key' },
  DecSKnew: { kind: 'private-key' },
  DecSKold: { kind: 'private-key' },
  Cert: { kind: 'own-certificate', oid: '1.3.36.2.1.3' },
  SignCert: { kind: 'own-certificate' },
  EncCert: { kind: 'own-certificate' },
  PKRoot: { kind: 'root', oid: '1.3.36.2.5.1' },
  CertList: { kind: 'trusted-list', oid: '1.3.36.2.0' },
  PKList: { kind: 'trusted-list' },
  CSet: { kind: 'trusted-list' },
  CrossCSet: { kind: 'trusted-list' },
  FCPath: { kind: 'chain' },
  Certificates: { kind: 'chain' },
};

/** The OID arc under which SECUDE registers PSE object types (TeleTrusT 1.3.36, arc 2). */
export const PSE_OID_ARC = '1.3.36.2.';
/** Secret-key object types sit under this arc (SKnew is 1.3.36.2.3.4): never decoded, whatever the name. */
const KEY_OID_ARC = '1.3.36.2.3.';

/** Unreadable objects named one by one in warnings; the rest are counted. */
const MAX_SKIP_WARNINGS = 10;

/** Most certificates collected from one PSE (far above the largest real trust list). */
export const MAX_CERTIFICATES = 5000;

/** One raw object of the set: its value stays an asn1js view and is only read for non-key kinds. */
export interface RawPseObject {
  name: string;
  oid?: string;
  time?: string;
  kind: PseObjectKind;
  recognised: boolean;
  value?: Asn1Node;
}

/** The content, parsed down to its objects. */
export interface PseContent {
  /** OID of the PBE AlgorithmIdentifier repeated inside the content. */
  algorithmOid?: string;
  createdAt?: string;
  /** The INTEGER after the time (1 in every file seen; meaning unknown). */
  contentInteger?: number;
  objects: RawPseObject[];
  warnings: string[];
}

/** Decide an object's kind from its name and OID. A key-arc OID always wins (defence against odd names). */
export function classifyObject(
  name: string,
  oid: string | undefined,
): { kind: PseObjectKind; recognised: boolean } {
  if (oid?.startsWith(KEY_OID_ARC)) return { kind: 'private-key', recognised: name in PSE_OBJECT_NAMES };
  const known = PSE_OBJECT_NAMES[name];
  if (known) return { kind: known.kind, recognised: true };
  // Unknown names that still look like key objects are treated as keys, never decoded.
  if (/^(?:Dec|Sign|Enc)?SK/.test(name) || /SK(?:new|old)$/.test(name))
    return { kind: 'private-key', recognised: false };
  return { kind: 'other', recognised: false };
}

/**
 * Parse the plaintext content (views into `plaintext`; copy before wiping it). Key objects keep no
 * value, except the own key `SKnew` when `keepOwnKey` is set (only `openPseIdentity` asks, for mutual TLS).
 */
export function readPseContent(plaintext: Uint8Array, options: { keepOwnKey?: boolean } = {}): PseContent {
  const { node, trailing } = parseDer(plaintext, 'the PSE content');
  const warnings: string[] = [];
  if (trailing > 0) warnings.push(`${trailing} bytes after the PSE content were ignored`);
  if (!isUniversal(node, TAGS.SEQUENCE)) throw new PseFormatError('the content is not a SEQUENCE');
  const parts = childrenOf(node);
  const set = parts.find((p) => isUniversal(p, TAGS.SET));
  if (!set) throw new PseFormatError('the content has no object set');
  const content: PseContent = { objects: [], warnings };
  for (const part of parts) {
    if (part === set) continue;
    if (isUniversal(part, TAGS.SEQUENCE)) {
      const oid = readOid(childrenOf(part)[0]);
      if (oid) content.algorithmOid = oid;
    } else if (isUniversal(part, TAGS.GENERALIZED_TIME) || isUniversal(part, TAGS.UTC_TIME)) {
      const time = readTime(part);
      if (time) content.createdAt = time;
    } else if (isUniversal(part, TAGS.INTEGER)) {
      const bytes = contentOf(part);
      if (bytes.length <= 4) content.contentInteger = bytes.reduce((n, b) => n * 256 + b, 0);
    }
  }
  let skipped = 0;
  const skip = (text: string) => {
    skipped++;
    if (skipped <= MAX_SKIP_WARNINGS) warnings.push(text);
  };
  childrenOf(set).forEach((obj, index) => {
    let fields: Asn1Node[];
    try {
      fields = childrenOf(obj);
    } catch (err) {
      if (!(err instanceof PseFormatError)) throw err;
      skip(`object #${index + 1} is damaged (${err.message}); skipped`);
      return;
    }
    if (!isUniversal(obj, TAGS.SEQUENCE) || fields.length < 2) {
      skip(`object #${index + 1} is not a SEQUENCE of name, time, type and value; skipped`);
      return;
    }
    const name = readString(fields[0]);
    if (name === undefined) {
      skip(`object #${index + 1} has no name; skipped`);
      return;
    }
    let oid: string | undefined;
    let time: string | undefined;
    let value: Asn1Node | undefined;
    for (let i = 1; i < fields.length; i++) {
      const field = fields[i] as Asn1Node;
      const fieldOid = oid === undefined ? readOid(field) : undefined;
      if (fieldOid) oid = fieldOid;
      else if (
        time === undefined &&
        (isUniversal(field, TAGS.GENERALIZED_TIME) || isUniversal(field, TAGS.UTC_TIME))
      )
        time = readTime(field);
      else value = field;
    }
    const { kind, recognised } = classifyObject(name, oid);
    const raw: RawPseObject = { name, kind, recognised };
    if (oid) raw.oid = oid;
    if (time) raw.time = time;
    // Key objects keep no reference to their value: nothing downstream can reach it.
    if (value && (kind !== 'private-key' || (options.keepOwnKey && name === 'SKnew'))) raw.value = value;
    content.objects.push(raw);
  });
  if (skipped > MAX_SKIP_WARNINGS)
    warnings.push(`${skipped - MAX_SKIP_WARNINGS} more unreadable objects skipped`);
  return content;
}

/**
 * The PKRoot value: `SEQUENCE { Name subject, SEQUENCE { [0] version, INTEGER serial,
 * SubjectPublicKeyInfo, [1] Validity, [2] AlgorithmIdentifier, BIT STRING signature }, [0] Extensions }`.
 * (Verified against sapgenpse files; the trailing [0] is optional.)
 */
function readSplitRoot(
  node: Asn1Node,
): { subject: Asn1Node; key: Asn1Node[]; extensions?: Asn1Node } | undefined {
  if (!isUniversal(node, TAGS.SEQUENCE)) return undefined;
  const [subject, key, extensions, ...more] = childrenOf(node);
  if (!subject || !key || more.length > 0) return undefined;
  if (!isUniversal(subject, TAGS.SEQUENCE) || !isUniversal(key, TAGS.SEQUENCE)) return undefined;
  if (extensions && !isContext(extensions, 0)) return undefined;
  const parts = childrenOf(key);
  const last = parts[parts.length - 1];
  if (!isUniversal(last, TAGS.BIT_STRING)) return undefined;
  if (!parts.some((p) => isContext(p, 1)) || !parts.some((p) => isContext(p, 2))) return undefined;
  return { subject, key: parts, ...(extensions ? { extensions } : {}) };
}

/**
 * Re-assemble an X.509 certificate from the split PKRoot form. A root is self-issued, so its issuer is
 * its subject; the caller verifies the self-signature before trusting the result.
 */
export function assembleSplitRoot(node: Asn1Node): Buffer | undefined {
  const split = readSplitRoot(node);
  if (!split) return undefined;
  let version: Uint8Array | undefined;
  let serial: Uint8Array | undefined;
  let spki: Uint8Array | undefined;
  let validity: Uint8Array | undefined;
  let algorithm: Uint8Array | undefined;
  let signature: Uint8Array | undefined;
  for (const part of split.key) {
    if (isContext(part, 0)) version = rawOf(part);
    else if (isUniversal(part, TAGS.INTEGER)) serial = rawOf(part);
    else if (isUniversal(part, TAGS.SEQUENCE)) spki = rawOf(part);
    else if (isContext(part, 1)) validity = contentOf(part);
    else if (isContext(part, 2)) algorithm = contentOf(part);
    else if (isUniversal(part, TAGS.BIT_STRING)) signature = rawOf(part);
  }
  if (!serial || !spki || !validity || !algorithm || !signature) return undefined;
  const subject = rawOf(split.subject);
  const tbsParts = [
    ...(version ? [version] : []),
    serial,
    algorithm,
    subject,
    validity,
    subject,
    spki,
    ...(split.extensions ? [encodeDer(ID.CONTEXT_CONSTRUCTED(3), contentOf(split.extensions))] : []),
  ];
  const tbs = encodeDer(ID.SEQUENCE, ...tbsParts);
  return encodeDer(ID.SEQUENCE, tbs, algorithm, signature);
}

/**
 * A certificate-shaped element found in an object, in document order. Its DER is `bytes[start..end)`:
 * a place in the parse buffer (copy it before that buffer is wiped), or a new buffer when re-assembled.
 * Given as a place, not as a view: most certificates of a sec folder are found again in a cache by their
 * bytes, and need no view object of their own.
 */
export interface FoundCertificate {
  bytes: Uint8Array;
  start: number;
  end: number;
  /** True when re-assembled from the split PKRoot form. */
  assembled: boolean;
  /** A copy of the DER that outlives the parse buffer, once the reader has one (its certificate cache). */
  cached?: Buffer;
}

/** The DER of a found certificate, as a view (no copy). */
export function derOf(found: FoundCertificate): Uint8Array {
  return found.bytes.subarray(found.start, found.end);
}

/**
 * Collect certificates from an object value: a certificate itself, a PKRoot in split form, or any
 * nesting of SETs/SEQUENCEs of those (lists, FCPath).
 */
export function collectCertificates(
  value: Asn1Node | undefined,
  budget: { left: number },
): { found: FoundCertificate[]; damage?: string } {
  const out: FoundCertificate[] = [];
  const visit = (node: Asn1Node, depth: number): void => {
    if (budget.left <= 0 || depth > 12) return;
    // `SEQUENCE { SEQUENCE tbs, SEQUENCE algorithm, BIT STRING signature }` with a plausible TBS start.
    if (certificateShaped(node)) {
      budget.left--;
      out.push({ bytes: node.buf, start: node.start, end: node.end, assembled: false });
      return;
    }
    const assembled = assembleSplitRoot(node);
    if (assembled) {
      budget.left--;
      out.push({ bytes: assembled, start: 0, end: assembled.length, assembled: true });
      return;
    }
    // Primitive values (OCTET STRINGs) are not opened: certificates are stored as DER structure.
    const children = childrenOf(node);
    for (let i = 0; i < children.length; i++) visit(children[i] as Asn1Node, depth + 1);
  };
  try {
    if (value) visit(value, 0);
  } catch (err) {
    // A damaged element inside one object: keep what was found before it.
    if (!(err instanceof PseFormatError)) throw err;
    return { found: out, damage: err.message };
  }
  return { found: out };
}
