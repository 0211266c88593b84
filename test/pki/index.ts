/**
 * @module Test PKI generator: root → intermediate → leaf chains and defect variants, made by script.
 *
 * Nothing here is committed: keys are generated per test process and cached, so every test sees the
 * same material within one run. Validity windows are fixed dates far in the past/future, so results
 * never depend on the clock: a "good" certificate is valid from 2000 to 2099, an expired one ended in
 * 2002, a not-yet-valid one starts in 2095. Tests that judge validity should still pin `now` to
 * {@link TEST_NOW}. See test/pki/README.md.
 */
import { execFileSync } from 'node:child_process';
import { createHash, webcrypto } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type * as X509 from '../../src/pki/x509.js';
import { x509 as loadX509 } from '../../src/pki/x509.js';

const x509 = loadX509();

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** A clock value inside every "good" validity window; pin `now` to it in tests. */
export const TEST_NOW = new Date('2026-01-15T12:00:00Z');

/** Validity windows used by the generator (fixed, clock-independent). */
export const VALIDITY = {
  ca: { notBefore: new Date('2000-01-01T00:00:00Z'), notAfter: new Date('2099-12-31T23:59:59Z') },
  leaf: { notBefore: new Date('2001-01-01T00:00:00Z'), notAfter: new Date('2098-12-31T23:59:59Z') },
  expired: { notBefore: new Date('2001-01-01T00:00:00Z'), notAfter: new Date('2002-01-01T00:00:00Z') },
  notYetValid: { notBefore: new Date('2095-01-01T00:00:00Z'), notAfter: new Date('2098-01-01T00:00:00Z') },
} as const;

/** Host names on the default leaf (the IP goes into an iPAddress SAN; live TLS tests use it). */
export const DEFAULT_LEAF_HOSTS = ['api.example.test', 'localhost', '127.0.0.1'];

/** The organisation every generated DN carries unless a full DN is given. */
export const TEST_ORG = 'PSE Doctor Test';

export type KeyType = 'rsa' | 'ec';
export type SignatureHash = 'sha256' | 'sha1';

/** One generated certificate with its private key (PKCS#8 PEM; test material only). */
export interface TestCert {
  /** PEM of the certificate. */
  pem: string;
  der: Buffer;
  /** PKCS#8 private key PEM (`-----BEGIN PRIVATE KEY-----`). */
  keyPem: string;
  /** Subject DN, most specific first (SAP order): `CN=…, O=PSE Doctor Test, C=DE`. */
  subject: string;
  /** Issuer DN, same order. */
  issuer: string;
  /** Lower-case hex SHA-256 of the DER. */
  sha256: string;
  /** Parsed certificate (@peculiar/x509). */
  x509: X509.X509Certificate;
  /** WebCrypto key pair (for signing further test certificates). */
  keys: CryptoKeyPair;
  keyType: KeyType;
}

export interface TestChain {
  root: TestCert;
  intermediate: TestCert;
  leaf: TestCert;
}

export interface ChainOptions {
  keyType?: KeyType;
  /** RSA modulus length of the LEAF key (CA keys are always 2048). Default 2048. */
  rsaBits?: number;
  /** CN or full DN (most specific first, containing `=`) of each member. */
  names?: { root?: string; intermediate?: string; leaf?: string };
  /** DNS names / IP addresses of the leaf SAN; the first one is also its CN (unless `names.leaf`). */
  leafHosts?: string[];
  leafValidity?: { notBefore: Date; notAfter: Date };
  intermediateValidity?: { notBefore: Date; notAfter: Date };
  /** Hash the intermediate signs the leaf with. */
  leafSignature?: SignatureHash;
  /** caIssuers URL written into the leaf (where the intermediate can be fetched). */
  aiaUrl?: string;
  /** Extended key usage of the leaf. Default serverAuth + clientAuth. */
  leafEku?: ('serverAuth' | 'clientAuth')[];
  /** caIssuers URL written into the intermediate (where the root can be fetched). */
  intermediateAiaUrl?: string;
  /**
   * Key namespace: the same `keySet` reuses the same keys; a different one gives fresh keys under the
   * same names (the "same subject, different key" trap). Default `default`.
   */
  keySet?: string;
}

export interface SelfSignedOptions {
  keyType?: KeyType;
  rsaBits?: number;
  /** CN or full DN. Default `CN=selfsigned.example.test`. */
  name?: string;
  hosts?: string[];
  validity?: { notBefore: Date; notAfter: Date };
  signature?: SignatureHash;
  keySet?: string;
}

const keyCache = new Map<string, Promise<CryptoKeyPair>>();
const certCache = new Map<string, Promise<TestCert>>();
let serialCounter = 0x1000;

function keyPairFor(type: KeyType, bits: number, slot: string): Promise<CryptoKeyPair> {
  const id = `${type}:${type === 'rsa' ? bits : 'P-256'}:${slot}`;
  let p = keyCache.get(id);
  if (!p) {
    const algorithm =
      type === 'rsa'
        ? {
            name: 'RSASSA-PKCS1-v1_5',
            modulusLength: bits,
            publicExponent: new Uint8Array([1, 0, 1]),
            hash: 'SHA-256',
          }
        : { name: 'ECDSA', namedCurve: 'P-256' };
    p = webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
    keyCache.set(id, p);
  }
  return p;
}

/** Turn `CN` or a full SAP-order DN into the JSON name (ASN.1 order: country first). */
function toJsonName(nameOrCn: string): X509.JsonName {
  const parts = nameOrCn.includes('=')
    ? nameOrCn.split(/,\s*/).map((rdn) => {
        const eq = rdn.indexOf('=');
        return [rdn.slice(0, eq).trim(), rdn.slice(eq + 1).trim()] as const;
      })
    : ([
        ['CN', nameOrCn],
        ['O', TEST_ORG],
        ['C', 'DE'],
      ] as const);
  // SAP order is most specific first; the encoded sequence is the reverse.
  return [...parts].reverse().map(([k, v]) => ({ [k]: [v] }));
}

function sapOrder(name: X509.Name): string {
  return name
    .toJSON()
    .map((rdn) =>
      Object.entries(rdn)
        .map(([k, vs]) => vs.map((v) => `${k}=${v}`).join(' + '))
        .join(' + '),
    )
    .reverse()
    .join(', ');
}

async function signingKeyFor(keys: CryptoKeyPair, type: KeyType, hash: SignatureHash): Promise<CryptoKey> {
  if (hash === 'sha256' || type === 'ec') return keys.privateKey;
  // RSASSA-PKCS1-v1_5 binds the hash to the key: re-import the same key bound to SHA-1.
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' }, false, [
    'sign',
  ]);
}

function signingAlgorithmFor(type: KeyType, hash: SignatureHash): Algorithm {
  const h = hash === 'sha1' ? 'SHA-1' : 'SHA-256';
  return (type === 'rsa' ? { name: 'RSASSA-PKCS1-v1_5', hash: h } : { name: 'ECDSA', hash: h }) as Algorithm;
}

interface IssueParams {
  name: string;
  keyType: KeyType;
  keys: CryptoKeyPair;
  /** Absent: self-signed. */
  issuer?: TestCert;
  ca: boolean;
  pathLength?: number;
  hosts?: string[];
  validity: { notBefore: Date; notAfter: Date };
  hash: SignatureHash;
  aiaUrl?: string;
  eku?: ('serverAuth' | 'clientAuth')[];
}

async function issue(p: IssueParams): Promise<TestCert> {
  const subjectName = toJsonName(p.name);
  const issuerKeys = p.issuer?.keys ?? p.keys;
  const issuerType = p.issuer?.keyType ?? p.keyType;
  const extensions: X509.Extension[] = [
    new x509.BasicConstraintsExtension(p.ca, p.ca ? p.pathLength : undefined, true),
    new x509.KeyUsagesExtension(
      p.ca
        ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign
        : p.keyType === 'rsa'
          ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment
          : x509.KeyUsageFlags.digitalSignature,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(p.keys.publicKey),
  ];
  if (p.issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuerKeys.publicKey));
  if (!p.ca) {
    extensions.push(
      new x509.ExtendedKeyUsageExtension(
        (p.eku ?? ['serverAuth', 'clientAuth']).map((u) => x509.ExtendedKeyUsage[u]),
      ),
    );
  }
  if (p.hosts && p.hosts.length > 0) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        p.hosts.map((h) =>
          isIP(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h },
        ),
      ),
    );
  }
  if (p.aiaUrl) extensions.push(new x509.AuthorityInfoAccessExtension({ caIssuers: p.aiaUrl }));
  serialCounter += 1;
  const common = {
    serialNumber: `01${serialCounter.toString(16).padStart(6, '0')}`,
    notBefore: p.validity.notBefore,
    notAfter: p.validity.notAfter,
    extensions,
    signingAlgorithm: signingAlgorithmFor(issuerType, p.hash),
  };
  const signingKey = await signingKeyFor(issuerKeys, issuerType, p.hash);
  const cert = await x509.X509CertificateGenerator.create({
    ...common,
    subject: subjectName,
    issuer: p.issuer ? p.issuer.x509.subjectName : subjectName,
    publicKey: p.keys.publicKey,
    signingKey,
  });
  const der = Buffer.from(cert.rawData);
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', p.keys.privateKey));
  return {
    pem: cert.toString('pem').replace(/\r\n/g, '\n') + '\n',
    der,
    keyPem: toPem(pkcs8, 'PRIVATE KEY'),
    subject: sapOrder(cert.subjectName),
    issuer: sapOrder(cert.issuerName),
    sha256: createHash('sha256').update(der).digest('hex'),
    x509: cert,
    keys: p.keys,
    keyType: p.keyType,
  };
}

function toPem(der: Buffer, label: string): string {
  const b64 = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}

function cached(id: string, make: () => Promise<TestCert>): Promise<TestCert> {
  let p = certCache.get(id);
  if (!p) {
    p = make();
    certCache.set(id, p);
  }
  return p;
}

const iso = (v: { notBefore: Date; notAfter: Date }) =>
  `${v.notBefore.toISOString()}/${v.notAfter.toISOString()}`;

/**
 * Generate (or return the cached) chain root → intermediate → leaf. Chains with the same key type,
 * names and key set share their CA certificates, so one trust list (the root) covers every variant.
 */
export async function generateChain(opts: ChainOptions = {}): Promise<TestChain> {
  const keyType = opts.keyType ?? 'rsa';
  const slot = opts.keySet ?? 'default';
  const label = keyType === 'rsa' ? 'RSA' : 'EC';
  const rootName = opts.names?.root ?? `PSE Doctor Test ${label} Root CA`;
  const intName = opts.names?.intermediate ?? `PSE Doctor Test ${label} Issuing CA`;
  const hosts = opts.leafHosts ?? DEFAULT_LEAF_HOSTS;
  const leafName = opts.names?.leaf ?? hosts[0] ?? 'leaf.example.test';
  const intValidity = opts.intermediateValidity ?? VALIDITY.ca;
  const leafValidity = opts.leafValidity ?? VALIDITY.leaf;
  const hash = opts.leafSignature ?? 'sha256';
  const rsaBits = opts.rsaBits ?? 2048;

  const rootId = `root|${keyType}|${slot}|${rootName}`;
  const root = await cached(rootId, async () =>
    issue({
      name: rootName,
      keyType,
      keys: await keyPairFor(keyType, 2048, `${slot}:root:${rootName}`),
      ca: true,
      validity: VALIDITY.ca,
      hash: 'sha256',
    }),
  );
  const intId = `${rootId}|int|${intName}|${iso(intValidity)}|${opts.intermediateAiaUrl ?? ''}`;
  const intermediate = await cached(intId, async () =>
    issue({
      name: intName,
      keyType,
      keys: await keyPairFor(keyType, 2048, `${slot}:int:${intName}`),
      issuer: root,
      ca: true,
      pathLength: 0,
      validity: intValidity,
      hash: 'sha256',
      ...(opts.intermediateAiaUrl ? { aiaUrl: opts.intermediateAiaUrl } : {}),
    }),
  );
  const leafId = `${intId}|leaf|${leafName}|${hosts.join(',')}|${iso(leafValidity)}|${hash}|${rsaBits}|${opts.aiaUrl ?? ''}|${(opts.leafEku ?? []).join('+')}`;
  const leaf = await cached(leafId, async () =>
    issue({
      name: leafName,
      keyType,
      // Leaf keys are shared across key sets: only the CA keys make the "same subject" trap.
      keys: await keyPairFor(keyType, rsaBits, 'leaf'),
      issuer: intermediate,
      ca: false,
      hosts,
      validity: leafValidity,
      hash,
      ...(opts.aiaUrl ? { aiaUrl: opts.aiaUrl } : {}),
      ...(opts.leafEku ? { eku: opts.leafEku } : {}),
    }),
  );
  return { root, intermediate, leaf };
}

/** Generate (or return the cached) self-signed end-entity certificate. */
export async function generateSelfSigned(opts: SelfSignedOptions = {}): Promise<TestCert> {
  const keyType = opts.keyType ?? 'rsa';
  const hosts = opts.hosts ?? ['selfsigned.example.test', 'localhost', '127.0.0.1'];
  const name = opts.name ?? hosts[0] ?? 'selfsigned.example.test';
  const validity = opts.validity ?? VALIDITY.leaf;
  const hash = opts.signature ?? 'sha256';
  const bits = opts.rsaBits ?? 2048;
  const slot = opts.keySet ?? 'default';
  const id = `self|${keyType}|${bits}|${slot}|${name}|${hosts.join(',')}|${iso(validity)}|${hash}`;
  return cached(id, async () =>
    issue({
      name,
      keyType,
      keys: await keyPairFor(keyType, bits, `${slot}:self`),
      ca: false,
      hosts,
      validity,
      hash,
    }),
  );
}

/** Every named variant the verification tests use (all share the RSA test root unless noted). */
export interface TestPki {
  rsa: TestChain;
  ec: TestChain;
  expiredLeaf: TestChain;
  notYetValidLeaf: TestChain;
  /** Intermediate expired (leaf fine). */
  expiredIntermediate: TestChain;
  sha1Leaf: TestChain;
  rsa1024Leaf: TestChain;
  /** Leaf for `other.example.test` only. */
  wrongNameLeaf: TestChain;
  /** Leaf for `*.example.test` (matches `api.example.test`, not `a.b.example.test` nor `example.test`). */
  wildcardLeaf: TestChain;
  /** Same root/intermediate NAMES as `rsa`, different keys: the "same subject" trap. */
  rekeyed: TestChain;
  selfSigned: TestCert;
}

/** Generate every variant (cached per process; the first call takes about a second). */
export async function generateTestPki(): Promise<TestPki> {
  // One after the other: serial numbers come from a counter, so a race between the two chains would
  // give the RSA chain other serials from run to run (the golden reports hold 01:00:10:04…06).
  const ec = await generateChain({ keyType: 'ec' });
  const rsa = await generateChain();
  return {
    rsa,
    ec,
    expiredLeaf: await generateChain({ leafValidity: VALIDITY.expired }),
    notYetValidLeaf: await generateChain({ leafValidity: VALIDITY.notYetValid }),
    expiredIntermediate: await generateChain({ intermediateValidity: VALIDITY.expired }),
    sha1Leaf: await generateChain({ leafSignature: 'sha1' }),
    rsa1024Leaf: await generateChain({ rsaBits: 1024 }),
    wrongNameLeaf: await generateChain({ leafHosts: ['other.example.test'] }),
    wildcardLeaf: await generateChain({ leafHosts: ['*.example.test'] }),
    rekeyed: await generateChain({ keySet: 'rekeyed' }),
    selfSigned: await generateSelfSigned(),
  };
}

/** Password of the generated PKCS#12 files (test material; written to `p12-password.txt`). */
export const TEST_P12_PASSWORD = 'pse-doctor-test';

/** Paths written by {@link writePkiFixtures}, by role. */
export interface PkiFixtureFiles {
  dir: string;
  /** Relative file name → absolute path. */
  files: Record<string, string>;
  chain: TestChain;
}

/**
 * Write the RSA chain in every container format to `dir` (created if needed). Uses the `openssl`
 * CLI for PKCS#7 and PKCS#12. Files:
 * - `root.pem|der`, `intermediate.pem|der`, `leaf.pem|der`, `leaf.key.pem` (PKCS#8)
 * - `chain.pem` (leaf + intermediate, with text around the blocks), `fullchain.pem` (+ root),
 *   `cas.pem` (intermediate + root)
 * - `chain.p7b` (PKCS#7 PEM), `chain.p7c` (PKCS#7 DER)
 * - `store-3des.p12` (PBE-SHA1-3DES, SHA-1 MAC), `store-aes.p12` (PBES2/AES-256, OpenSSL 3 default),
 *   `truststore.p12` (certificates only, AES), `p12-password.txt`
 * - `variant-<name>.pem` for each defect variant of {@link TestPki} (leaf + intermediate, as sent):
 *   `variant-expired-leaf.pem`, `variant-sha1-leaf.pem`, `variant-wrong-name-leaf.pem`, `variant-ec.pem`, …
 * - `leaf.b64` (STRUST-style Base64 export: PEM armor), `self-signed.pem`, `ec-chain.pem`
 */
export async function writePkiFixtures(dir: string): Promise<PkiFixtureFiles> {
  const pki = await generateTestPki();
  const chain = pki.rsa;
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {};
  const put = (name: string, data: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    files[name] = path;
    return path;
  };
  for (const [role, cert] of Object.entries(chain) as [keyof TestChain, TestCert][]) {
    put(`${role}.pem`, cert.pem);
    put(`${role}.der`, cert.der);
  }
  put('leaf.key.pem', chain.leaf.keyPem);
  put(
    'chain.pem',
    `subject=${chain.leaf.subject}\n${chain.leaf.pem}\nsubject=${chain.intermediate.subject}\n${chain.intermediate.pem}`,
  );
  put('fullchain.pem', chain.leaf.pem + chain.intermediate.pem + chain.root.pem);
  put('cas.pem', chain.intermediate.pem + chain.root.pem);
  put('leaf.b64', chain.leaf.pem);
  put('self-signed.pem', pki.selfSigned.pem);
  put('ec-chain.pem', pki.ec.leaf.pem + pki.ec.intermediate.pem + pki.ec.root.pem);
  for (const [name, variant] of Object.entries(pki) as [keyof TestPki, TestChain | TestCert][]) {
    if (name === 'rsa' || !('leaf' in variant)) continue;
    // As a server sends it: leaf then intermediate, no root.
    put(`variant-${kebab(name)}.pem`, variant.leaf.pem + variant.intermediate.pem);
  }
  const pw = put('p12-password.txt', `${TEST_P12_PASSWORD}\n`);

  const openssl = (args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
  openssl(['crl2pkcs7', '-nocrl', '-certfile', files['fullchain.pem']!, '-out', put('chain.p7b', '')]);
  openssl([
    'crl2pkcs7',
    '-nocrl',
    '-certfile',
    files['fullchain.pem']!,
    '-outform',
    'DER',
    '-out',
    put('chain.p7c', ''),
  ]);
  const p12Base = [
    'pkcs12',
    '-export',
    '-in',
    files['leaf.pem']!,
    '-inkey',
    files['leaf.key.pem']!,
    '-certfile',
    files['cas.pem']!,
    '-name',
    'leaf',
    '-passout',
    `file:${pw}`,
  ];
  openssl([
    ...p12Base,
    '-keypbe',
    'PBE-SHA1-3DES',
    '-certpbe',
    'PBE-SHA1-3DES',
    '-macalg',
    'sha1',
    '-out',
    put('store-3des.p12', ''),
  ]);
  openssl([...p12Base, '-out', put('store-aes.p12', '')]);
  openssl([
    'pkcs12',
    '-export',
    '-nokeys',
    '-in',
    files['cas.pem']!,
    '-passout',
    `file:${pw}`,
    '-out',
    put('truststore.p12', ''),
  ]);
  return { dir, files, chain };
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`);
}
