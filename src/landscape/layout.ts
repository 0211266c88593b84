/**
 * @module The collected folder's layout: `collected/<SID>/<instance>/…` → the files to read, each with
 * its system and instance. Each instance folder is walked by the one folder rule (readers/walk-folder:
 * sub-folders such as `sec/`, hidden entries skipped, links and loops handled, bounded).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ToolError } from '../model/errors.js';
import { type WalkProblem, walkFolder } from '../readers/walk-folder.js';

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
  /** Entries that could not be used (unreadable, link loops, too deep, the entry limit), with the reason. */
  problems: WalkProblem[];
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
  const problems: WalkProblem[] = [];
  let skipped = 0;
  const walk = (dir: string, system: string, instance: string) => {
    const prefix = `${system}/${instance}`;
    // The collection script's own note (host, time) is not evidence.
    const accept = (name: string) => name !== 'collect-info.txt' && kindOf(name) !== 'other';
    const found = walkFolder(dir, `${shown}/${prefix}`, { accept });
    skipped += found.filtered + found.problems.length;
    problems.push(...found.problems);
    if (found.truncated) problems.push({ shown: `${shown}/${prefix}`, reason: found.truncated });
    for (const f of found.files) {
      files.push({
        system,
        instance,
        path: f.path,
        display: `${prefix}/${f.relative}`,
        kind: kindOf(f.relative),
        size: f.size,
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
    for (const instance of instances) walk(join(sysDir, instance), system, instance);
  }
  if (systems.length === 0) {
    throw new ToolError('usage', {
      message: `${shown} holds no system folders. Lay it out as <SID>/<instance>/ with the PSE files inside (scripts/collect-pses.sh does this).`,
    });
  }
  return { files, systems, skipped, problems };
}
