/** @module `--out <dir>` of verify and probe: the certificates to import as PEM files, plus the Report as JSON. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ToolError } from '../model/errors.js';
import type { Report } from '../model/report.js';
import type { CliIo } from './io.js';

/**
 * Writes each import plan's PEM (once per file name) and `reportFileName` into `dir`; returns the paths.
 * A PEM file that already holds the same text is left as it is; one with other content is never
 * overwritten (the user may have put it there).
 */
export function writeReportArtifacts(
  dir: string,
  io: CliIo,
  report: Report,
  reportFileName: string,
): string[] {
  const abs = resolve(io.cwd, dir);
  try {
    mkdirSync(abs, { recursive: true });
  } catch (err) {
    throw new ToolError('not-readable', {
      path: dir,
      reason: (err as NodeJS.ErrnoException).code ?? 'cannot create',
    });
  }
  const written: string[] = [];
  const seen = new Set<string>();
  for (const f of report.findings) {
    const plan = f.import;
    if (!plan?.pem || !plan.fileName || seen.has(plan.fileName)) continue;
    seen.add(plan.fileName);
    const path = join(abs, plan.fileName);
    if (existsSync(path) && readFileSync(path, 'utf8') !== plan.pem) {
      throw new ToolError('usage', {
        message: `${path} exists with other content; pse-doctor does not overwrite it. Choose another --out folder.`,
      });
    }
    writeFileSync(path, plan.pem);
    written.push(path);
  }
  const reportPath = join(abs, reportFileName);
  writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  written.push(reportPath);
  return written;
}
