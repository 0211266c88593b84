/** @module Starts the app on a Node HTTP server, bound to 127.0.0.1 unless told otherwise. */
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { ToolError } from '../model/errors.js';
import type { ReportStore } from '../store/types.js';
import { createApp } from './app.js';
import { isLoopbackHost } from './security.js';
import type { ServerServices } from './services.js';
import type { WebAssets } from './static-files.js';

export interface StartOptions {
  host: string;
  port: number;
  store: ReportStore;
  services: ServerServices;
  maxUploadBytes: number;
  enableProbe?: boolean;
  token?: string;
  web?: WebAssets;
  log?: (line: string) => void;
  /** Idle timeout of a connection in ms (default BODY_IDLE_MS); tests shorten it. */
  bodyIdleMs?: number;
  /** Requests with a body handled at once (default 16). */
  maxConcurrentUploads?: number;
  /** Longest wait for an analysis worker before listening anyway, in ms (default WORKER_WAIT_MS). */
  workerWaitMs?: number;
}

/** A connection that sends and receives nothing for this long is closed (upload body idle timeout). */
export const BODY_IDLE_MS = 60_000;
/** Listening waits this long at most for an analysis worker to take jobs (they start in well under a second). */
export const WORKER_WAIT_MS = 10_000;
/** Open connections at most; further ones are refused by the operating system's accept queue. */
export const MAX_CONNECTIONS = 1024;

/** A connection closed while its client still sends a body is read (and dropped) this long at most… */
export const LINGER_MS = 2_000;
/** …and this much at most, before it is closed for good. */
export const LINGER_BYTES = 64 * 1024 * 1024;

/**
 * Lingering close (RFC 9112 §9.6). When the server answers before it has read the whole request (413 for
 * an upload over the limit, 503 when busy) and closes the connection, closing the socket with unread bytes
 * in it makes the operating system send a reset, and the client then loses the answer it had not read yet
 * (it sees EPIPE or ECONNRESET instead of the 413). So such a socket only shuts its sending side, keeps
 * reading and dropping what still arrives, and closes when the client does, after LINGER_MS or after
 * LINGER_BYTES, whichever comes first.
 */
function lingerOnClose(server: Server): void {
  const lastRequest = new WeakMap<Socket, IncomingMessage>();
  server.on('request', (req: IncomingMessage) => lastRequest.set(req.socket, req));
  server.on('connection', (socket: Socket) => {
    const destroySoon = socket.destroySoon.bind(socket);
    socket.destroySoon = () => {
      const req = lastRequest.get(socket);
      if (!req || req.complete || socket.destroyed || !socket.readable) return destroySoon();
      let read = 0;
      const close = () => socket.destroy();
      const timer = setTimeout(close, LINGER_MS);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
      socket.once('end', close);
      socket.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > LINGER_BYTES) close();
      });
      socket.end();
      socket.resume();
      // The HTTP parser stopped reading the socket when the unread request filled its buffer, and the
      // stream still counts itself as reading, so resume() alone does not start it again: _read does.
      socket._read(64 * 1024);
    };
  });
}

/**
 * Resolves when an analysis worker takes jobs, when none can start, or after `ms` (a worker that hangs
 * while starting must not keep the server from listening: the pool's fallback answers meanwhile).
 */
async function workersReadyOrLate(services: ServerServices, ms: number): Promise<void> {
  const ready = services.workersReady?.();
  if (!ready) return;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([ready, late]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RunningServer {
  /** `http://127.0.0.1:7847` (with the real port when 0 was asked). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Listens and resolves once the port is bound. EADDRINUSE and friends become ToolErrors. With analysis
 * workers, it listens only once one of them takes jobs (about 0.3 s after start): an upload that came
 * earlier would be analysed on the server's own thread (the pool's fallback), cold, and that thread
 * would load the whole analysis code and keep it in its heap for good (see default-services.ts). A pool
 * that cannot start answers at once, and the server's thread analyses, as without workers.
 */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  await workersReadyOrLate(options.services, options.workerWaitMs ?? WORKER_WAIT_MS);
  const loopback = isLoopbackHost(options.host);
  // Filled once the port is known; a loopback server answers only to its own names (DNS rebinding).
  const allowedHosts = loopback ? new Set<string>() : undefined;
  const app = createApp({
    store: options.store,
    services: options.services,
    maxUploadBytes: options.maxUploadBytes,
    ...(options.enableProbe ? { enableProbe: true } : {}),
    ...(options.token ? { token: options.token } : {}),
    ...(allowedHosts ? { allowedHosts } : {}),
    ...(options.web ? { web: options.web } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.maxConcurrentUploads ? { maxConcurrentUploads: options.maxConcurrentUploads } : {}),
  });
  const server = createAdaptorServer({ fetch: app.fetch, hostname: options.host }) as Server;
  // Slow clients may upload large traces; still bound how long headers may take, and how long a
  // connection may stay silent (a drip upload that sends nothing for BODY_IDLE_MS is closed).
  server.headersTimeout = 30_000;
  server.requestTimeout = 30 * 60_000;
  server.timeout = options.bodyIdleMs ?? BODY_IDLE_MS;
  server.maxConnections = MAX_CONNECTIONS;
  lingerOnClose(server);
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const reason =
        err.code === 'EADDRINUSE'
          ? `port ${options.port} on ${options.host} is already in use; pick another with --port`
          : err.code === 'EACCES'
            ? `not allowed to listen on ${options.host}:${options.port}`
            : err.code === 'EADDRNOTAVAIL'
              ? `${options.host} is not an address of this machine`
              : err.message;
      reject(new ToolError('usage', { message: `Cannot start the server: ${reason}.` }));
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  if (allowedHosts) {
    for (const name of [
      '127.0.0.1',
      'localhost',
      '[::1]',
      options.host.includes(':') ? `[${options.host}]` : options.host,
    ]) {
      allowedHosts.add(`${name}:${port}`);
      if (port === 80) allowedHosts.add(name);
    }
  }
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
