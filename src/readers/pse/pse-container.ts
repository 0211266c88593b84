/**
 * @module The outer layer of a PSE file: version, protection (plain or PIN) and the content bytes.
 *
 * Shapes verified against sapgenpse-made files (see docs/pse-format.md):
 * - v2 plain:     SEQUENCE { INTEGER 2, SEQUENCE content }
 * - v2 with PIN:  SEQUENCE { INTEGER 2, [0] { OCTET STRING pinCheck, AlgorithmIdentifier, OCTET STRING ciphertext } }
 * - v4:           SEQUENCE { INTEGER 4, [3] { INTEGER encrypted(1)/plain(0), AlgorithmIdentifier,
 *                                              OCTET STRING body, OCTET STRING sha1(plaintext) } }
 * The layout is chosen by shape ([0], [3] or a bare SEQUENCE), not by the version number alone, so a
 * version seen for the first time still opens when its shape is known.
 */
import {
  type Asn1Node,
  childrenOf,
  contentOf,
  isContext,
  isUniversal,
  PseFormatError,
  parseDer,
  readOid,
  readSmallInteger,
  TAGS,
} from './asn1.js';
import type { PbeParameters } from './pse-crypto.js';
import { isLpsVersion } from './sniff.js';

export { isLpsVersion, looksLikePseContainer } from './sniff.js';

/** The outer layer, before any decryption. Byte fields are views into the file buffer. */
export interface PseContainer {
  version: number;
  layout: 'v2-plain' | 'v2-pin' | 'v4';
  encrypted: boolean;
  /** PBE scheme of the AlgorithmIdentifier (present in every shape seen so far). */
  pbe?: PbeParameters;
  /** OID of the AlgorithmIdentifier even when its parameters are unreadable. */
  algorithmOid?: string;
  /** v2: the PIN encrypted under the content key (checked before decrypting). */
  pinCheck?: Uint8Array;
  /** Ciphertext when `encrypted`, else the plaintext content (DER). */
  body: Uint8Array;
  /** v4: SHA-1 of the plaintext content. */
  digest?: Uint8Array;
  /** v4: the protection flag as stored (0 plain, 1 PIN). */
  protectionFlag?: number;
  /** Bytes after the outer SEQUENCE (ignored, reported). */
  trailing: number;
}

/** A container that is recognised but cannot be opened here, with the reason. */
export class PseUnopenable extends Error {
  constructor(
    readonly problem: 'lps' | 'unsupported',
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'PseUnopenable';
  }
}

/** Read `AlgorithmIdentifier { OID, SEQUENCE { OCTET STRING salt, INTEGER iterations } }`. */
function readPbe(node: Asn1Node | undefined): { oid?: string; pbe?: PbeParameters } {
  if (!isUniversal(node, TAGS.SEQUENCE)) return {};
  const [oidNode, params] = childrenOf(node);
  const oid = readOid(oidNode);
  if (!oid) return {};
  const [saltNode, iterNode] = childrenOf(params);
  const iterations = readSmallInteger(iterNode);
  if (!saltNode || !isUniversal(saltNode, TAGS.OCTET_STRING) || iterations === undefined) return { oid };
  return { oid, pbe: { oid, salt: contentOf(saltNode), iterations } };
}

function octets(node: Asn1Node | undefined): Uint8Array | undefined {
  return node && isUniversal(node, TAGS.OCTET_STRING) && !node.constructed ? contentOf(node) : undefined;
}

/**
 * Parse the outer layer. Throws PseFormatError when the bytes are not a PSE container, PseUnopenable
 * for LPS and unknown layouts.
 */
export function readPseContainer(bytes: Uint8Array): PseContainer {
  const { node, trailing } = parseDer(bytes, 'the file');
  if (!isUniversal(node, TAGS.SEQUENCE)) throw new PseFormatError('it does not start with a DER SEQUENCE');
  const [versionNode, inner, ...rest] = childrenOf(node);
  const version = readSmallInteger(versionNode);
  if (version === undefined) throw new PseFormatError('the first element is not a version number');
  if (isLpsVersion(version)) {
    throw new PseUnopenable('lps', `version ${version} marks an LPS-protected PSE`);
  }
  if (rest.length > 0) throw new PseFormatError(`the container has ${rest.length + 2} elements instead of 2`);

  if (inner && isUniversal(inner, TAGS.SEQUENCE)) {
    const { oid, pbe } = readPbe(childrenOf(inner)[0]);
    return {
      version,
      layout: 'v2-plain',
      encrypted: false,
      ...(oid ? { algorithmOid: oid } : {}),
      ...(pbe ? { pbe } : {}),
      body: inner.raw,
      trailing,
    };
  }

  if (inner && isContext(inner, 0) && inner.constructed) {
    const [checkNode, algNode, bodyNode] = childrenOf(inner);
    const pinCheck = octets(checkNode);
    const body = octets(bodyNode);
    const { oid, pbe } = readPbe(algNode);
    if (!pinCheck || !body || !oid)
      throw new PseFormatError('the [0] block lacks the PIN check value, algorithm or content');
    return {
      version,
      layout: 'v2-pin',
      encrypted: true,
      pinCheck,
      algorithmOid: oid,
      ...(pbe ? { pbe } : {}),
      body,
      trailing,
    };
  }

  if (inner && isContext(inner, 3) && inner.constructed) {
    const [flagNode, algNode, bodyNode, digestNode] = childrenOf(inner);
    const flag = readSmallInteger(flagNode);
    const body = octets(bodyNode);
    const { oid, pbe } = readPbe(algNode);
    if (flag === undefined || !body)
      throw new PseFormatError('the [3] block lacks the protection flag or content');
    if (flag !== 0 && flag !== 1) {
      throw new PseUnopenable(
        'unsupported',
        `its protection flag is ${flag} (only 0 = plain and 1 = PIN are known)`,
      );
    }
    const digest = octets(digestNode);
    return {
      version,
      layout: 'v4',
      encrypted: flag === 1,
      protectionFlag: flag,
      ...(oid ? { algorithmOid: oid } : {}),
      ...(pbe ? { pbe } : {}),
      body,
      ...(digest ? { digest } : {}),
      trailing,
    };
  }

  if (version !== 2 && version !== 4) {
    throw new PseUnopenable('unsupported', `version ${version} with an unknown layout`);
  }
  throw new PseFormatError(`a version ${version} container must hold a SEQUENCE, [0] or [3] block`);
}
