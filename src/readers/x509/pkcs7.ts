/**
 * @module PKCS#7 / CMS SignedData (`.p7b`, `.p7c`, STRUST and CA chain exports): the certificates it carries.
 */
import {
  childrenOf,
  DerError,
  expectUniversal,
  isContext,
  isUniversal,
  oidOf,
  TAG,
  type Tlv,
  walkDer,
} from './der.js';

export { looksLikePkcs7 } from './sniff.js';

export const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
export const OID_DATA = '1.2.840.113549.1.7.1';

/** The certificates (DER) of a PKCS#7 SignedData, in file order. CRLs and signer infos are ignored. */
export function readPkcs7Certificates(bytes: Uint8Array): { certificates: Buffer[]; skipped: number } {
  const top = walkDer(bytes);
  const [typeTlv, contentTlv] = childrenOf(bytes, expectUniversal(top, TAG.SEQUENCE, 'PKCS#7 ContentInfo'));
  const type = oidOf(bytes, expectUniversal(typeTlv, TAG.OID, 'PKCS#7 content type'));
  if (type !== OID_SIGNED_DATA) throw new DerError(`PKCS#7 content type ${type} is not SignedData`);
  if (!isContext(contentTlv, 0)) throw new DerError('PKCS#7 SignedData content is missing');
  const signedData = childrenOf(bytes, contentTlv)[0];
  const parts = childrenOf(bytes, expectUniversal(signedData, TAG.SEQUENCE, 'SignedData'));
  const certificates: Buffer[] = [];
  let skipped = 0;
  const certSet: Tlv | undefined = parts.find((p) => isContext(p, 0));
  if (certSet) {
    for (const choice of childrenOf(bytes, certSet)) {
      // Attribute certificates and other choices are tagged [1]…[3]; only plain certificates count.
      if (isUniversal(choice, TAG.SEQUENCE))
        certificates.push(Buffer.from(bytes.subarray(choice.start, choice.end)));
      else skipped++;
    }
  }
  return { certificates, skipped };
}
