/**
 * @module Opens one PSE file: recognises what it is, checks the PIN before decrypting where the format
 * allows, decrypts, reads the object set and maps the certificates to the shared model. Every way it can
 * fail is a ToolError whose `data.problem` is the PseProblemEvent problem; private keys are never decoded.
 */
import { X509Certificate as NodeX509 } from 'node:crypto';
import { isToolError, ToolError, type ToolErrorCode } from '../../model/errors.js';
import { describeDer, plainParseReason } from '../../pki/certificate-info.js';
import { type Asn1Node, PseFormatError } from './asn1.js';
import {
  looksLikePseContainer,
  type PseContainer,
  PseUnopenable,
  readPseContainer,
} from './pse-container.js';
import {
  decryptBlock,
  decryptFirstBlock,
  derivePbeKey,
  KNOWN_UNSUPPORTED_PBE,
  MAX_PBE_ITERATIONS,
  matchesContentDigest,
  matchesPinCheck,
  PBE_ALGORITHMS,
  type PbeKey,
} from './pse-crypto.js';
import {
  collectCertificates,
  derOf,
  type FoundCertificate,
  MAX_CERTIFICATES,
  PSE_OBJECT_NAMES,
  PSE_OID_ARC,
  readPseContent,
} from './pse-objects.js';
import type { PseCertificate, PseContents, PseObjectSummary, PseProblem } from './pse-types.js';
import { isCredV2Name } from './sniff.js';

/** Largest file accepted as a PSE. Real ones are a few KiB; huge trust lists stay well below 1 MiB. */
export const MAX_PSE_BYTES = 8 * 1024 * 1024;

export interface OpenPseOptions {
  /** Name used in messages (file name as given). */
  name: string;
  /** The PIN, when the user gave one. Never stored, logged or returned. */
  pin?: string | undefined;
  /**
   * Only for `openPseIdentity` (mutual TLS): called with the own private-key object (`SKnew`) while the
   * decrypted content still exists. The reader itself never sets it, so it never looks inside a key.
   */
  onOwnKey?: (value: Asn1Node, contents: PseContents) => void;
}

const PROBLEM_CODES: Record<PseProblem, ToolErrorCode> = {
  'pin-required': 'pin-required',
  'wrong-pin': 'wrong-pin',
  lps: 'lps-protected',
  'cred-v2': 'cred-v2',
  corrupt: 'corrupt-pse',
  'not-a-pse': 'corrupt-pse',
  unsupported: 'unsupported-pse',
};

/** A ToolError for a PSE that cannot be opened; `data.problem` carries the PseProblemEvent problem. */
export function pseError(problem: PseProblem, name: string, reason?: string): ToolError {
  return new ToolError(PROBLEM_CODES[problem], { name, problem, ...(reason ? { reason } : {}) });
}

/** The PSE problem a thrown error stands for, or undefined when it is not a PSE ToolError. */
export function pseProblemOf(err: unknown): { problem: PseProblem; message: string } | undefined {
  if (!isToolError(err)) return undefined;
  const problem = err.data.problem;
  if (typeof problem !== 'string' || !(problem in PROBLEM_CODES)) return undefined;
  return { problem: problem as PseProblem, message: err.message };
}

/** Offset of the first element inside a DER SEQUENCE header at 0, or undefined. */
function firstChildOffset(bytes: Uint8Array): number | undefined {
  const lenByte = bytes[1];
  if (lenByte === undefined) return undefined;
  if (lenByte < 0x80) return 2;
  const n = lenByte & 0x7f;
  return n >= 1 && n <= 4 ? 2 + n : undefined;
}

/** What DER bytes that start like a PKCS#12 file or a certificate are, else undefined. */
function foreignDerShape(bytes: Uint8Array): string | undefined {
  if (bytes[0] !== 0x30) return undefined;
  const at = firstChildOffset(bytes);
  if (at === undefined) return undefined;
  // PKCS#12 is SEQUENCE { INTEGER 3, SEQUENCE … }; a certificate is SEQUENCE { SEQUENCE { [0] … } }.
  if (bytes[at] === 0x02 && bytes[at + 1] === 0x01 && bytes[at + 2] === 0x03 && bytes[at + 3] === 0x30)
    return 'it looks like a PKCS#12 (.p12/.pfx) file: pass it as a certificate input with its password';
  if (bytes[at] === 0x30 && bytes[at + 1] !== undefined) {
    const inner = at + (firstChildOffset(bytes.subarray(at)) ?? 2);
    if (bytes[inner] === 0xa0)
      return 'it is an X.509 certificate (DER), not a PSE: pass it as a certificate input';
  }
  return undefined;
}

/** Say what a non-PSE file probably is, so the user knows where to feed it instead. */
function describeForeignBytes(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 64)).toString('latin1');
  if (head.includes('-----BEGIN')) return 'it is PEM text (a certificate or key file), not a PSE';
  if (bytes[0] === 0x30) return foreignDerShape(bytes) ?? 'its DER structure is not a PSE container';
  let printable = 0;
  const sample = bytes.subarray(0, 512);
  for (const b of sample) if (b === 9 || b === 10 || b === 13 || (b >= 0x20 && b < 0x7f)) printable++;
  if (sample.length > 0 && printable / sample.length > 0.9) return 'it is a text file, not a binary PSE';
  return 'it is not DER-encoded';
}

/** Foreign DER files recognised with certainty (checked before the PSE container). */
const FOREIGN_DER = /PKCS#12|X\.509 certificate/;

/** Cipher parameters and PIN checks; returns the plaintext (caller wipes it). */
function decryptContainer(container: PseContainer, name: string, pin: string | undefined): Buffer {
  const oid = container.algorithmOid ?? 'unknown';
  if (!PBE_ALGORITHMS[oid]) {
    const known = KNOWN_UNSUPPORTED_PBE[oid];
    throw pseError('unsupported', name, `its content is encrypted with ${known ? `${known} (${oid})` : oid}`);
  }
  const pbe = container.pbe;
  if (!pbe)
    throw pseError('corrupt', name, 'the encryption parameters (salt, iteration count) are unreadable');
  if (pbe.iterations < 1 || pbe.iterations > MAX_PBE_ITERATIONS) {
    throw pseError(
      'corrupt',
      name,
      `the iteration count ${pbe.iterations} is outside 1…${MAX_PBE_ITERATIONS}`,
    );
  }
  if (pin === undefined || pin === '') throw pseError('pin-required', name);
  let key: PbeKey | undefined;
  try {
    key = derivePbeKey(pin, pbe);
    if (container.pinCheck) {
      // v2: the PIN check value is the PIN encrypted with the content key: compare before decrypting.
      if (!matchesPinCheck(key, pin, container.pinCheck)) throw pseError('wrong-pin', name);
    } else {
      // v4 has no PIN check value: the first cipher block must decrypt to the content's DER header.
      const first = decryptFirstBlock(key, container.body);
      if (!first || !startsLikeContent(first, container.body.length)) throw pseError('wrong-pin', name);
    }
    const plain = decryptBlock(key, container.body);
    if (!plain)
      throw pseError('corrupt', name, 'the PIN is right but the content does not decrypt (damaged file)');
    return plain;
  } finally {
    key?.wipe();
  }
}

/** Does a decrypted first block start with `SEQUENCE` whose length fits the ciphertext size? */
function startsLikeContent(first: Uint8Array, cipherLength: number): boolean {
  if (first[0] !== 0x30) return false;
  const lenByte = first[1] as number;
  let total: number;
  if (lenByte < 0x80) total = 2 + lenByte;
  else {
    const n = lenByte & 0x7f;
    if (n < 1 || n > 4) return false;
    let len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (first[2 + i] as number);
    total = 2 + n + len;
  }
  // PKCS#7 padding adds 1…8 bytes.
  return total < cipherLength && total >= cipherLength - 8;
}

/**
 * Open a PSE held in memory. Throws a ToolError (with `data.problem`) when it cannot be opened:
 * pin-required, wrong-pin, lps, cred-v2, corrupt, not-a-pse, unsupported. The decrypted content is
 * wiped before returning; the caller should wipe `bytes` too once done (a plain PSE holds its key in clear).
 */
export function openPse(bytes: Uint8Array, options: OpenPseOptions): PseContents {
  const { name } = options;
  if (isCredV2Name(name)) throw pseError('cred-v2', name);
  if (bytes.length === 0) throw pseError('not-a-pse', name, 'the file is empty');
  if (bytes.length > MAX_PSE_BYTES) {
    throw pseError(
      'not-a-pse',
      name,
      `it is ${bytes.length} bytes, above the ${MAX_PSE_BYTES}-byte limit for a PSE`,
    );
  }
  // Described only when it may be foreign: a PSE's bytes need no description.
  if (bytes[0] !== 0x30 || foreignDerShape(bytes) !== undefined) {
    const foreign = describeForeignBytes(bytes);
    if (bytes[0] !== 0x30 || FOREIGN_DER.test(foreign)) throw pseError('not-a-pse', name, foreign);
  }

  let container: PseContainer;
  try {
    container = readPseContainer(bytes);
  } catch (err) {
    if (err instanceof PseUnopenable) throw pseError(err.problem, name, err.reason);
    if (err instanceof PseFormatError) {
      // A DER error on a file that starts like a PSE means it is damaged or cut; otherwise it is foreign.
      if (looksTruncated(bytes)) throw pseError('corrupt', name, `the file is cut short (${err.message})`);
      if (looksLikePseContainer(bytes)) throw pseError('corrupt', name, err.message);
      throw pseError('not-a-pse', name, describeForeignBytes(bytes));
    }
    throw err;
  }

  const warnings: string[] = [];
  if (container.trailing > 0)
    warnings.push(`${container.trailing} bytes after the PSE container were ignored`);
  if (container.version !== 2 && container.version !== 4) {
    warnings.push(
      `container version ${container.version} has not been seen before; read by its ${container.layout} shape`,
    );
  }

  const plaintext = container.encrypted ? decryptContainer(container, name, options.pin) : undefined;
  const content = plaintext ?? container.body;
  try {
    if (container.layout === 'v4') {
      if (!container.digest) warnings.push('the v4 content digest is missing');
      else if (!matchesContentDigest(content, container.digest)) {
        if (container.encrypted)
          throw pseError('corrupt', name, 'the decrypted content fails its SHA-1 check (damaged file)');
        warnings.push('the content does not match its SHA-1 check value: the file was modified or damaged');
      }
    }
    let parsed: ReturnType<typeof readPseContent>;
    try {
      parsed = readPseContent(content, { keepOwnKey: Boolean(options.onOwnKey) });
    } catch (err) {
      if (err instanceof PseFormatError) throw pseError('corrupt', name, err.message);
      throw err;
    }
    const contents = buildContents(container, parsed, warnings);
    if (options.onOwnKey) {
      const key = parsed.objects.find((o) => o.name === 'SKnew' && o.kind === 'private-key');
      if (key?.value) options.onOwnKey(key.value, contents);
    }
    return contents;
  } finally {
    plaintext?.fill(0);
  }
}

/** A file whose outer header promises more bytes than exist was cut short (copy or transfer). */
function looksTruncated(bytes: Uint8Array): boolean {
  if (bytes[0] !== 0x30 || bytes.length < 4) return false;
  const lenByte = bytes[1] as number;
  if (lenByte < 0x80) return 2 + lenByte > bytes.length;
  const n = lenByte & 0x7f;
  if (n < 1 || n > 4 || bytes.length < 2 + n) return false;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + (bytes[2 + i] as number);
  return 2 + n + len > bytes.length && bytes[2 + n] === 0x02;
}

function buildContents(
  container: PseContainer,
  parsed: ReturnType<typeof readPseContent>,
  warnings: string[],
): PseContents {
  warnings.push(...parsed.warnings);
  const alg = container.pbe ?? undefined;
  const contents: PseContents = {
    version: container.version,
    protection: container.encrypted ? 'pin' : 'none',
    ownChain: [],
    trusted: [],
    duplicateEntries: [],
    otherCertificates: [],
    objects: [],
    hasPrivateKey: false,
    warnings,
  };
  if (alg) {
    const name = PBE_ALGORITHMS[alg.oid]?.name ?? KNOWN_UNSUPPORTED_PBE[alg.oid];
    contents.encryption = { oid: alg.oid, iterations: alg.iterations, ...(name ? { name } : {}) };
  }
  if (parsed.createdAt) contents.createdAt = parsed.createdAt;

  const budget = { left: MAX_CERTIFICATES };
  const toCertificates = (
    objectName: string,
    value: Parameters<typeof collectCertificates>[0],
  ): PseCertificate[] => {
    const out: PseCertificate[] = [];
    const { found, damage } = collectCertificates(value, budget);
    found.forEach((cert, index) => {
      const described = describeCached(cert, objectName, index, warnings);
      if (described) out.push(described);
    });
    if (damage)
      warnings.push(
        `object ${objectName} is damaged (${damage}); certificates after the damage were not read`,
      );
    return out;
  };

  const listSeen = new Map<string, { subject: string; count: number }>();
  /** The SHA-256 of every certificate in `contents.trusted` so far. */
  const trustedShas = new Set<string | undefined>();
  const chain: PseCertificate[] = [];
  for (const obj of parsed.objects) {
    const summary: PseObjectSummary = {
      name: obj.name,
      kind: obj.kind,
      certificates: 0,
      recognised: obj.recognised,
    };
    if (obj.oid) summary.oid = obj.oid;
    if (obj.time) summary.time = obj.time;
    contents.objects.push(summary);
    const expected = PSE_OBJECT_NAMES[obj.name]?.oid;
    if (expected && obj.oid && obj.oid !== expected) {
      warnings.push(`object ${obj.name} has type ${obj.oid}, not the ${expected} seen in sapgenpse files`);
    }
    if (obj.oid && !obj.oid.startsWith(PSE_OID_ARC)) {
      warnings.push(`object ${obj.name} has type ${obj.oid}, outside the PSE object arc ${PSE_OID_ARC}x`);
    }
    if (obj.kind === 'private-key') {
      contents.hasPrivateKey = true;
      if (!obj.recognised)
        warnings.push(`object ${obj.name} (${obj.oid ?? 'no type'}) looks like key material; left unread`);
      continue;
    }
    const certs = toCertificates(obj.name, obj.value);
    summary.certificates = certs.length;
    switch (obj.kind) {
      case 'own-certificate':
        if (!contents.own && certs[0]) contents.own = certs[0];
        else if (certs.length > 0) warnings.push(`a second own-certificate object (${obj.name}) was ignored`);
        break;
      case 'root':
        if (certs[0]) contents.root = certs[0];
        break;
      case 'trusted-list':
        for (let i = 0; i < certs.length; i++) {
          const cert = certs[i] as PseCertificate;
          const sha = cert.info.sha256 ?? '';
          const seen = listSeen.get(sha);
          if (seen) seen.count++;
          else listSeen.set(sha, { subject: cert.info.subject, count: 1 });
          if (!trustedShas.has(sha)) {
            contents.trusted.push(cert);
            trustedShas.add(cert.info.sha256);
          }
        }
        break;
      case 'chain':
        chain.push(...certs);
        break;
      default:
        contents.otherCertificates.push(...certs);
        warnings.push(
          `object ${obj.name} (${obj.oid ?? 'no type'}) is not known to pse-doctor` +
            (certs.length ? `; its ${certs.length} certificate(s) are listed apart, not as trusted` : ''),
        );
    }
  }
  if (budget.left <= 0) warnings.push(`only the first ${MAX_CERTIFICATES} certificates were read`);
  listSeen.forEach(({ subject, count }, sha256) => {
    if (count > 1) contents.duplicateEntries.push({ sha256, subject, count });
  });
  // The PKRoot is a trust anchor too (SECUDE's root of trust); list it once.
  const root = contents.root;
  if (root && !contents.trusted.some((t) => t.info.sha256 === root.info.sha256)) contents.trusted.push(root);
  const ownSha = contents.own?.info.sha256;
  for (const cert of [...chain, ...(root ? [root] : [])]) {
    if (cert.info.sha256 === ownSha) continue;
    if (!contents.ownChain.some((c) => c.info.sha256 === cert.info.sha256)) contents.ownChain.push(cert);
  }
  return contents;
}

/**
 * Described certificates, shared across PSEs: a sec folder repeats the same CAs in many PSEs, and
 * parsing a certificate costs far more than finding it again. Looked up by the certificate's last bytes
 * (its signature) and confirmed by comparing the whole DER, so a hit is the very same certificate. Public
 * data only; bounded. A failure is kept as its reason text.
 *
 * `plain` is the result for the DER as stored, `split` for the same DER re-assembled from a PKRoot (which
 * must also verify as self-signed). Each is derived from the other where that gives the same answer: a
 * description that says self-signed has passed that very check (its own key verifies it), and a
 * re-assembled root that passed is described as the stored one is.
 */
interface Described {
  der: Buffer;
  plain?: PseCertificate['info'] | string;
  split?: PseCertificate['info'] | string;
}
type Description = PseCertificate['info'] | string;
const DESCRIBED = new Map<number, Described[]>();
const MAX_DESCRIBED = 10_000;
let describedCount = 0;

/**
 * A number from the length and last eight bytes (signature bytes) of `bytes[start..end)`: equal DER, equal
 * key; buckets tell apart.
 */
function lookupKey(bytes: Uint8Array, start: number, end: number): number {
  let h = end - start;
  for (let i = Math.max(start, end - 8); i < end; i++) h = (Math.imul(h, 31) + (bytes[i] as number)) | 0;
  return h;
}

/**
 * The description of a found certificate (stored as is, or re-assembled from a PKRoot), from the cache
 * when there; `found.cached` is set to the cache's copy of its bytes. Its bytes are compared where they
 * lie; only a certificate not seen before is copied.
 */
function describedOnce(found: FoundCertificate): Description {
  const { bytes, start, end, assembled } = found;
  const key = lookupKey(bytes, start, end);
  let bucket = DESCRIBED.get(key);
  let hit = bucket?.find((d) => d.der.length === end - start && d.der.compare(bytes, start, end) === 0);
  if (!hit) {
    if (describedCount >= MAX_DESCRIBED) {
      DESCRIBED.clear();
      describedCount = 0;
      bucket = undefined;
    }
    hit = { der: Buffer.from(derOf(found)) };
    if (bucket) bucket.push(hit);
    else DESCRIBED.set(key, [hit]);
    describedCount++;
  }
  if (assembled) {
    if (hit.split === undefined) {
      // Described as stored first: when that says self-signed, the re-assembled root passes its check
      // and gets the same description, without parsing and verifying it a second time.
      hit.plain ??= describeOrReason(hit.der, false);
      const known = hit.plain;
      hit.split =
        typeof known !== 'string' && known.selfSigned === true ? known : describeOrReason(hit.der, true);
    }
    found.cached = hit.der;
    return hit.split;
  }
  if (hit.plain === undefined) {
    const known = hit.split;
    hit.plain = known !== undefined && typeof known !== 'string' ? known : describeOrReason(hit.der, false);
  }
  found.cached = hit.der;
  return hit.plain;
}

/**
 * A found certificate (in the PSE's bytes) described; on failure a warning naming the object and entry,
 * and null. `der` of the result is the cache's copy of the bytes, shared by every PSE that holds the same
 * certificate (read-only, like all public certificate bytes here); `info` is a copy per PSE.
 */
function describeCached(
  found: FoundCertificate,
  objectName: string,
  index: number,
  warnings: string[],
): PseCertificate | null {
  const description = describedOnce(found);
  if (typeof description === 'string') {
    warnings.push(`${objectName}: entry #${index + 1} ${description}`);
    return null;
  }
  // A copy of the description per PSE: findings and renderers must never share one mutable object
  // across lists.
  return { der: found.cached as Buffer, info: { ...description }, object: objectName };
}

/** Describe a certificate, or say why it cannot be used. Re-assembled roots must verify themselves. */
function describeOrReason(der: Buffer, assembled: boolean): PseCertificate['info'] | string {
  try {
    if (assembled) {
      const node = new NodeX509(der);
      if (!node.verify(node.publicKey))
        return '(a root stored in split form) does not verify as self-signed; not used';
    }
    return describeDer(der);
  } catch (err) {
    // The parser's own words ("… ASN1 schema") say nothing an admin can act on.
    const reason = plainParseReason(err instanceof Error ? (err.message.split('\n')[0] ?? '') : 'unreadable');
    return `is not a readable certificate: ${reason.slice(0, 200)}`;
  }
}
