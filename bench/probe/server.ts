/**
 * @module Benchmark server: a Node TLS server (TLS 1.2–1.3, RSA chain from the test PKI, an SNI virtual host)
 * in its own process, so its CPU is not counted against the client under test. Prints its port.
 */
import { createSecureContext, createServer } from 'node:tls';
import { generateChain, generateSelfSigned } from '../../test/pki/index.js';

const chain = await generateChain();
const fallback = await generateSelfSigned();
const identity = { cert: chain.leaf.pem + chain.intermediate.pem, key: chain.leaf.keyPem };
const sniContext = createSecureContext(identity);
const server = createServer({
  cert: fallback.pem,
  key: fallback.keyPem,
  SNICallback: (name, cb) => cb(null, name === 'api.example.test' ? sniContext : undefined),
});
server.on('tlsClientError', () => {});
server.on('secureConnection', (s) => s.on('error', () => {}));
server.on('connection', (s) => s.on('error', () => {}));
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0, root: chain.root.pem })}\n`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
