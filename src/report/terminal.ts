/**
 * @module The text renderer: a Report and its sections (overview, facts, chain, verification table, PSE
 * table, certificate list, findings, notes, transcript) drawn for a terminal, every value from evidence
 * through the one control-character filter, colour only when asked (a TTY).
 */
import type { ProfileVerdictSummary, Report } from '../model/report.js';
import { analyzeSections } from './sections/analyze-sections.js';
import type { CertificateEntry, PseRow, ReportView, Section } from './sections/section-types.js';
import {
  renderFindingsSection,
  renderOverview,
  renderRuleErrors,
  type TerminalOptions,
} from './terminal-findings.js';
import { clean, type Paint, painter, wrap } from './text-style.js';

export { renderFindingsSection, type TerminalOptions } from './terminal-findings.js';

/** Width of a certificate field name (`Mozilla store `). */
const FIELD_WIDTH = 14;

function entryLines(entry: CertificateEntry, index: number, p: Paint): string[] {
  const out = [`  [${index}] ${clean(entry.label)}: ${clean(entry.subject) || '(subject not shown)'}`];
  for (const f of entry.fields) {
    const mark = f.mark ? `  ${(f.alarm ? p.red : p.dim)(`[${clean(f.mark)}]`)}` : '';
    out.push(`      ${p.dim(clean(f.name).padEnd(FIELD_WIDTH))}${clean(f.value)}${mark}`);
  }
  return out;
}

function codeText(c: { name: string; number?: number } | undefined): string {
  return c ? `${c.name}${c.number !== undefined ? ` (${c.number})` : ''}` : '';
}

/** What a profile's verdict says: `trusted via "…"`, or the first problem. */
function verdictDetail(v: ProfileVerdictSummary): string {
  if (v.ok) {
    const via = v.anchor
      ? ` via "${v.anchor.subject}"${v.anchor.matchedBy === 'name' ? ' (matched by name only)' : ''}`
      : '';
    return `trusted${via}`;
  }
  return `${v.verdict}: ${v.message ?? ''}`;
}

/** The code a failing profile would report: the SSSLERR and ICM code for sap-icm, the stack's own else. */
function verdictCode(v: ProfileVerdictSummary): string | undefined {
  if (v.ok) return undefined;
  if (v.errorCode) return `${codeText(v.errorCode)}${v.icm ? ` / ${codeText(v.icm)}` : ''}`;
  return v.nativeCode;
}

/** One row per profile: OK/FAIL, the profile, the verdict, then the code, further problems and the list. */
function verificationLines(verdicts: readonly ProfileVerdictSummary[], width: number, p: Paint): string[] {
  const column = Math.max(...verdicts.map((v) => clean(v.label).length), 10) + 2;
  const hang = ' '.repeat(7 + column);
  const more = (text: string) => wrap(text, width, hang, `${hang}  `);
  const out: string[] = [];
  for (const v of verdicts) {
    const head = `  ${v.ok ? 'OK  ' : 'FAIL'} ${clean(v.label).padEnd(column)}`;
    const [first = '', ...rest] = wrap(verdictDetail(v), width, head, hang).split('\n');
    out.push(`  ${v.ok ? p.green('OK  ') : p.red('FAIL')}${first.slice(6)}`, ...rest);
    const code = verdictCode(v);
    // A code pair is never broken over two lines.
    if (code) out.push(`${hang}→ ${clean(code)}`);
    const fails = v.problems.filter((x) => x.level === 'fail');
    for (const x of fails.slice(1)) out.push(more(`also: ${x.message}`));
    for (const x of v.problems.filter((y) => y.level === 'warn')) out.push(more(`warning: ${x.message}`));
    out.push(p.dim(more(`trust list: ${v.trustList}`)));
  }
  return out;
}

function pseTableLines(rows: readonly PseRow[], p: Paint): string[] {
  const header = ['PSE', 'STRUST NODE', 'OWN CERTIFICATE', 'EXPIRES', 'TRUSTED', 'PROBLEMS / NOTES'];
  const cells = rows.map((r) => [r.pse, r.node, r.own, r.expires, r.trusted, r.notes].map(clean));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (row: string[], alarm = false) =>
    row
      .map((c, i) => {
        const cell = i === row.length - 1 ? c : c.padEnd(widths[i] ?? 0);
        return alarm && i === 3 ? p.red(cell) : cell;
      })
      .join('  ')
      .trimEnd();
  return [p.bold(line(header)), ...cells.map((c, i) => line(c, rows[i]?.alarm))];
}

function sectionLines(section: Section, report: Report, opts: TerminalOptions, p: Paint): string[] {
  const width = opts.width ?? 100;
  const title = (t: string | undefined) => (t ? [p.bold(clean(t))] : []);
  switch (section.kind) {
    case 'overview':
      return renderOverview(report, opts);
    case 'facts': {
      // Under a title the labels line up (`STRUST node: …`, `Format:      …`); bare facts stay `Label: value`.
      const pad = section.title ? Math.max(0, ...section.rows.map((r) => clean(r.label).length + 2)) : 0;
      return [
        ...title(section.title),
        ...section.rows.map((r) => {
          const label = r.label ? `${clean(r.label)}: `.padEnd(pad) : '';
          return `${section.title ? '  ' : ''}${label}${clean(r.value)}`;
        }),
      ];
    }
    case 'chain':
    case 'certificate-list': {
      const out = title(section.title);
      section.entries.forEach((e, i) => {
        out.push(...entryLines(e, i + 1, p));
      });
      if (section.entries.length === 0 && section.kind === 'certificate-list' && section.empty)
        out.push(`  ${clean(section.empty)}`);
      for (const n of section.notes ?? []) out.push(wrap(`note: ${n}`, width, '  ', '    '));
      return out;
    }
    case 'verification':
      return [
        ...title(section.title),
        ...verificationLines(section.verdicts, width, p),
        ...(section.notes ?? []).map((n) => p.dim(wrap(n, width, '     ', '       '))),
      ];
    case 'pse-table':
      return [...title(section.title), ...pseTableLines(section.rows, p)];
    case 'findings': {
      const shown = section.fixesOnly
        ? { ...report, findings: report.findings.filter((f) => f.severity !== 'info') }
        : report;
      const errors = renderRuleErrors(report, opts);
      const none = shown.findings.length === 0;
      // Nothing to show and nothing to say about it: no title either.
      if (none && errors.length === 0 && !section.empty?.length) return [];
      const out = title(section.title);
      if (!none) out.push(...renderFindingsSection(shown, opts));
      out.push(...errors);
      if (none && section.empty?.length) {
        if (errors.length) out.push('');
        out.push(...section.empty.map(clean));
      }
      return out;
    }
    case 'notes':
      return [
        ...title(section.title),
        // File names and subjects are not wrapped: each note is one line to copy or grep.
        ...section.lines.map((l) => `${section.title ? '  ' : ''}${clean(l)}`),
      ];
    case 'transcript':
      return [
        ...title(section.title),
        ...section.lines.map((l, i) => `  ${String(i + 1).padStart(3)}  ${clean(l)}`),
      ];
  }
}

/**
 * Draw a Report and its sections as terminal text: the sections in order, an empty line between two.
 * Every value from evidence passes the one control-character filter (`clean`) before colours are added.
 */
export function renderTextView(view: ReportView, options: TerminalOptions = {}): string {
  const p = painter(Boolean(options.color));
  const out: string[] = [];
  for (const section of view.sections) {
    const lines = sectionLines(section, view.report, options, p);
    if (lines.length === 0) continue;
    if (out.length > 0 && lines[0] !== '') out.push('');
    out.push(...lines);
  }
  return `${out.join('\n')}\n`;
}

/** Render a Report for a terminal, as `analyze` shows it (overview, a saved probe's facts, findings). */
export function renderTerminal(report: Report, options: TerminalOptions = {}): string {
  return renderTextView({ report, sections: analyzeSections(report) }, options);
}
