/**
 * @module Starts a throw-away PostgreSQL on 127.0.0.1 for tests (initdb into a temp dir, a free port),
 * run as the `postgres` OS user when the tests run as root, and stops it afterwards.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

export interface PostgresCluster {
  /** Superuser URL of the `postgres` database. */
  url: string;
  port: number;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  dropDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** The bin folder of the newest installed PostgreSQL, or undefined. */
export function findPostgresBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')) && existsSync(join(base, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : undefined;
}

/**
 * Skip option for PostgreSQL tests: a visible reason when the binaries are absent, a failure under CI=true.
 */
export function postgresOrSkip(): { skip: string | false } {
  if (findPostgresBin()) return { skip: false };
  if (process.env.CI === 'true')
    throw new Error('PostgreSQL binaries (/usr/lib/postgresql/*/bin) are required under CI');
  return { skip: 'PostgreSQL binaries not found in /usr/lib/postgresql/*/bin (PostgreSQL tests skipped)' };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL binary, as the `postgres` user when we are root (initdb refuses root). */
function runPg(bin: string, args: string[]): void {
  const cmd = isRoot ? 'runuser' : bin;
  const argv = isRoot ? ['-u', 'postgres', '--', bin, ...args] : args;
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) {
    throw new Error(`${bin.split('/').pop()} failed (${r.status}): ${r.stderr || r.stdout}`);
  }
}

const running = new Set<() => void>();
process.once('exit', () => {
  for (const stop of running) stop();
});

/** Starts a fresh PostgreSQL cluster on a free 127.0.0.1 port. */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL binaries not found');
  const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-pg-'));
  const data = join(dir, 'data');
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, 'pse-doctor-test\n', { mode: 0o644 });
  if (isRoot) chownSync(pwfile, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), 0);
  runPg(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'scram-sha-256',
    `--pwfile=${pwfile}`,
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  rmSync(pwfile, { force: true });
  const port = await freePort();
  const opts = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50 -c shared_buffers=16MB`;
  runPg(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-o', opts, '-w', '-t', '60', 'start']);
  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    try {
      runPg(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  running.add(stopSync);
  const url = `postgres://postgres:pse-doctor-test@127.0.0.1:${port}/postgres`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  return {
    url,
    port,
    async createDatabase(name: string) {
      if (!/^[a-z0-9_]{1,40}$/.test(name)) throw new Error(`bad database name ${name}`);
      await admin.unsafe(`CREATE DATABASE ${name}`);
      return `postgres://postgres:pse-doctor-test@127.0.0.1:${port}/${name}`;
    },
    async dropDatabase(name: string) {
      if (!/^[a-z0-9_]{1,40}$/.test(name)) throw new Error(`bad database name ${name}`);
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
    async stop() {
      await admin.end({ timeout: 2 });
      running.delete(stopSync);
      stopSync();
    },
  };
}
