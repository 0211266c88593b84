/** @module Expand the `pse` command's arguments: files as given, folders to the PSE files (and cred_v2) inside. */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { inputError } from '../../readers/source.js';
import { describeWalkProblems, walkFolder } from '../../readers/walk-folder.js';

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
  /** Folder entries that could not be used (unreadable, link loops, too deep), one sentence each. */
  notes: string[];
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

/**
 * Files and folders → the PSE files to open. Folders are walked by the one rule of `walkFolder`
 * (sub-folders, hidden entries skipped, sorted); the filter takes `*.pse` and `cred_v2`.
 */
export function collectPseFiles(args: readonly string[], cwd: string): CollectedPseFiles {
  const files: PseFileEntry[] = [];
  const ignored: CollectedPseFiles['ignored'] = [];
  const notes: string[] = [];
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
    const walk = walkFolder(abs, arg, { accept: isPseEntry });
    for (const f of walk.files) files.push({ path: f.path, display: f.shown, size: f.size, explicit: false });
    if (walk.filtered > 0) ignored.push({ folder: arg, count: walk.filtered });
    notes.push(...describeWalkProblems(walk));
  }
  return { files, ignored, sawFolder, notes };
}

/** The `pse` command's filter: PSE files and the credentials file. */
export function isPseEntry(name: string): boolean {
  return PSE_ENTRY.test(name) || CRED_ENTRY.test(name);
}
