/**
 * @module For the build's code-cache sample runs (30-bundle.mjs): a TLS server on 127.0.0.1 with a chain
 * made on the spot (root CA → issuing CA → server certificate for probe.example.test, ECDSA P-256, keys
 * kept in memory only), so a sample `probe` runs the same handshake, parsing and judging code a user's
 * probe runs. Nothing leaves the machine; the server closes when the samples are done.
 */
import { webcrypto } from 'node:crypto';
import { createServer } from 'node:tls';

/** The X.509 stack as the CLI loads it (dist/pki/x509.js: the vendored copy, with its reflect shim). */
let x509;

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
export const SAMPLE_HOST = 'probe.example.test';

function pem(der, label) {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}

async function certificate(subject, keys, issuer, ca) {
  const now = Date.now();
  const extensions = [
    new x509.BasicConstraintsExtension(ca, undefined, true),
    new x509.KeyUsagesExtension(
      ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey));
  if (!ca) {
    extensions.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]));
    extensions.push(new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: SAMPLE_HOST }]));
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: `0${Math.floor(Math.random() * 1e9).toString(16)}`,
    subject,
    issuer: issuer ? issuer.cert.subject : subject,
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 30 * 86_400_000),
    publicKey: keys.publicKey,
    signingKey: (issuer ?? { keys }).keys.privateKey,
    signingAlgorithm: ALG,
    extensions,
  });
  return { cert, keys };
}

/** Starts the server; resolves to its port, the root CA as PEM, and `close()`. */
export async function startSampleTlsServer() {
  x509 = (await import('../../dist/pki/x509.js')).x509();
  x509.cryptoProvider.set(webcrypto);
  const gen = () => webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const root = await certificate('CN=pse-doctor build sample root CA', await gen(), undefined, true);
  const issuing = await certificate('CN=pse-doctor build sample issuing CA', await gen(), root, true);
  const leaf = await certificate(`CN=${SAMPLE_HOST}`, await gen(), issuing, false);
  const key = pem(await webcrypto.subtle.exportKey('pkcs8', leaf.keys.privateKey), 'PRIVATE KEY');
  const server = createServer({
    key,
    cert: leaf.cert.toString('pem') + '\n' + issuing.cert.toString('pem'),
    minVersion: 'TLSv1.2',
  });
  server.on('secureConnection', (socket) => socket.end());
  server.on('tlsClientError', () => {});
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    rootPem: root.cert.toString('pem'),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
