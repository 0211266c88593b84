/**
 * @module A client identity for mutual TLS from the bytes of a PEM file (certificate + private key) or a
 * PKCS#12 file. The key stays in memory for the handshakes only; results carry just the public description.
 *
 * A PSE file gives its own identity: the own certificate with its chain and the RSA key rebuilt from the
 * PSE (`readers/pse/pse-identity-key.ts`), held in memory for the handshakes only.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import type { CertificateInfo } from '../model/certificate.js';
import { ToolError } from '../model/errors.js';
import { looksLikePseContainer } from '../readers/pse/pse-container.js';
import { openPseIdentity } from '../readers/pse/pse-identity-key.js';
import { orderLeafFirst } from '../readers/x509/chain-order.js';
import { detectContainer, readCertificatesSync } from '../readers/x509/read-certificates.js';
import type { ClientIdentity } from './types.js';

/** Largest identity file accepted. */
const MAX_IDENTITY_BYTES = 1024 * 1024;

/** PEM private-key blocks Node's TLS accepts (PKCS#8, PKCS#1 RSA, SEC1 EC, encrypted PKCS#8). */
const KEY_BLOCK = /-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----[\s\S]{1,16384}?-----END \1-----/;

export interface ClientIdentityInput {
  /** Display name of the file (messages only). */
  name: string;
  bytes: Uint8Array;
  /** A separate PEM key file, when the certificate file holds none. */
  keyBytes?: Uint8Array;
  /** PKCS#12 password or PEM key passphrase. Never stored in results or messages. */
  password?: string;
  /** PIN of a PSE identity. Never stored in results or messages. */
  pin?: string;
}

/**
 * Build a client identity. Throws ToolError for input problems: no key, wrong password, key not
 * matching the certificate, a PSE file (with the sapgenpse export to use instead).
 */
export function loadClientIdentity(input: ClientIdentityInput): ClientIdentity {
  const { name, bytes } = input;
  if (bytes.length === 0) throw new ToolError('empty-input', { name });
  if (bytes.length > MAX_IDENTITY_BYTES) throw new ToolError('too-large', { name, limit: '1 MiB' });
  const kind = detectContainer(bytes);
  if (kind === 'pkcs12') return fromPkcs12(input);
  if (kind === 'pem') return fromPem(input);
  if (/\.pse$/i.test(name) || looksLikePseContainer(bytes.subarray(0, 64))) return fromPse(input);
  throw new ToolError('unknown-format', {
    name,
    hint: 'A client identity is a PEM file with the certificate and its private key (or --client-key), or a PKCS#12 (.p12/.pfx) file.',
    webHint:
      'A client identity is a PEM file with the certificate and its private key, a PKCS#12 (.p12/.pfx) file, or a PSE with its PIN.',
  });
}

/** The PSE's own certificate, chain and key (wrong PIN, missing PIN and foreign key types are ToolErrors). */
function fromPse(input: ClientIdentityInput): ClientIdentity {
  const identity = openPseIdentity(input.bytes, { name: input.name, pin: input.pin });
  const certs = identity.certificates.map((der) => new X509Certificate(der));
  const certPem = certs.map((c) => c.toString()).join('');
  const keyPem = identity.key.export({ format: 'pem', type: 'pkcs8' }).toString();
  const leaf = certs[0];
  return {
    certPem,
    keyPem,
    describe: {
      source: input.name,
      subject: identity.subject,
      ...(leaf
        ? {
            sha256: leaf.fingerprint256.replaceAll(':', '').toLowerCase(),
            notAfter: new Date(leaf.validTo).toISOString(),
          }
        : {}),
    },
  };
}

function describeIdentity(source: string, certs: CertificateInfo[]): ClientIdentity['describe'] {
  const leaf = orderLeafFirst(certs)[0];
  const d: ClientIdentity['describe'] = { source };
  if (leaf) {
    d.subject = leaf.subject;
    if (leaf.issuer) d.issuer = leaf.issuer;
    if (leaf.sha256) d.sha256 = leaf.sha256;
    if (leaf.notAfter) d.notAfter = leaf.notAfter;
  }
  return d;
}

function fromPkcs12(input: ClientIdentityInput): ClientIdentity {
  const { name, bytes, password } = input;
  // Certificates first: gives the clear password-required / wrong-password errors and the description.
  const container = readCertificatesSync(bytes, name, password !== undefined ? { password } : {});
  const pfx = Buffer.from(bytes);
  try {
    createSecureContext({ pfx, ...(password !== undefined ? { passphrase: password } : {}) });
  } catch (err) {
    throw new ToolError('bad-certificate', {
      name,
      reason: `the TLS library cannot use its key (${safeReason(err)}). Re-export it with current algorithms, e.g. "openssl pkcs12 -export -in cert.pem -inkey key.pem -out client.p12"`,
    });
  }
  return {
    pfx,
    ...(password !== undefined ? { passphrase: password } : {}),
    describe: describeIdentity(name, container.certificates),
  };
}

function fromPem(input: ClientIdentityInput): ClientIdentity {
  const { name, bytes, password } = input;
  const text = Buffer.from(bytes).toString('utf8');
  const keyText = input.keyBytes ? Buffer.from(input.keyBytes).toString('utf8') : text;
  const key = KEY_BLOCK.exec(keyText);
  if (!key) {
    throw new ToolError('usage', {
      message: `${name} holds no private key. Put the certificate and its PEM key in one file, pass the key with --client-key <file>, or use a PKCS#12 file.`,
      webMessage: `${name} holds no private key. Put the certificate and its PEM key in one file, or use a PKCS#12 file or the PSE with its PIN.`,
    });
  }
  const container = readCertificatesSync(bytes, name);
  if (container.certificates.length === 0)
    throw new ToolError('bad-certificate', { name, reason: 'it holds no certificate' });
  const ordered = orderLeafFirst(container.certificates);
  const certPem = ordered.map((c) => c.pem ?? '').join('');
  const keyPem = key[0];
  if (key[1] === 'ENCRYPTED PRIVATE KEY' && password === undefined) {
    throw new ToolError('password-required', { name });
  }
  let matches: boolean;
  try {
    const privateKey = createPrivateKey({
      key: keyPem,
      ...(password !== undefined ? { passphrase: password } : {}),
    });
    matches = new X509Certificate(ordered[0]?.pem ?? '').checkPrivateKey(privateKey);
    createSecureContext({
      cert: certPem,
      key: keyPem,
      ...(password !== undefined ? { passphrase: password } : {}),
    });
  } catch (err) {
    const reason = safeReason(err);
    if (/decrypt|passphrase/i.test(reason)) throw new ToolError('wrong-password', { name });
    throw new ToolError('bad-certificate', { name, reason: `the TLS library refuses the key (${reason})` });
  }
  // OpenSSL would silently drop a key that does not fit the certificate; say it plainly instead.
  if (!matches) {
    throw new ToolError('bad-certificate', {
      name,
      reason: 'the private key does not belong to the certificate',
    });
  }
  return {
    certPem,
    keyPem,
    ...(password !== undefined ? { passphrase: password } : {}),
    describe: describeIdentity(name, ordered),
  };
}

/** The library's error text, shortened; it never contains key material. */
function safeReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const msg = e?.message ?? String(err);
  const short = /:([a-z][a-z0-9 _-]{2,60}):[^:]*$/i.exec(msg.split('\n')[0] ?? '')?.[1];
  return (e?.code ?? short ?? msg).slice(0, 120);
}
