/**
 * @module Real local servers for probe tests: TLS (with SNI, versions, client-certificate demands), plain HTTP,
 * a resetting and a silent TCP server, an HTTP CONNECT proxy with optional Basic auth, and an HTTP file server
 * for AIA. All listen on 127.0.0.1, port 0; `close()` ends every open connection too.
 */
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import {
  type AddressInfo,
  connect,
  createServer as createNetServer,
  type Server,
  type Socket,
} from 'node:net';
import {
  createSecureContext,
  createServer as createTlsServer,
  type SecureContext,
  type SecureContextOptions,
  type TlsOptions,
} from 'node:tls';

export interface RunningServer {
  port: number;
  /** Connections accepted so far (CONNECT requests for the proxy). */
  connections: number;
  close(): Promise<void>;
}

function track(server: Server): { sockets: Set<Socket>; state: { connections: number } } {
  const sockets = new Set<Socket>();
  const state = { connections: 0 };
  server.on('connection', (s: Socket) => {
    state.connections++;
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  return { sockets, state };
}

async function listen(
  server: Server,
  sockets: Set<Socket>,
  state: { connections: number },
): Promise<RunningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Certificate + key of one TLS identity. */
export interface TlsIdentity {
  cert: string;
  key: string;
}

export interface TlsServerOptions {
  /** Identity served to every client, or the default when `sni` is given. */
  identity: TlsIdentity;
  /** Identities by SNI name: the default one answers clients without SNI or with another name. */
  sni?: Record<string, TlsIdentity>;
  minVersion?: TlsOptions['minVersion'];
  maxVersion?: TlsOptions['maxVersion'];
  ciphers?: string;
  /** Ask for a client certificate; `require` rejects clients without one or with an untrusted one. */
  clientCert?: { ca: string[]; require: boolean };
}

/** A TLS server that completes handshakes and then waits (it never sends application data). */
export async function startTlsServer(opts: TlsServerOptions): Promise<RunningServer> {
  const base: SecureContextOptions = {
    ...(opts.minVersion ? { minVersion: opts.minVersion } : {}),
    ...(opts.maxVersion ? { maxVersion: opts.maxVersion } : {}),
    ...(opts.ciphers ? { ciphers: opts.ciphers } : {}),
  };
  const contexts = new Map(
    Object.entries(opts.sni ?? {}).map(([name, id]) => [name, createSecureContext({ ...base, ...id })]),
  );
  const server = createTlsServer({
    ...base,
    key: opts.identity.key,
    cert: opts.identity.cert,
    ...(opts.clientCert
      ? { requestCert: true, rejectUnauthorized: opts.clientCert.require, ca: opts.clientCert.ca }
      : {}),
    ...(opts.sni
      ? {
          SNICallback: (name: string, cb: (err: Error | null, ctx?: SecureContext) => void) =>
            cb(null, contexts.get(name)),
        }
      : {}),
  });
  server.on('tlsClientError', () => {});
  server.on('secureConnection', (s) => {
    s.on('error', () => {});
    // Answer one request line so --http can be tested; otherwise stay silent.
    s.once('data', () => s.end('HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n'));
  });
  const { sockets, state } = track(server);
  return listen(server, sockets, state);
}

/** A plain HTTP server (what "http on the TLS port" looks like). */
export async function startPlainHttpServer(): Promise<RunningServer> {
  const server = createHttpServer((_req, res) => res.end('plain'));
  const { sockets, state } = track(server);
  return listen(server, sockets, state);
}

/** Accepts TCP, then resets the connection as soon as the client speaks (the ClientHello). */
export async function startResetServer(): Promise<RunningServer> {
  const server = createNetServer((s) => {
    s.once('data', () => s.resetAndDestroy());
  });
  const { sockets, state } = track(server);
  return listen(server, sockets, state);
}

/** Accepts TCP and never answers (a slow or swallowing server). */
export async function startSilentServer(): Promise<RunningServer> {
  const server = createNetServer(() => {});
  const { sockets, state } = track(server);
  return listen(server, sockets, state);
}

export interface ProxyOptions {
  /** Require Basic authentication with this user and password (407 otherwise). */
  auth?: { user: string; password: string };
  /** Refuse every CONNECT with this status (e.g. 403). */
  refuse?: number;
}

/** A minimal HTTP CONNECT proxy that tunnels to 127.0.0.1 only. */
export async function startConnectProxy(
  opts: ProxyOptions = {},
): Promise<RunningServer & { lastAuth?: string }> {
  const server = createHttpServer((_req, res) => {
    res.statusCode = 405;
    res.end();
  });
  let lastAuth: string | undefined;
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    client.on('error', () => {});
    lastAuth = req.headers['proxy-authorization'];
    if (opts.refuse) {
      client.end(`HTTP/1.1 ${opts.refuse} Forbidden\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    if (opts.auth) {
      const expected = `Basic ${Buffer.from(`${opts.auth.user}:${opts.auth.password}`).toString('base64')}`;
      if (lastAuth !== expected) {
        client.end(
          'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n',
        );
        return;
      }
    }
    const port = Number((req.url ?? '').split(':').pop());
    const upstream = connect({ host: '127.0.0.1', port }, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  const { sockets, state } = track(server);
  const running = await listen(server, sockets, state);
  return Object.assign(running, {
    get lastAuth() {
      return lastAuth;
    },
  });
}

/** An HTTP server answering fixed paths with fixed bodies (AIA caIssuers). */
export async function startFileServer(
  files: Record<string, Buffer>,
): Promise<RunningServer & { hits: string[] }> {
  const hits: string[] = [];
  const server = createHttpServer((req, res) => {
    hits.push(req.url ?? '');
    const body = files[req.url ?? ''];
    if (!body) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-type', 'application/pkix-cert');
    res.end(body);
  });
  const { sockets, state } = track(server);
  const running = await listen(server, sockets, state);
  return Object.assign(running, { hits });
}

/** A port that refuses connections: a server opened and closed again. */
export async function refusedPort(): Promise<number> {
  const s = await startSilentServer();
  const port = s.port;
  await s.close();
  return port;
}
