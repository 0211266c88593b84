/**
 * @module The one folder walker: every command that reads a folder the user named (analyze, cert, pse,
 * probe/verify --trust, landscape, baselines, the MCP path check) lists its files here, by one rule.
 */
import { readdirSync, realpathSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from './source.js';

/**
 * How deep a named folder is searched: its own files are level 0, files in its sub-folders level 1, …
 * Deeper folders are counted and reported, not read.
 */
export const MAX_FOLDER_DEPTH = 4;
/**
 * Most entries (files and folders, taken or not) looked at below one named folder. Beyond it the walk
 * stops and says so: a wrong path (`/`) ends quickly instead of running away.
 */
export const MAX_FOLDER_ENTRIES = 100_000;

/** One file found below a named folder. */
export interface WalkedFile {
  /** Absolute path (through links as found, not resolved). */
  path: string;
  /** The path as the user sees it: the folder as named + the relative path inside. */
  shown: string;
  /** Relative to the named folder, with `/` separators. */
  relative: string;
  size: number;
}

/** An entry the walk could not use: reported to the user, never fatal. */
export interface WalkProblem {
  shown: string;
  reason: string;
}

export interface FolderWalk {
  /** Files the filter took, in walk order (by name within each folder, depth-first). */
  files: WalkedFile[];
  /** Unreadable folders, dangling links, link loops, folders below the depth limit, non-regular files. */
  problems: WalkProblem[];
  /** Regular files the caller's filter did not take. */
  filtered: number;
  /** Hidden entries (name starting with `.`) skipped. */
  hidden: number;
  /** Set when the entry limit stopped the walk: a sentence for the user. */
  truncated?: string;
}

/** The file-system calls the walker makes (tests inject failures; the default is node:fs). */
export interface WalkFs {
  readdir(path: string): string[];
  stat(path: string): Stats;
  realpath(path: string): string;
}

const NODE_FS: WalkFs = {
  readdir: (p) => readdirSync(p),
  stat: (p) => statSync(p),
  realpath: (p) => realpathSync(p),
};

export interface WalkOptions {
  /** Which files the command takes, by name and relative path (default: every regular file). */
  accept?: (name: string, relative: string) => boolean;
  /** Depth limit (default MAX_FOLDER_DEPTH); only tests and callers with a fixed layout change it. */
  maxDepth?: number;
  /** Entry limit (default MAX_FOLDER_ENTRIES). */
  maxEntries?: number;
  fs?: WalkFs;
}

/**
 * Made for the first name that `compareNames` cannot order by itself: creating a collator loads ICU's
 * collation data, ~10 ms that a call reading one file, standard input or a sec folder should not pay.
 */
let collator: Intl.Collator | undefined;

/**
 * Primary weights of the characters file names in a sec folder are made of (`_`, `-`, `.`, digits,
 * letters), in the order English collation gives them; -1 for every other character.
 */
const PRIMARY = new Int8Array(128).fill(-1);
{
  let rank = 0;
  for (const c of '_-.0123456789') PRIMARY[c.charCodeAt(0)] = rank++;
  for (let i = 0; i < 26; i++) {
    PRIMARY[0x61 + i] = rank;
    PRIMARY[0x41 + i] = rank++;
  }
}

function plainName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 128 || (PRIMARY[c] as number) < 0) return false;
  }
  return true;
}

/**
 * English collation of two names made only of PRIMARY's characters, without ICU: letters compare
 * without case first (`_` < `-` < `.` < digits < letters, a shorter name first), then the first
 * difference in case decides, lower case first. That is what `Intl.Collator('en')` does for them (a test
 * compares both on thousands of names); any other name goes to the collator.
 */
export function compareNames(a: string, b: string): number {
  if (!plainName(a) || !plainName(b)) {
    collator ??= new Intl.Collator('en');
    return collator.compare(a, b);
  }
  let tertiary = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    const pa = PRIMARY[ca] as number;
    const pb = PRIMARY[cb] as number;
    if (pa !== pb) return pa < pb ? -1 : 1;
    if (tertiary === 0 && ca !== cb) tertiary = ca > cb ? -1 : 1; // Same letter: 'a' (0x61) before 'A' (0x41).
  }
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return tertiary;
}

/** Names as a person sorts them (English collation, fixed: not the machine's locale); ties by code unit. */
function byName(a: string, b: string): number {
  return compareNames(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

function reasonOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'a link to something that does not exist';
  if (code === 'ELOOP') return 'its symbolic links point back to one another (a link loop)';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? (err as Error)?.message ?? String(err);
}

/**
 * Walk the folder `abs` (named by the user as `shown`). The rule, the same for every command:
 * - sub-folders are searched up to MAX_FOLDER_DEPTH levels below the named folder;
 * - hidden entries (`.name`) below the named folder are skipped;
 * - symbolic links are followed, to files and to folders; a folder reached twice (a link loop, or two
 *   links to one folder) is walked once and the repeat reported;
 * - an entry that cannot be read (permission, dangling link) is reported and the walk goes on;
 * - only regular files are taken (a FIFO or device in a folder never blocks), then the caller's filter;
 * - within each folder, entries by name in English collation (`cred_v2` before `SAPSSLC.pse`, the
 *   same on every machine), depth-first;
 * - at most MAX_FOLDER_ENTRIES entries are looked at; the walk then stops and `truncated` says so.
 * The named folder itself must be readable: else a ToolError naming it (missing, unreadable, a loop).
 */
export function walkFolder(abs: string, shown: string, options: WalkOptions = {}): FolderWalk {
  const fs = options.fs ?? NODE_FS;
  const maxDepth = options.maxDepth ?? MAX_FOLDER_DEPTH;
  const maxEntries = options.maxEntries ?? MAX_FOLDER_ENTRIES;
  const accept = options.accept ?? (() => true);
  const walk: FolderWalk = { files: [], problems: [], filtered: 0, hidden: 0 };
  const visited = new Set<string>();
  let seen = 0;
  const realOf = (path: string): string => {
    try {
      return fs.realpath(path);
    } catch {
      return path;
    }
  };
  visited.add(realOf(abs));
  // The named folder: a failure here is an input error (thrown), not a problem of an entry.
  let top: string[];
  try {
    top = fs.readdir(abs);
  } catch (err) {
    throw inputError(err, shown);
  }

  const visit = (dir: string, rel: string, depth: number, names: string[]): boolean => {
    for (const name of [...names].sort(byName)) {
      if (++seen > maxEntries) {
        walk.truncated = `${shown} holds more than ${maxEntries.toLocaleString('en')} entries: only the first were looked at; name a smaller folder.`;
        return false;
      }
      const relative = rel ? `${rel}/${name}` : name;
      const entryShown = join(shown, relative);
      if (name.startsWith('.')) {
        walk.hidden++;
        continue;
      }
      const path = join(dir, name);
      let st: Stats;
      try {
        st = fs.stat(path);
      } catch (err) {
        walk.problems.push({ shown: entryShown, reason: reasonOf(err) });
        continue;
      }
      if (st.isDirectory()) {
        if (depth >= maxDepth) {
          walk.problems.push({
            shown: entryShown,
            reason: `more than ${maxDepth} folder levels below ${shown}; not searched`,
          });
          continue;
        }
        const real = realOf(path);
        if (visited.has(real)) {
          walk.problems.push({
            shown: entryShown,
            reason: 'a link to a folder that is already read (a link loop or a second way in); not followed',
          });
          continue;
        }
        visited.add(real);
        let inner: string[];
        try {
          inner = fs.readdir(path);
        } catch (err) {
          walk.problems.push({ shown: entryShown, reason: reasonOf(err) });
          continue;
        }
        if (!visit(path, relative, depth + 1, inner)) return false;
        continue;
      }
      if (!st.isFile()) {
        walk.problems.push({ shown: entryShown, reason: 'not a regular file (a pipe, socket or device)' });
        continue;
      }
      if (!accept(name, relative)) {
        walk.filtered++;
        continue;
      }
      walk.files.push({ path, shown: entryShown, relative, size: st.size });
    }
    return true;
  };
  visit(abs, '', 0, top);
  return walk;
}

/** One line per problem, for a command's notes (`<path>: <reason>`). */
export function describeWalkProblems(walk: FolderWalk): string[] {
  return [
    ...walk.problems.map((p) => `${p.shown}: ${p.reason}; skipped.`),
    ...(walk.truncated ? [walk.truncated] : []),
  ];
}
