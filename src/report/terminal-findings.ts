/**
 * @module The text of findings every command prints (and `analyze`'s overview): short, for people; the
 * cause tag shown; the PEM path and commands easy to copy; colour only when asked (a TTY).
 */
import type { EvidenceLine, InputSummary } from '../model/evidence.js';
import type { Finding, Report, Step } from '../model/report.js';
import { CAUSE_WORDS, IMPORT_KIND_WORDS, pseNodeWords } from './labels.js';
import { sameStepsAs } from './same-steps.js';
import { colonFingerprint, validityMark } from './sections/certificate-entry.js';
import { clean, type Paint, painter, wrap } from './text-style.js';

export interface TerminalOptions {
  /** ANSI colours (only on a TTY). */
  color?: boolean;
  /** Files written by `--out`, keyed by the import's `fileName`, value = path to show. */
  written?: Record<string, string>;
  /** Terminal width for wrapping (default 100). */
  width?: number;
  /** Quote at most this many evidence lines per finding (default 6). */
  evidenceLines?: number;
}

/** Inputs named in the headline; the rest are counted. */
const MAX_HEADLINE_INPUTS = 8;

function describeInput(input: InputSummary): string {
  return `${input.name} (${input.format}, ${input.lines} line${input.lines === 1 ? '' : 's'})`;
}

function targetText(f: Finding): string | undefined {
  const t = f.target;
  if (!t) return undefined;
  const host = t.host
    ? t.port !== undefined
      ? `${t.host}:${t.port}`
      : t.host
    : t.port !== undefined
      ? `port ${t.port}`
      : '';
  const peer = t.peerIp ? `peer ${t.peerIp}` : '';
  return [host, peer].filter(Boolean).join(' · ') || undefined;
}

function headline(f: Finding): string {
  const parts: string[] = [];
  const target = targetText(f);
  if (target) parts.push(target);
  if (f.role) parts.push(`SAP as ${f.role}`);
  if (f.errorCode)
    parts.push(
      f.errorCode.number !== undefined ? `${f.errorCode.name} (${f.errorCode.number})` : f.errorCode.name,
    );
  for (const c of f.relatedCodes ?? []) if (!c.name.startsWith('SCLNT')) parts.push(c.name);
  if (f.occurrences && f.occurrences.count > 1) {
    const span = f.occurrences.first
      ? ` ${f.occurrences.first}${f.occurrences.last ? ` … ${f.occurrences.last}` : ''}`
      : '';
    parts.push(`${f.occurrences.count}×${span}`);
  }
  return parts.join(' · ');
}

/** The lines most worth showing: error lines and PSE lines first, then the rest; shown in file order. */
function pickLines(lines: EvidenceLine[], max: number): EvidenceLine[] {
  if (lines.length <= max) return lines;
  const weight = (l: EvidenceLine) =>
    /\*\*\* ?ERROR|==SSSL|SSSL(?:ERR|RC)_|failed|PSE "|Target ?Hostname|peer=/i.test(l.text) ? 0 : 1;
  const chosen = [...lines].sort((a, b) => weight(a) - weight(b)).slice(0, max);
  return chosen.sort((a, b) => a.input - b.input || a.line - b.line);
}

function evidenceText(lines: EvidenceLine[], inputs: InputSummary[], max: number, p: Paint): string[] {
  const out: string[] = [];
  for (const l of pickLines(lines, max)) {
    const name = inputs[l.input]?.name ?? `input ${l.input}`;
    const text = l.text.length > 160 ? `${l.text.slice(0, 157)}...` : l.text;
    out.push(`     ${p.dim(`${name}:${l.line}`)}  ${clean(text)}`);
  }
  if (lines.length > max) out.push(`     ${p.dim(`… ${lines.length - max} more line(s) in --json`)}`);
  return out;
}

/** A step's terminal words; a download step names the file `--out` wrote, when it did. */
function stepText(text: string, step: Step | undefined, written: Record<string, string> | undefined): string {
  const action = step?.action;
  if (action?.kind !== 'download') return text;
  const path = written?.[action.fileName];
  return path ? text.split(action.fileName).join(path) : text;
}

/** The lines a finding quotes, as a key: findings quoting the same lines share it. */
function linesKey(f: Finding): string {
  return f.evidence.map((l) => `${l.input}:${l.line}`).join(',');
}

/** The first finding quoting each set of lines, built once per report (a scan per finding was quadratic). */
const firstLines = new WeakMap<Report, Map<string, number>>();

function firstWithLines(report: Report): Map<string, number> {
  let map = firstLines.get(report);
  if (!map) {
    map = new Map();
    report.findings.forEach((f, i) => {
      const key = linesKey(f);
      if (!map!.has(key)) map!.set(key, i);
    });
    firstLines.set(report, map);
  }
  return map;
}

function renderFinding(
  f: Finding,
  n: number,
  report: Report,
  opts: Required<Pick<TerminalOptions, 'width' | 'evidenceLines'>> & TerminalOptions,
  p: Paint,
): string {
  const mark = f.severity === 'error' ? p.red('✖') : f.severity === 'warning' ? p.yellow('!') : p.cyan('i');
  const label = p.dim(`[${f.confidence} · ${CAUSE_WORDS[f.cause] ?? f.cause}]`);
  const out: string[] = [`${mark} ${p.bold(`${n}. ${clean(f.title)}`)} ${label}`];
  const head = headline(f);
  if (head) out.push(`   ${clean(head)}`);
  if (f.pse && (f.pse.file || f.pse.node)) {
    const file = f.pse.file ?? f.pse.basename ?? '';
    // A trust store that is no PSE (a HANA client's PEM file, a Java key store) has no STRUST node to miss.
    const node = f.pse.node
      ? pseNodeWords(f.pse.node)
      : /\.pse$/i.test(file) || file === ''
        ? 'STRUST node unknown'
        : '';
    out.push(
      `   PSE: ${clean(file)}${file && node ? ' → ' : ''}${node}${f.pse.inferred ? p.dim(' (assumed: not named in the evidence)') : ''}`,
    );
  }
  out.push(wrap(f.summary, opts.width, '   '));
  if (f.certificates?.length) {
    out.push('   Chain (leaf first):');
    // The same validity mark as the certificate lists show, when the certificate's dates are a problem.
    const at = report.generatedAt ? new Date(report.generatedAt) : undefined;
    for (const c of f.certificates) {
      const mark = at ? validityMark(c, at) : undefined;
      const tail = mark?.alarm ? `  ${p.red(`[${mark.text}]`)}` : '';
      out.push(`     ${p.dim(c.position.padEnd(12))} ${clean(c.subject)}${tail}`);
    }
  }
  const imp = f.import;
  if (imp && imp.subjectKnown !== false) {
    out.push(`   ${p.bold('Import')} ${IMPORT_KIND_WORDS[imp.kind] ?? imp.kind}: ${clean(imp.subject)}`);
    const path = imp.fileName ? opts.written?.[imp.fileName] : undefined;
    if (path) out.push(`     file:    ${p.green(path)} ${p.dim('(written)')}`);
    else if (imp.pem && imp.fileName)
      out.push(
        `     file:    ${imp.fileName} ${p.dim('(not written yet: add --out <dir> to write it there)')}`,
      );
    if (imp.sha256) out.push(`     SHA-256: ${colonFingerprint(imp.sha256)}`);
    for (const cmd of imp.commands) {
      out.push(`     ${p.cyan(`$ ${clean(path && imp.fileName ? cmd.replace(imp.fileName, path) : cmd)}`)}`);
      if (cmd.startsWith('sapcli '))
        out.push(
          `       ${p.dim('(sapcli: an open-source CLI that talks to ABAP systems over ADT; imports into STRUST without SAP GUI)')}`,
        );
    }
    if (imp.source === 'not-found' && imp.howToObtain?.length) {
      out.push('     how to obtain it:');
      for (const h of imp.howToObtain) out.push(wrap(`- ${h}`, opts.width, '       ', '         '));
    }
  }
  for (const param of f.parameters ?? [])
    out.push(
      `   ${p.bold('Parameter')} ${param.name} = ${param.value}${param.where ? p.dim(` (${param.where})`) : ''}`,
    );
  // The same steps as an earlier finding (e.g. one renewal per PSE of a folder) are printed once.
  const same = sameStepsAs(report, n - 1);
  if (same)
    out.push(
      `   Steps: the same as finding ${same.index + 1}${same.otherPse ? `, for ${f.pse?.basename ?? f.pse?.file}` : ''}.`,
    );
  else if (f.steps.length) {
    out.push('   Steps:');
    f.steps.forEach((s, i) => {
      out.push(
        wrap(`${i + 1}. ${stepText(s, f.stepDetails?.[i], opts.written)}`, opts.width, '     ', '        '),
      );
    });
  }
  if (f.distinguish) out.push(wrap(`How to tell these apart: ${f.distinguish}`, opts.width, '   ', '     '));
  // Advice every hypothesis shares is printed once, before the findings ("Do this first").
  const shared = new Set((report.next ?? []).map((s) => s.text));
  for (const c of f.collect ?? [])
    if (!shared.has(c)) out.push(wrap(`Collect next: ${c}`, opts.width, '   ', '     '));
  for (const c of f.confirm ?? []) out.push(wrap(`Confirm: ${c}`, opts.width, '   ', '     '));
  const sameLines = firstWithLines(report).get(linesKey(f)) ?? -1;
  if (sameLines >= 0 && sameLines < n - 1)
    out.push(`   ${p.dim(`Evidence: the same lines as finding ${sameLines + 1}.`)}`);
  else if (f.evidence.length) {
    out.push('   Evidence:');
    out.push(...evidenceText(f.evidence, report.inputs, opts.evidenceLines, p));
  }
  if (f.kb.length)
    out.push(
      `   ${p.dim(`More: pse-doctor explain ${f.kb[0]}${f.kb.length > 1 ? ` (also ${f.kb.slice(1).join(', ')})` : ''}`)}`,
    );
  return out.join('\n');
}

/**
 * The findings section every command prints (analyze, verify, probe, pse, cert): numbered, most likely
 * first, a severity mark, the `[confidence · cause]` tag, the same wrapping, behind the one
 * control-character filter. Each finding is preceded by an empty line.
 */
export function renderFindingsSection(report: Report, options: TerminalOptions = {}): string[] {
  const opts = { width: 100, evidenceLines: 6, ...options };
  const p = painter(Boolean(options.color));
  const out: string[] = [];
  report.findings.forEach((f, i) => {
    out.push('');
    out.push(renderFinding(f, i + 1, report, opts, p));
  });
  return out;
}

/** No finding in the evidence: what `analyze` says, and what to do if a connection still fails. */
export const NO_FINDING_TEXT = [
  'No SSL/TLS, SNC or certificate failure was found in this evidence.',
  'If a connection still fails: raise the ICM trace level to 2 in SMICM, reproduce, and analyze the new dev_icm.',
];

/**
 * The overview `analyze` opens with: how many findings in which inputs, the input notes, whether the
 * findings are ranked hypotheses, and "Do this first" when the evidence is too thin.
 */
export function renderOverview(report: Report, options: TerminalOptions = {}): string[] {
  const opts = { width: 100, ...options };
  const p = painter(Boolean(options.color));
  const out: string[] = [];
  // A folder of thousands of files must not make a headline of thousands of names.
  const shown = report.inputs.slice(0, MAX_HEADLINE_INPUTS).map(describeInput);
  const more = report.inputs.length - shown.length;
  const inputs = `${shown.join(', ')}${more > 0 ? ` and ${more} more input${more === 1 ? '' : 's'}` : ''}`;
  const n = report.findings.length;
  out.push(
    p.bold(
      `pse-doctor: ${n === 0 ? 'no finding' : `${n} finding${n === 1 ? '' : 's'}`} in ${clean(inputs) || 'no input'}`,
    ),
  );
  for (const input of report.inputs) {
    for (const w of input.warnings) out.push(p.yellow(`  note (${clean(input.name)}): ${clean(w)}`));
    if (input.unrecognizedLines > 0 && n === 0)
      out.push(p.dim(`  ${input.unrecognizedLines} line(s) of ${clean(input.name)} were not recognised.`));
  }
  const hypotheses =
    report.findings.some((f) => f.confidence !== 'certain') &&
    !report.findings.some((f) => f.confidence === 'certain');
  if (hypotheses && !report.next?.length)
    out.push(
      p.dim(
        '  The evidence does not prove one cause: findings below are ranked hypotheses, most likely first.',
      ),
    );
  if (report.next?.length) {
    out.push('');
    out.push(p.bold('Do this first: the evidence is too thin to name one cause.'));
    report.next.forEach((s, i) => {
      out.push(wrap(`${report.next!.length > 1 ? `${i + 1}. ` : '→ '}${s.text}`, opts.width, '  ', '    '));
    });
  }
  return out;
}

/** Rules that failed, one line each (the other findings stand). */
export function renderRuleErrors(report: Report, options: TerminalOptions = {}): string[] {
  const p = painter(Boolean(options.color));
  return (report.ruleErrors ?? []).map((e) =>
    p.yellow(`  rule ${e.rule} failed: ${clean(e.message)} (other findings are unaffected)`),
  );
}
