/**
 * @module The own identity of a PSE for mutual TLS (`probe --client-cert SAPSSLC.pse`): the own certificate
 * with its chain, and the RSA private key rebuilt from `SKnew` as a KeyObject that lives in memory only.
 *
 * SECUDE stores an RSA key as `SEQUENCE { AlgorithmIdentifier rsaEncryption, BIT STRING SEQUENCE { INTEGER p,
 * INTEGER q } }` (verified: p·q is the modulus of the own certificate in the real sapgenpse files). The
 * public exponent comes from the certificate; d and the CRT values are computed. The key is never
 * exported, printed or returned as text; the rebuilt key must match the certificate or nothing is used.
 */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { ToolError } from '../../model/errors.js';
import { type Asn1Node, childrenOf, contentOf, isUniversal, parseDer, readOid, TAGS } from './asn1.js';
import { openPse } from './open-pse.js';

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';

export interface PseIdentity {
  /** Own certificate first, then its chain (FCPath), DER. */
  certificates: Buffer[];
  /** The private key, usable by node:tls; never serialised by pse-doctor. */
  key: KeyObject;
  subject: string;
}

/** Open a PSE and rebuild its own identity. Throws ToolError (wrong PIN, no key, unsupported key type…). */
export function openPseIdentity(
  bytes: Uint8Array,
  options: { name: string; pin?: string | undefined },
): PseIdentity {
  let key: KeyObject | undefined;
  let problem: string | undefined;
  const contents = openPse(bytes, {
    ...options,
    onOwnKey: (value, opened) => {
      try {
        if (!opened.own) throw new Error('no own certificate');
        key = rebuildRsaKey(value, Buffer.from(opened.own.der));
      } catch (err) {
        problem = err instanceof Error ? err.message : String(err);
      }
    },
  });
  if (!contents.own)
    throw new ToolError('usage', {
      message: `${options.name} holds no own certificate: it cannot act as a client identity.`,
    });
  if (!key) {
    throw new ToolError('usage', {
      message: `${options.name}: its own key cannot be used here (${problem ?? 'the PSE holds no SKnew key object'}). Export the identity on the SAP host with "sapgenpse export_p12" and pass the .p12 instead.`,
    });
  }
  return {
    certificates: [contents.own, ...contents.ownChain].map((c) => Buffer.from(c.der)),
    key,
    subject: contents.own.info.subject,
  };
}

function bigFrom(node: Asn1Node | undefined): bigint {
  if (!node || !isUniversal(node, TAGS.INTEGER) || node.constructed)
    throw new Error('the key is not two INTEGERs');
  const bytes = contentOf(node);
  if (bytes.length === 0 || bytes.length > 1024) throw new Error('a key INTEGER has an odd size');
  return BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new Error('the key values are inconsistent');
  return ((oldS % m) + m) % m;
}

function b64u(n: bigint): string {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex').toString('base64url');
}

/** Rebuild the RSA private key from SKnew's primes and the certificate's public key; check they belong together. */
function rebuildRsaKey(value: Asn1Node, der: Buffer): KeyObject {
  const [algorithm, bits] = childrenOf(value);
  const oid = readOid(childrenOf(algorithm)[0]);
  if (oid !== RSA_ENCRYPTION) throw new Error(`the key type ${oid ?? 'unknown'} is not supported (RSA only)`);
  if (!bits || !isUniversal(bits, TAGS.BIT_STRING)) throw new Error('the key object has no BIT STRING');
  const inner = contentOf(bits).subarray(1);
  const { node } = parseDer(inner, 'the key object');
  const [pNode, qNode] = isUniversal(node, TAGS.SEQUENCE) ? childrenOf(node) : [];
  const p = bigFrom(pNode);
  const q = bigFrom(qNode);
  const pub = new X509Certificate(der).publicKey.export({ format: 'jwk' }) as { n?: string; e?: string };
  if (!pub.n || !pub.e) throw new Error('the own certificate has no RSA public key');
  const n = BigInt(`0x${Buffer.from(pub.n, 'base64url').toString('hex')}`);
  const e = BigInt(`0x${Buffer.from(pub.e, 'base64url').toString('hex')}`);
  if (p * q !== n) throw new Error('the key does not belong to the own certificate');
  const d = modInverse(e, (p - 1n) * (q - 1n));
  // A sign/verify round trip on a small number proves the rebuilt exponent before TLS uses it.
  if (modPow(modPow(2n, e, n), d, n) !== 2n) throw new Error('the rebuilt key fails its check');
  return createPrivateKey({
    format: 'jwk',
    key: {
      kty: 'RSA',
      n: pub.n,
      e: pub.e,
      d: b64u(d),
      p: b64u(p),
      q: b64u(q),
      dp: b64u(d % (p - 1n)),
      dq: b64u(d % (q - 1n)),
      qi: b64u(modInverse(q, p)),
    },
  });
}
