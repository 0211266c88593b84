/** @module Expand the `pse` command's arguments: files as given, folders to the PSE files (and cred_v2) inside. */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ToolError } from '../../model/errors.js';
import { inputError } from '../../readers/source.js';

/** Most PSE files taken from one folder (a sec folder holds a handful; this bounds a wrong path). */
export const MAX_FOLDER_PSES = 5000;

/** One file to open. */
export interface PseFileEntry {
  /** Absolute path. */
  path: string;
  /** Path as the user sees it (the argument, or argument + entry name). */
  display: string;
  size: number;
  /** True when named on the command line (failure to open is then an input error). */
  explicit: boolean;
}

export interface CollectedPseFiles {
  files: PseFileEntry[];
  /** Folder entries that are neither PSE files nor cred_v2, by folder. */
  ignored: { folder: string; count: number }[];
  /** True when some argument was a folder. */
  sawFolder: boolean;
}

const PSE_ENTRY = /\.pse$/i;
const CRED_ENTRY = /^cred_v2$/i;

/** Stat a path (following links), mapping failures to ToolErrors that name it (missing, link loop, …). */
function statPath(abs: string, shown: string) {
  try {
    return statSync(abs);
  } catch (err) {
    throw inputError(err, shown);
  }
}

/** Files and folders → the PSE files to open, sorted by name within each folder. */
export function collectPseFiles(args: readonly string[], cwd: string): CollectedPseFiles {
  const files: PseFileEntry[] = [];
  const ignored: CollectedPseFiles['ignored'] = [];
  let sawFolder = false;
  for (const arg of args) {
    const abs = resolve(cwd, arg);
    const st = statPath(abs, arg);
    if (!st.isDirectory()) {
      // A regular file, or a FIFO / pipe / device named on purpose: read once with the PSE size limit.
      files.push({ path: abs, display: arg, size: st.isFile() ? st.size : 0, explicit: true });
      continue;
    }
    sawFolder = true;
    let names: string[];
    try {
      names = readdirSync(abs).sort((a, b) => a.localeCompare(b, 'en'));
    } catch (err) {
      throw new ToolError('not-readable', {
        path: arg,
        reason: (err as NodeJS.ErrnoException).code ?? 'error',
      });
    }
    let skipped = 0;
    let taken = 0;
    for (const name of names) {
      if (!PSE_ENTRY.test(name) && !CRED_ENTRY.test(name)) {
        skipped++;
        continue;
      }
      const entryAbs = join(abs, name);
      let size: number;
      try {
        const est = statSync(entryAbs);
        if (!est.isFile()) continue;
        size = est.size;
      } catch {
        continue;
      }
      if (++taken > MAX_FOLDER_PSES) {
        throw new ToolError('usage', {
          message: `${arg} holds more than ${MAX_FOLDER_PSES} PSE files; pass a sec folder or single files.`,
        });
      }
      files.push({ path: entryAbs, display: join(arg, name), size, explicit: false });
    }
    if (skipped > 0) ignored.push({ folder: arg, count: skipped });
  }
  return { files, ignored, sawFolder };
}
