/**
 * @module The one `--out` writer of every command: safe file names, all-or-nothing checks, equal content left alone, a different file never overwritten silently.
 */
import { lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ToolError } from '../model/errors.js';
import type { Report } from '../model/report.js';
import type { CliIo } from './io.js';

/** One file to write into the `--out` folder. */
export interface OutFile {
  /** File name (no folder); reduced to {@link safeFileName}'s alphabet before use. */
  name: string;
  content: string;
  /** File mode when created (default 0644). */
  mode?: number;
  /**
   * When the file exists with other content: true when that content is an earlier copy of this very
   * artefact (e.g. the same report with another `generatedAt`), which may then be replaced.
   */
  sameArtifact?: (existing: string) => boolean;
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * A file name from the safe alphabet `[A-Za-z0-9._-]`: no path separator, no leading dot or dash, no
 * control or shell character, at most 100 characters. Names from evidence (a certificate's CN) pass
 * through here, so `--out` never writes outside its folder nor a name a shell would misread.
 */
export function safeFileName(name: string, fallback = 'certificate.crt'): string {
  if (SAFE_NAME.test(name) && !name.includes('..')) return name;
  const cleaned = name
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[._-]+/, '')
    .slice(0, 100);
  return SAFE_NAME.test(cleaned) ? cleaned : fallback;
}

/** How `path` is shown to the user: relative to the working folder when inside it. */
export function displayPath(io: CliIo, path: string): string {
  const rel = relative(io.cwd, path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}

/** The text of `path` when it is a regular file; undefined when nothing is there. */
function existingContent(path: string, shown: string): string | undefined {
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(path);
  } catch {
    return undefined;
  }
  if (!stat.isFile())
    throw new ToolError('usage', {
      message: `${shown} exists and is not a regular file (a folder, link or device); pse-doctor does not write through it. Choose another --out folder.`,
    });
  return readFileSync(path, 'utf8');
}

export interface WriteOutResult {
  /** Absolute paths of the files now in the folder (written or already equal), in `files` order. */
  paths: string[];
  /** Of those, the ones that were (re)written in this run. */
  written: string[];
}

/**
 * Write `files` into `dir` with one policy: every target is checked first, so a conflict leaves
 * nothing half-written; a file that already holds the same content is left alone (re-running a command
 * into the same folder succeeds); a file with other content is replaced only with `force` or when it is
 * an earlier copy of the same artefact, otherwise the run stops with exit 2 and names it. Files are
 * written to a temporary name and renamed, so a reader never sees half a file.
 */
export function writeOutFiles(dir: string, io: CliIo, files: OutFile[], force = false): WriteOutResult {
  const abs = resolve(io.cwd, dir);
  try {
    mkdirSync(abs, { recursive: true });
  } catch (err) {
    throw new ToolError('not-readable', {
      path: dir,
      reason: (err as NodeJS.ErrnoException).code ?? 'cannot create the folder',
    });
  }
  const plan: { path: string; file: OutFile; write: boolean }[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const name = safeFileName(file.name);
    if (seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    const path = join(abs, name);
    const shown = displayPath(io, path);
    const existing = existingContent(path, shown);
    if (existing === file.content) {
      plan.push({ path, file, write: false });
      continue;
    }
    if (existing !== undefined && !force && !file.sameArtifact?.(existing))
      throw new ToolError('usage', {
        message: `${shown} already exists with other content; pse-doctor does not overwrite your files. Choose an empty folder for --out, or add --force where the command offers it.`,
      });
    plan.push({ path, file, write: true });
  }
  const written: string[] = [];
  for (const { path, file, write } of plan) {
    if (!write) continue;
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, file.content, { encoding: 'utf8', mode: file.mode ?? 0o644 });
      renameSync(tmp, path);
    } catch (err) {
      throw new ToolError('not-readable', {
        path: displayPath(io, path),
        reason: `cannot write: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      });
    }
    written.push(path);
  }
  return { paths: plan.map((p) => p.path), written };
}

/** The report as `--out` writes it: the same JSON whatever the clock, so a re-run leaves it equal. */
function reportJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** What an existing report file is to a new `report`: the same (but for its time), an earlier pse-doctor report, or foreign. */
function compareReport(report: Report, existing: string): 'same' | 'earlier' | 'foreign' {
  try {
    const old = JSON.parse(existing) as Partial<Report>;
    if (old?.tool !== 'pse-doctor') return 'foreign';
    const strip = (r: Partial<Report>) => JSON.stringify({ ...r, generatedAt: undefined });
    return strip(old) === strip(report) ? 'same' : 'earlier';
  } catch {
    return 'foreign';
  }
}

/**
 * `--out` of verify and probe: each import plan's PEM (once per file name) and `reportFileName`. A PEM
 * file that already holds the same text is left as it is; one with other content is never overwritten.
 * The report file is left alone when it is the same report made at another time, replaced (with a note
 * on standard error) when it is an earlier pse-doctor report, and never when it is something else.
 * Returns the paths.
 */
export function writeReportArtifacts(
  dir: string,
  io: CliIo,
  report: Report,
  reportFileName: string,
): string[] {
  const files: OutFile[] = [];
  for (const f of report.findings) {
    const plan = f.import;
    if (plan?.pem && plan.fileName) files.push({ name: plan.fileName, content: plan.pem });
  }
  const reportPath = join(resolve(io.cwd, dir), safeFileName(reportFileName));
  let previous: 'same' | 'earlier' | 'foreign' | undefined;
  let content = reportJson(report);
  try {
    // Only a regular file is read (a FIFO of that name would block); anything else is refused below.
    if (lstatSync(reportPath).isFile()) {
      const old = readFileSync(reportPath, 'utf8');
      previous = compareReport(report, old);
      if (previous === 'same') content = old;
    }
  } catch {
    previous = undefined;
  }
  files.push({ name: reportFileName, content, sameArtifact: () => previous === 'earlier' });
  const result = writeOutFiles(dir, io, files);
  if (previous === 'earlier' && result.written.includes(reportPath))
    io.stderr.write(`pse-doctor: replaced the earlier report ${displayPath(io, reportPath)}\n`);
  return result.paths;
}
