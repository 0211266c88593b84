/**
 * @module Starts `pse-doctor serve` as a real child process (from source, through tsx) on a free port and
 * stops it again; makes sure the web UI is built first.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/fixtures.js';

export interface ServeProcess {
  url: string;
  port: number;
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  stop(): Promise<number | null>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return newest;
}

/**
 * Builds dist/web when it is missing or older than its sources (vite, about a second). The build goes to
 * a private folder that is then swapped in, so test files building at the same time do not collide.
 */
export function ensureWebBuilt(): void {
  const web = join(REPO_ROOT, 'dist', 'web');
  const src = join(REPO_ROOT, 'src', 'server', 'web');
  if (existsSync(join(web, 'index.html')) && statSync(join(web, 'index.html')).mtimeMs >= newestMtime(src))
    return;
  const tmp = join(REPO_ROOT, 'dist', `.web-${process.pid}`);
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build-steps', '20-web.mjs')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, PSE_DOCTOR_WEB_OUT: tmp },
  });
  if (r.status !== 0) throw new Error(`web build failed: ${r.stderr}`);
  rmSync(web, { recursive: true, force: true });
  try {
    renameSync(tmp, web);
  } catch {
    // Another test file swapped its (identical) build in first.
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Starts `pse-doctor serve --port 0 …args` and resolves once it prints its URL. */
export async function startServeProcess(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<ServeProcess> {
  ensureWebBuilt();
  const entry = join(REPO_ROOT, 'test', 'serve', 'support', 'cli-entry.ts');
  // Resolved here: the child runs in another working directory, where a bare "tsx" would not resolve.
  const tsx = import.meta.resolve('tsx');
  const proc = spawn(process.execPath, ['--import', tsx, entry, 'serve', '--port', '0', ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve did not start in time.\nstdout: ${out}\nstderr: ${err}`)),
      options.timeoutMs ?? 30_000,
    );
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && out.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before listening.\nstdout: ${out}\nstderr: ${err}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    proc,
    stdout: () => out,
    stderr: () => err,
    async stop() {
      if (proc.exitCode !== null) return proc.exitCode;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(timer);
      running.delete(proc);
      return code;
    },
  };
}
