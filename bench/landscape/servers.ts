/**
 * @module Benchmark servers for `landscape --probe`: <n> TLS servers on 127.0.0.1 (one port each, the test
 * PKI's chain) plus <silent> that accept and never answer (to exercise the per-target timeout). Own process;
 * prints {ports, silent, root}.
 */
import { createServer as createNetServer, type Server } from 'node:net';
import { createServer } from 'node:tls';
import { generateChain } from '../../test/pki/index.js';

const [nArg = '480', silentArg = '20'] = process.argv.slice(2);
const chain = await generateChain({ leafHosts: ['localhost', '127.0.0.1'], names: { leaf: 'localhost' } });
const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : 0);
    }),
  );
const ports: number[] = [];
const silent: number[] = [];
const servers: Server[] = [];
for (let i = 0; i < Number(nArg); i++) {
  const s = createServer({ cert: chain.leaf.pem + chain.intermediate.pem, key: chain.leaf.keyPem });
  s.on('tlsClientError', () => {});
  s.on('secureConnection', (c) => c.on('error', () => {}));
  servers.push(s);
  ports.push(await listen(s));
}
for (let i = 0; i < Number(silentArg); i++) {
  const s = createNetServer((c) => c.on('error', () => {}));
  servers.push(s);
  silent.push(await listen(s));
}
process.stdout.write(`${JSON.stringify({ ports, silent, root: chain.root.pem })}\n`);
process.on('SIGTERM', () => process.exit(0));
