/**
 * @module The folders an MCP client may read: named at start, held as real paths; every path a tool
 * receives must resolve — after `..`, symbolic links and relative parts — to a place inside one of them.
 */
import { lstatSync, realpathSync, type Stats, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ToolError } from '../model/errors.js';
import { walkFolder } from '../readers/walk-folder.js';

/** Longest path accepted from a client. */
const MAX_PATH_LENGTH = 4096;

/** A path a tool may read: its real path, what kind of thing it is, and its size (files). */
export interface AllowedPath {
  /** The path as the client gave it (for messages). */
  given: string;
  /** The real path: no links, no `..`. */
  real: string;
  kind: 'file' | 'folder';
  /** File size, or the sum of the regular files examined in a folder. */
  bytes: number;
}

function refuse(message: string): ToolError {
  return new ToolError('usage', { message });
}

/** Is `child` (a real path) `root` itself or below it? Compares whole path segments, never prefixes. */
export function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  if (rel === '') return true;
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** The folders a server was started with, resolved once. */
export class AllowedFolders {
  private constructor(readonly roots: readonly string[]) {}

  /** Resolve the `--allow` folders (relative to `cwd`) to real paths; each must be an existing folder. */
  static resolve(dirs: readonly string[], cwd: string): AllowedFolders {
    const roots: string[] = [];
    for (const dir of dirs) {
      let real: string;
      try {
        real = realpathSync(resolve(cwd, dir));
      } catch {
        throw refuse(`--allow ${dir}: no such folder.`);
      }
      if (!statSync(real).isDirectory()) throw refuse(`--allow ${dir}: not a folder.`);
      if (!roots.includes(real)) roots.push(real);
    }
    return new AllowedFolders(roots);
  }

  /** A sentence for messages: which folders may be read. */
  describe(): string {
    if (this.roots.length === 0)
      return 'This server was started without --allow, so it reads no files; paste the text instead, or restart it with --allow <folder>.';
    return `This server may read only inside: ${this.roots.join(', ')}.`;
  }

  private containing(real: string): string | undefined {
    return this.roots.find((root) => isInside(root, real));
  }

  /**
   * Check one path from a client. Relative paths resolve against the first allowed folder. Throws a
   * ToolError (a clear sentence) when the path is outside, leads outside through a link, is not a regular
   * file or folder, or is a file with further hard links (its other names could lie anywhere).
   * A folder is walked by the same rule the commands read it with (readers/walk-folder), so every file
   * a command can reach is checked too.
   */
  check(given: unknown): AllowedPath {
    if (typeof given !== 'string' || given.trim() === '') throw refuse('A path must be a non-empty string.');
    if (given.length > MAX_PATH_LENGTH) throw refuse(`A path is longer than ${MAX_PATH_LENGTH} characters.`);
    if (given.includes('\0')) throw refuse('A path must not contain a NUL character.');
    if (this.roots.length === 0) throw refuse(this.describe());
    const lexical = resolve(this.roots[0] as string, given);
    let real: string;
    try {
      real = realpathSync(lexical);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (!this.containing(lexical))
        throw refuse(`${given} is outside the allowed folders. ${this.describe()}`);
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new ToolError('file-not-found', { path: given });
      throw new ToolError('not-readable', { path: given, reason: code ?? 'error' });
    }
    if (!this.containing(real)) {
      throw refuse(
        this.containing(lexical)
          ? `${given} is a link (or lies in a linked folder) that leads outside the allowed folders. ${this.describe()}`
          : `${given} is outside the allowed folders. ${this.describe()}`,
      );
    }
    const st = statSync(real);
    if (st.isFile()) {
      checkHardLinks(given, st);
      return { given, real, kind: 'file', bytes: st.size };
    }
    if (!st.isDirectory()) throw refuse(`${given} is not a regular file or folder.`);
    const bytes = this.checkTree(given, real);
    return { given, real, kind: 'folder', bytes };
  }

  /**
   * Every file the commands' folder walk reaches must stay inside: its real path (through links to files
   * and linked folders) is checked, hard-linked files are refused. The walk is the commands' own, so the
   * check and the read see the same files.
   */
  private checkTree(given: string, dir: string): number {
    let total = 0;
    const walk = walkFolder(dir, given);
    if (walk.truncated) throw refuse(walk.truncated);
    for (const file of walk.files) {
      let real: string;
      try {
        real = realpathSync(file.path);
      } catch {
        continue; // gone since the walk: the read will say so
      }
      if (!this.containing(real)) {
        const isLink = lstatSync(file.path).isSymbolicLink();
        throw refuse(
          isLink
            ? `${file.shown} is a link that leads outside the allowed folders. ${this.describe()}`
            : `${file.shown} lies in a linked folder that leads outside the allowed folders. ${this.describe()}`,
        );
      }
      const st = statSync(real);
      checkHardLinks(file.shown, st);
      total += st.size;
    }
    return total;
  }
}

function checkHardLinks(shown: string, st: Stats): void {
  if (st.nlink > 1)
    throw refuse(
      `${shown} has ${st.nlink - 1} more hard link(s), which may lie outside the allowed folders; copy the file into an allowed folder instead.`,
    );
}
