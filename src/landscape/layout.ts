/**
 * @module The collected folder's layout: `collected/<SID>/<instance>/…` → the files to read, each with
 * its system and instance. Sub-folders of an instance (`sec/`) are walked a few levels deep; hidden
 * entries are skipped; the walk is bounded so a wrong path cannot run away.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ToolError } from '../model/errors.js';

/** Largest number of files taken from one collected folder. */
export const MAX_LANDSCAPE_FILES = 50_000;
/** Depth below an instance folder that is walked (`sec/`, `sec/listings/`). */
const MAX_DEPTH = 3;

/** What a collected file is, judged by its name (content decides later for text files). */
export type CollectedKind = 'pse' | 'text' | 'certificates' | 'other';

export interface CollectedFile {
  system: string;
  instance: string;
  /** Absolute path. */
  path: string;
  /** Relative to the collected folder, with `/` (`ABC/app1/sec/SAPSSLC.pse`). */
  display: string;
  kind: CollectedKind;
  size: number;
}

export interface CollectedLayout {
  files: CollectedFile[];
  /** Every system with its instance folders (also those without any file). */
  systems: { system: string; instances: string[] }[];
  skipped: number;
}

function kindOf(name: string): CollectedKind {
  if (/\.pse$/i.test(name)) return 'pse';
  if (/\.(?:txt|log|lst|out)$/i.test(name)) return 'text';
  if (/\.(?:pem|crt|cer|der|p7b|p7c)$/i.test(name)) return 'certificates';
  return 'other';
}

function listDir(abs: string, shown: string): string[] {
  try {
    return readdirSync(abs)
      .filter((n) => !n.startsWith('.'))
      .sort();
  } catch (err) {
    throw new ToolError('not-readable', {
      path: shown,
      reason: (err as NodeJS.ErrnoException).code ?? 'error',
    });
  }
}

function isDir(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

/** Walk `root` (as the user typed it: `shown`). Throws ToolError when it is not a folder or holds no system. */
export function collectLayout(root: string, shown: string): CollectedLayout {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(root);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new ToolError('file-not-found', { path: shown });
    throw new ToolError('not-readable', {
      path: shown,
      reason: (err as NodeJS.ErrnoException).code ?? 'error',
    });
  }
  if (!st.isDirectory()) {
    throw new ToolError('usage', {
      message: `${shown} is not a folder. "landscape" reads a collected folder laid out as <SID>/<instance>/… (see scripts/collect-pses.sh).`,
    });
  }
  const files: CollectedFile[] = [];
  const systems: CollectedLayout['systems'] = [];
  let skipped = 0;
  const walk = (dir: string, system: string, instance: string, depth: number) => {
    for (const name of listDir(dir, relative(root, dir) || shown)) {
      const abs = join(dir, name);
      let s: ReturnType<typeof statSync>;
      try {
        s = statSync(abs);
      } catch {
        skipped++;
        continue;
      }
      if (s.isDirectory()) {
        if (depth < MAX_DEPTH) walk(abs, system, instance, depth + 1);
        else skipped++;
        continue;
      }
      if (!s.isFile()) continue;
      // The collection script's own note (host, time) is not evidence.
      const kind = name === 'collect-info.txt' ? 'other' : kindOf(name);
      if (kind === 'other') {
        skipped++;
        continue;
      }
      if (files.length >= MAX_LANDSCAPE_FILES) {
        throw new ToolError('usage', {
          message: `${shown} holds more than ${MAX_LANDSCAPE_FILES} files to read; point "landscape" at the collected folder itself.`,
        });
      }
      files.push({
        system,
        instance,
        path: abs,
        display: relative(root, abs).split(/[\\/]/).join('/'),
        kind,
        size: s.size,
      });
    }
  };
  for (const system of listDir(root, shown)) {
    const sysDir = join(root, system);
    if (!isDir(sysDir)) {
      skipped++;
      continue;
    }
    const instances = listDir(sysDir, `${shown}/${system}`).filter((i) => isDir(join(sysDir, i)));
    systems.push({ system, instances });
    for (const instance of instances) walk(join(sysDir, instance), system, instance, 0);
  }
  if (systems.length === 0) {
    throw new ToolError('usage', {
      message: `${shown} holds no system folders. Lay it out as <SID>/<instance>/ with the PSE files inside (scripts/collect-pses.sh does this).`,
    });
  }
  return { files, systems, skipped };
}
