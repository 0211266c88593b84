/**
 * @module TLS 1.3 record protection for reading our own session's server records (RFC 8446 §5.2, §7).
 *
 * In TLS 1.3 the server's Certificate and CertificateRequest messages are encrypted. To record the
 * chain exactly as the server sent it, the probe decrypts its own session's server handshake records
 * with the secrets Node hands out through the `keylog` event. The keys never leave the probe attempt.
 */
import { createDecipheriv, createHmac } from 'node:crypto';

/** AEAD parameters of a TLS 1.3 cipher suite. */
interface SuiteParams {
  hash: 'sha256' | 'sha384';
  hashLen: number;
  cipher: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';
  keyLen: number;
}

const SUITES: Record<number, SuiteParams> = {
  4865: { hash: 'sha256', hashLen: 32, cipher: 'aes-128-gcm', keyLen: 16 },
  4866: { hash: 'sha384', hashLen: 48, cipher: 'aes-256-gcm', keyLen: 32 },
  4867: { hash: 'sha256', hashLen: 32, cipher: 'chacha20-poly1305', keyLen: 32 },
};

const TAG_LEN = 16;
const IV_LEN = 12;

/** HKDF-Expand (RFC 5869 §2.3); node:crypto's hkdf always extracts first, which TLS 1.3 does not want here. */
function expandHkdf(
  hash: SuiteParams['hash'],
  hashLen: number,
  prk: Buffer,
  info: Buffer,
  length: number,
): Buffer {
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  for (let i = 1; blocks.length * hashLen < length; i++) {
    previous = createHmac(hash, prk)
      .update(previous)
      .update(info)
      .update(Buffer.from([i]))
      .digest();
    blocks.push(previous);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** HKDF-Expand-Label with an empty context (RFC 8446 §7.1). */
function expandLabel(suite: SuiteParams, secret: Buffer, label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'ascii');
  const info = Buffer.concat([
    Buffer.from([length >> 8, length & 0xff, full.length]),
    full,
    Buffer.from([0]),
  ]);
  return expandHkdf(suite.hash, suite.hashLen, secret, info, length);
}

/** Decrypts the server's records of one traffic secret, in sequence. */
export interface RecordDecrypter {
  /**
   * Decrypt one TLS 1.3 record (`header` = the 5 header bytes, `body` = ciphertext with tag).
   * Returns the inner content type and content, or undefined when authentication fails.
   */
  open(header: Buffer, body: Buffer): { type: number; content: Buffer } | undefined;
}

/** True when the probe can decrypt records of this TLS 1.3 cipher suite. */
export function isDecryptableSuite(cipherSuite: number): boolean {
  return SUITES[cipherSuite] !== undefined;
}

/** The record key and IV of a traffic secret (RFC 8446 §7.3); exported for the RFC 8448 test vectors. */
export function deriveRecordKeys(
  cipherSuite: number,
  secret: Buffer,
): { key: Buffer; iv: Buffer } | undefined {
  const suite = SUITES[cipherSuite];
  if (!suite) return undefined;
  return {
    key: expandLabel(suite, secret, 'key', suite.keyLen),
    iv: expandLabel(suite, secret, 'iv', IV_LEN),
  };
}

/**
 * A decrypter for one traffic secret (`SERVER_HANDSHAKE_TRAFFIC_SECRET` or `SERVER_TRAFFIC_SECRET_0`).
 * Returns undefined for suites it does not handle (CCM).
 */
export function createRecordDecrypter(cipherSuite: number, secret: Buffer): RecordDecrypter | undefined {
  const suite = SUITES[cipherSuite];
  const keys = deriveRecordKeys(cipherSuite, secret);
  if (!suite || !keys) return undefined;
  const { key, iv } = keys;
  let seq = 0n;
  return {
    open(header, body) {
      if (body.length < TAG_LEN + 1) return undefined;
      const nonce = Buffer.from(iv);
      // The per-record nonce is the IV XOR the 64-bit sequence number, right-aligned.
      for (let i = 0; i < 8; i++) {
        const byte = Number((seq >> BigInt(8 * i)) & 0xffn);
        nonce[IV_LEN - 1 - i] = (nonce[IV_LEN - 1 - i] ?? 0) ^ byte;
      }
      seq += 1n;
      try {
        const decipher =
          suite.cipher === 'chacha20-poly1305'
            ? createDecipheriv(suite.cipher, key, nonce, { authTagLength: TAG_LEN })
            : createDecipheriv(suite.cipher, key, nonce, { authTagLength: TAG_LEN });
        decipher.setAAD(header, { plaintextLength: body.length - TAG_LEN });
        decipher.setAuthTag(body.subarray(body.length - TAG_LEN));
        const plain = Buffer.concat([
          decipher.update(body.subarray(0, body.length - TAG_LEN)),
          decipher.final(),
        ]);
        // TLSInnerPlaintext: content, one content-type byte, then zero padding.
        let end = plain.length - 1;
        while (end >= 0 && plain[end] === 0) end--;
        if (end < 0) return undefined;
        return { type: plain[end] ?? 0, content: plain.subarray(0, end) };
      } catch {
        return undefined;
      }
    },
  };
}

/** Parse NSS key-log lines (`LABEL <client_random hex> <secret hex>`) into label → secret. */
export function readKeyLog(lines: readonly string[]): Map<string, Buffer> {
  const secrets = new Map<string, Buffer>();
  for (const line of lines) {
    const m = /^([A-Z0-9_]{1,64}) [0-9a-f]{64} ([0-9a-f]{32,128})\s*$/i.exec(line);
    if (m?.[1] && m[2]) secrets.set(m[1], Buffer.from(m[2], 'hex'));
  }
  return secrets;
}
