/**
 * @module Static HTML rendering of a Report: one self-contained page, inline CSS, no scripts, every text escaped.
 */
import type { Finding, Report, ReportCertificate } from '../model/report.js';
import { stripControlCharsKeepLines } from './control-chars.js';
import { e, escapeHtml, sectionHtml } from './html-sections.js';
import { CAUSE_WORDS, IMPORT_KIND_WORDS, pseNodeWords, SEVERITY_WORDS, SOURCE_WORDS } from './labels.js';
import { analyzeSections } from './sections/analyze-sections.js';
import { validityMark } from './sections/certificate-entry.js';
import type { Section } from './sections/section-types.js';

export { escapeHtml } from './html-sections.js';

const CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d1d1f;background:#fff}
h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:0}
.meta,.dim{color:#666;font-size:.9rem}
.finding{border:1px solid #ddd;border-left:6px solid #999;border-radius:6px;padding:1rem 1.2rem;margin:1.2rem 0}
.finding.error{border-left-color:#c62828}.finding.warning{border-left-color:#ef6c00}.finding.info{border-left-color:#1565c0}
.tag{display:inline-block;font-size:.75rem;padding:.05rem .5rem;border-radius:1rem;background:#eee;margin-right:.3rem}
.tag.certain{background:#c8e6c9}.tag.likely{background:#fff3c4}.tag.possible{background:#e3e3e3}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.6rem 0}dt{color:#555}dd{margin:0}
code,pre{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:#f6f8fa;border:1px solid #e1e4e8;border-radius:4px;padding:.6rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
table{border-collapse:collapse;font-size:.9rem}td,th{border-bottom:1px solid #eee;padding:.2rem .6rem;text-align:left;vertical-align:top}
.note{background:#fff8e1;border-radius:4px;padding:.4rem .6rem}
.alarm{color:#c62828;font-weight:600}.ok{color:#2e7d32;font-weight:600}
ol.certs{padding-left:1.2rem}ol.certs dl{margin:.2rem 0 .8rem}
`;

function list(items: readonly string[] | undefined, ordered = false): string {
  if (!items?.length) return '';
  const tag = ordered ? 'ol' : 'ul';
  return `<${tag}>${items.map((i) => `<li>${e(i)}</li>`).join('')}</${tag}>`;
}

/** `2002-01-01` and, when the dates are a problem, the same mark the certificate lists show. */
function validUntil(c: ReportCertificate, report: Report): string {
  if (!c.notAfter) return '';
  const mark = report.generatedAt ? validityMark(c, new Date(report.generatedAt)) : undefined;
  return `${e(c.notAfter.slice(0, 10))}${mark?.alarm ? ` <span class="alarm">[${e(mark.text)}]</span>` : ''}`;
}

function renderFinding(f: Finding, n: number, report: Report): string {
  const rows: [string, string][] = [];
  if (f.role) rows.push(['Role of SAP', e(f.role)]);
  if (f.target) {
    const host = f.target.host
      ? `${f.target.host}${f.target.port !== undefined ? `:${f.target.port}` : ''}`
      : '';
    rows.push([
      'Target',
      e([host, f.target.peerIp ? `peer ${f.target.peerIp}` : ''].filter(Boolean).join(' · ')),
    ]);
  }
  if (f.errorCode)
    rows.push([
      'Error',
      `<code>${e(f.errorCode.name)}</code>${f.errorCode.number !== undefined ? ` (${e(f.errorCode.number)})` : ''}`,
    ]);
  if (f.relatedCodes?.length)
    rows.push(['Related', f.relatedCodes.map((c) => `<code>${e(c.name)}</code>`).join(' ')]);
  if (f.pse)
    rows.push([
      'PSE',
      `${e(f.pse.file ?? f.pse.basename)}${f.pse.file || f.pse.basename ? ' → ' : ''}${f.pse.node ? e(pseNodeWords(f.pse.node, ['“', '”'])) : ''}${f.pse.inferred ? ' <span class="dim">(assumed)</span>' : ''}`,
    ]);
  if (f.occurrences)
    rows.push([
      'Occurrences',
      `${e(f.occurrences.count)}${f.occurrences.first ? ` · ${e(f.occurrences.first)} … ${e(f.occurrences.last)}` : ''}`,
    ]);
  const certs = f.certificates?.length
    ? `<h3>Certificates (leaf first)</h3><table><tr><th>Position</th><th>Subject</th><th>Issuer</th><th>Valid until</th></tr>${f.certificates
        .map(
          (c) =>
            `<tr><td>${e(c.position)}</td><td>${e(c.subject)}</td><td>${e(c.issuer)}</td><td>${validUntil(c, report)}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  const imp = f.import;
  const importHtml = imp
    ? `<h3>Certificate to import</h3><dl><dt>${e(IMPORT_KIND_WORDS[imp.kind] ?? imp.kind)}</dt><dd>${e(imp.subject)}</dd>${imp.sha256 ? `<dt>SHA-256</dt><dd><code>${e(imp.sha256)}</code></dd>` : ''}${imp.notAfter ? `<dt>Valid until</dt><dd>${e(imp.notAfter)}</dd>` : ''}<dt>Source</dt><dd>${e(SOURCE_WORDS[imp.source] ?? imp.source)}</dd><dt>Into</dt><dd>${e(imp.into.map((t) => [t.node, t.file, t.store].filter(Boolean).join(' / ')).join('; '))}</dd>${imp.fileName ? `<dt>File</dt><dd><code>${e(imp.fileName)}</code></dd>` : ''}</dl>${imp.reason ? `<p class="dim">${e(imp.reason)}</p>` : ''}${imp.commands.length ? `<pre>${imp.commands.map(e).join('\n')}</pre>` : ''}${imp.strustPath ? `<p>STRUST: ${e(imp.strustPath.join(' → '))}</p>` : ''}${imp.howToObtain?.length ? `<p>How to obtain it:</p>${list(imp.howToObtain)}` : ''}${imp.pem ? `<details><summary>PEM</summary><pre>${escapeHtml(stripControlCharsKeepLines(imp.pem))}</pre></details>` : ''}`
    : '';
  const params = f.parameters?.length
    ? `<h3>Parameters</h3><table>${f.parameters.map((p) => `<tr><td><code>${e(p.name)}</code></td><td><code>${e(p.value)}</code></td><td class="dim">${e(p.where)} ${e(p.note)}</td></tr>`).join('')}</table>`
    : '';
  const evidence = f.evidence.length
    ? `<h3>Evidence</h3><pre>${f.evidence.map((l) => `${e(report.inputs[l.input]?.name ?? `input ${l.input}`)}:${e(l.line)}  ${e(l.text)}`).join('\n')}</pre>`
    : '';
  return `<section class="finding ${e(f.severity)}">
<h2>${e(n)}. ${e(f.title)}</h2>
<p><span class="tag ${e(f.confidence)}">${e(f.confidence)}</span><span class="tag">${e(CAUSE_WORDS[f.cause] ?? f.cause)}</span><span class="tag">${e(SEVERITY_WORDS[f.severity] ?? f.severity)}</span><span class="dim">rule ${e(f.rule)}</span></p>
<p>${e(f.summary)}</p>
${rows.length ? `<dl>${rows.map(([k, v]) => `<dt>${e(k)}</dt><dd>${v}</dd>`).join('')}</dl>` : ''}
${certs}${importHtml}${params}
${f.steps.length ? `<h3>Steps</h3>${list(f.steps, true)}` : ''}
${f.distinguish ? `<p class="note">${e(f.distinguish)}</p>` : ''}
${f.collect?.length ? `<h3>Collect next</h3>${list(f.collect)}` : ''}
${f.confirm?.length ? `<h3>Confirm</h3>${list(f.confirm)}` : ''}
${evidence}
${f.kb.length ? `<p class="dim">Knowledge base: ${f.kb.map((k) => `<code>${e(k)}</code>`).join(' ')}</p>` : ''}
</section>`;
}

function overviewHtml(report: Report): string {
  const inputs = report.inputs
    .map(
      (i) =>
        `<li>${e(i.name)} <span class="dim">(${e(i.format)}, ${e(i.lines)} lines${i.unrecognizedLines ? `, ${e(i.unrecognizedLines)} not recognised` : ''})</span>${i.warnings.length ? list(i.warnings) : ''}</li>`,
    )
    .join('');
  const next = report.next?.length
    ? `<section class="note"><h2>Do this first: the evidence is too thin to name one cause.</h2>${list(
        report.next.map((s) => s.text),
        true,
      )}</section>`
    : '';
  return `<h3>Inputs</h3><ul>${inputs}</ul>\n${next}`;
}

function findingsHtml(report: Report, section: Extract<Section, { kind: 'findings' }>): string {
  const shown = section.fixesOnly ? report.findings.filter((f) => f.severity !== 'info') : report.findings;
  const errors = report.ruleErrors?.length
    ? `<p class="note">Rules that failed: ${report.ruleErrors.map((r) => `${e(r.rule)}: ${e(r.message)}`).join('; ')}</p>`
    : '';
  if (shown.length === 0 && !section.empty?.length && !errors) return '';
  const body = shown.length
    ? shown.map((f, i) => renderFinding(f, i + 1, report)).join('\n')
    : (section.empty ?? []).map((t) => `<p>${e(t)}</p>`).join('');
  return `${section.title ? `<h2>${e(section.title)}</h2>` : ''}${errors}\n${body}`;
}

/**
 * Render a Report and its sections (default: `analyze`'s overview and findings) as one self-contained
 * HTML page: inline CSS, no scripts, every text escaped and through the one control-character filter.
 */
export function renderHtml(report: Report, sections: readonly Section[] = analyzeSections(report)): string {
  const body = sections
    .map((s) =>
      s.kind === 'overview'
        ? overviewHtml(report)
        : s.kind === 'findings'
          ? findingsHtml(report, s)
          : sectionHtml(s),
    )
    .filter(Boolean)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>pse-doctor report</title>
<style>${CSS}</style>
</head>
<body>
<h1>pse-doctor report</h1>
<p class="meta">${e(report.findings.length)} finding(s) · ${e(report.generatedAt)} · pse-doctor ${e(report.toolVersion)} · schema ${e(report.schemaVersion)}</p>
${body}
</body>
</html>
`;
}
