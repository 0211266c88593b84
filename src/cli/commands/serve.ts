/**
 * @module `pse-doctor serve`: the local web app (drop a trace → the diagnosis, explain, PSE view, probe,
 * history in SQLite or PostgreSQL). Safe by default: 127.0.0.1 only; other addresses need a token or
 * an explicit, loudly announced --allow-open.
 */
import type { Command } from 'commander';
import { ToolError } from '../../model/errors.js';
import type { CliIo } from '../io.js';
import type { RegisterCommand } from './types.js';

interface ServeOptions {
  port: string;
  host: string;
  db?: string;
  tokenFile?: string;
  allowOpen?: boolean;
  maxUpload: string;
  enableProbe?: boolean;
  probePrivate?: boolean;
  workers?: string;
}

export const DEFAULT_PORT = 7847;

const HELP_AFTER = `
Examples:
  pse-doctor serve                          http://127.0.0.1:7847, history in ./pse-doctor.db (SQLite)
  pse-doctor serve --db postgres://user@db/psedoctor --host 0.0.0.0 --token-file token.txt
                                            team mode: several replicas may share one PostgreSQL
  openssl rand -hex 32 > token.txt && chmod 600 token.txt

Notes:
  The database URL may also come from PSE_DOCTOR_DB (keeps a password out of the process list);
  PostgreSQL's own PGPASSWORD / PGUSER / PGHOST variables work too.
  Nothing is stored unless a user saves an analysis; PINs are used for one request and never stored or logged.
  --host other than 127.0.0.1/localhost/::1 requires --token-file (Bearer token or the login form)
  or --allow-open (no authentication; printed as a warning at start).
  --enable-probe lets page users make this server open TLS connections to hosts they name: public
  addresses only (checked for every address a name resolves to); never this machine, link-local
  (169.254.x.x, cloud metadata) or unspecified addresses; private ranges (10/8, 172.16/12,
  192.168/16, 100.64/10, fc00::/7) only with --probe-private. What a non-TLS service answers is
  never shown.

Exit codes (serve): 0 stopped by Ctrl+C / SIGTERM; 2 usage error (bad option, port in use, database unreachable).`;

/** `--workers`: analysis threads, 0 = analyse on the server's own thread. */
function parseWorkers(text: string | undefined, cores: number): number {
  if (text === undefined) return cores;
  if (!/^\d{1,3}$/.test(text) || Number(text) > 64) {
    throw new ToolError('usage', { message: `--workers must be a number from 0 to 64 (got "${text}").` });
  }
  return Number(text);
}

function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    throw new ToolError('usage', { message: `--port must be a number from 0 to 65535 (got "${text}").` });
  }
  return Number(text);
}

async function runServe(opts: ServeOptions, io: CliIo, setExit: (code: number) => void): Promise<void> {
  const [{ parseByteSize, formatBytes }, { isLoopbackHost }, { readTokenFile }] = await Promise.all([
    import('../../server/request-body.js'),
    import('../../server/security.js'),
    import('../../server/auth.js'),
  ]);
  const port = parsePort(opts.port);
  const host = opts.host.trim();
  if (!host || !/^[A-Za-z0-9.:[\]-]{1,255}$/.test(host)) {
    throw new ToolError('usage', {
      message: `--host must be an IP address or host name (got "${opts.host}").`,
    });
  }
  const bindHost = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const maxUploadBytes = parseByteSize(opts.maxUpload);
  if (maxUploadBytes === undefined) {
    throw new ToolError('usage', {
      message: `--max-upload must be a size like 200MB or 1G (got "${opts.maxUpload}").`,
    });
  }
  const [{ defaultPoolSize }] = await Promise.all([import('../../server/analysis-pool.js')]);
  const workers = parseWorkers(opts.workers, defaultPoolSize());
  const loopback = isLoopbackHost(bindHost);
  if (opts.tokenFile && opts.allowOpen) {
    throw new ToolError('usage', { message: 'Use either --token-file or --allow-open, not both.' });
  }
  if (!loopback && !opts.tokenFile && !opts.allowOpen) {
    throw new ToolError('usage', {
      message: `Binding to ${host} makes pse-doctor reachable from other machines. Give --token-file <file> (a long random token, e.g. "openssl rand -hex 32 > token.txt") or, on a trusted network only, --allow-open.`,
    });
  }
  let token: string | undefined;
  if (opts.tokenFile) {
    const read = readTokenFile(opts.tokenFile);
    token = read.token;
    if (read.warning) io.stderr.write(`pse-doctor serve: warning: ${read.warning}\n`);
  }

  const [{ openStore, describeStoreTarget }, { startServer }, { createDefaultServices }] = await Promise.all([
    import('../../store/open-store.js'),
    import('../../server/start-server.js'),
    import('../../server/default-services.js'),
  ]);
  const dbTarget = opts.db ?? io.env.PSE_DOCTOR_DB;
  const store = await openStore(dbTarget, io.cwd);
  const log = (line: string) => io.stderr.write(`pse-doctor serve: ${line}\n`);
  let server: Awaited<ReturnType<typeof startServer>>;
  const services = createDefaultServices({
    probe: Boolean(opts.enableProbe),
    probePrivate: Boolean(opts.probePrivate),
    // Test hook only (the end-to-end tests probe a TLS server on 127.0.0.1); never documented for use.
    probeLoopback: io.env.PSE_DOCTOR_PROBE_LOOPBACK === '1',
    workers,
  });
  try {
    server = await startServer({
      host: bindHost,
      port,
      store,
      services,
      maxUploadBytes,
      ...(opts.enableProbe ? { enableProbe: true } : {}),
      ...(token ? { token } : {}),
      log,
    });
  } catch (err) {
    await services.close?.();
    await store.close();
    throw err;
  }

  // One write, so a reader of the output sees the whole block at once.
  io.stdout.write(
    [
      `pse-doctor serve: listening on ${server.url}`,
      `  history:  ${describeStoreTarget(dbTarget, io.cwd)}`,
      `  uploads:  up to ${formatBytes(maxUploadBytes)} per analysis; probe form ${opts.enableProbe ? 'ON' : 'off (--enable-probe)'}`,
      `  analyses: ${workers > 0 ? `${workers} worker thread${workers === 1 ? '' : 's'}` : 'on the server thread (--workers 0)'}`,
      `  access:   ${token ? 'token required (Bearer header or the /login form)' : loopback ? 'this machine only' : 'OPEN — no authentication'}`,
      'Press Ctrl+C to stop.\n',
    ].join('\n'),
  );
  if (!token && !loopback) {
    io.stderr.write(
      `WARNING: pse-doctor is listening on ${server.url} WITHOUT authentication (--allow-open).\n` +
        'WARNING: anyone who can reach this port can run analyses and read and delete saved reports.\n',
    );
  }

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  io.stdout.write('pse-doctor serve: stopping\n');
  await server.close();
  await services.close?.();
  await store.close();
  setExit(0);
}

/** Registers `serve`. */
export const registerServe: RegisterCommand = (program: Command, io: CliIo, setExit) => {
  program
    .command('serve')
    .description(
      'Run the local web app: drop traces or paste errors, see the diagnosis, keep a shared history.',
    )
    .option('--port <port>', 'port to listen on (0 = any free port)', String(DEFAULT_PORT))
    .option(
      '--host <address>',
      'address to bind (not loopback: needs --token-file or --allow-open)',
      '127.0.0.1',
    )
    .option('--db <target>', 'history store: SQLite file path or postgres://… URL (default ./pse-doctor.db)')
    .option('--token-file <file>', 'require the token in this file (Bearer header or login form)')
    .option('--allow-open', 'allow a non-loopback address WITHOUT authentication (trusted networks only)')
    .option('--max-upload <size>', 'largest upload per analysis, e.g. 200MB, 2G', '200MB')
    .option(
      '--enable-probe',
      'allow the probe form (the server then opens TLS connections to public hosts users name)',
    )
    .option(
      '--probe-private',
      'with --enable-probe: also allow private addresses (10/8, 172.16/12, 192.168/16, …)',
    )
    .option('--workers <n>', 'analysis threads for uploads (default: one per core; 0 = on the server thread)')
    .addHelpText('after', HELP_AFTER)
    .action((opts: ServeOptions) => runServe(opts, io, setExit));
};
