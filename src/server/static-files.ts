/**
 * @module The built web UI (dist/web): a fixed table of files read once at startup. Requests are looked
 * up in that table by exact path, so no request path ever reaches the file system (no traversal).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface WebAsset {
  body: Buffer;
  type: string;
  /** Hashed file names never change content: cache them for a year. */
  immutable: boolean;
}

export interface WebAssets {
  /** `index.html`, served for every page route. */
  index?: WebAsset;
  /** By URL path (`/assets/index-abc123.js`). */
  files: Map<string, WebAsset>;
  root?: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Where the built UI lives: beside the compiled server (dist/web), or dist/web when running from src. */
export function findWebRoot(): string | undefined {
  const candidates = [
    process.env.PSE_DOCTOR_WEB_ROOT,
    fileURLToPath(new URL('../web/', import.meta.url)),
    fileURLToPath(new URL('../../dist/web/', import.meta.url)),
  ];
  return candidates.find((d): d is string => !!d && existsSync(join(d, 'index.html')));
}

function walk(dir: string, out: string[], depth: number): void {
  if (depth > 4) return;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out, depth + 1);
    else if (st.isFile() && st.size < 10 * 1024 * 1024) out.push(p);
  }
}

/** Loads every file under `root` into memory (the UI is small). Empty table when there is no build. */
export function loadWebAssets(root: string | undefined = findWebRoot()): WebAssets {
  const files = new Map<string, WebAsset>();
  if (!root || !existsSync(root)) return { files };
  const paths: string[] = [];
  walk(root, paths, 0);
  let index: WebAsset | undefined;
  for (const p of paths) {
    const rel = relative(root, p).split(sep).join('/');
    const type = TYPES[extname(p).toLowerCase()];
    if (!type || rel.startsWith('.')) continue;
    const asset: WebAsset = { body: readFileSync(p), type, immutable: rel.startsWith('assets/') };
    if (rel === 'index.html') index = asset;
    else files.set(`/${rel}`, asset);
  }
  return index ? { index, files, root } : { files, root };
}
