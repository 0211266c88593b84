/**
 * @module The HTML of the sections besides the findings — facts, chain, certificate list, verification
 * table, PSE table, notes, transcript — every value escaped and through the one control-character filter.
 */
import type { ProfileVerdictSummary } from '../model/report.js';
import { stripControlChars } from './control-chars.js';
import type { CertificateEntry, PseRow, Section } from './sections/section-types.js';

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/** A value from evidence as HTML text: one line, no control character, escaped. */
export function e(text: string | number | undefined): string {
  return escapeHtml(stripControlChars(text === undefined ? '' : String(text)));
}

/** One certificate entry as a list item (the list numbers it). */
function entryHtml(entry: CertificateEntry): string {
  const rows = entry.fields
    .map(
      (f) =>
        `<dt>${e(f.name)}</dt><dd>${e(f.value)}${f.mark ? ` <span class="${f.alarm ? 'alarm' : 'dim'}">[${e(f.mark)}]</span>` : ''}</dd>`,
    )
    .join('');
  return `<li><strong>${e(entry.label)}:</strong> ${e(entry.subject)}<dl>${rows}</dl></li>`;
}

function codeText(c: { name: string; number?: number } | undefined): string {
  return c ? `${c.name}${c.number !== undefined ? ` (${c.number})` : ''}` : '';
}

function verdictRow(v: ProfileVerdictSummary): string {
  const code = v.errorCode
    ? `${codeText(v.errorCode)}${v.icm ? ` / ${codeText(v.icm)}` : ''}`
    : (v.nativeCode ?? '');
  const detail = v.ok
    ? `trusted${v.anchor ? ` via “${v.anchor.subject}”` : ''}`
    : `${v.verdict}: ${v.message ?? ''}`;
  const more = v.problems
    .filter((p, i) => p.level === 'warn' || i > 0)
    .map((p) => `<li>${p.level === 'warn' ? 'warning: ' : 'also: '}${e(p.message)}</li>`)
    .join('');
  return `<tr><td class="${v.ok ? 'ok' : 'alarm'}">${v.ok ? 'OK' : 'FAIL'}</td><td>${e(v.label)}</td><td>${e(detail)}${more ? `<ul>${more}</ul>` : ''}</td><td><code>${e(code)}</code></td><td>${e(v.trustList)}</td></tr>`;
}

function pseRow(r: PseRow): string {
  return `<tr><td>${e(r.pse)}</td><td>${e(r.node)}</td><td>${e(r.own)}</td><td${r.alarm ? ' class="alarm"' : ''}>${e(r.expires)}</td><td>${e(r.trusted)}</td><td>${e(r.notes)}</td></tr>`;
}

const title = (t: string | undefined) => (t ? `<h2>${e(t)}</h2>` : '');

/** One section other than `overview` and `findings` as HTML. */
export function sectionHtml(section: Exclude<Section, { kind: 'overview' | 'findings' }>): string {
  switch (section.kind) {
    case 'facts':
      return `<section class="facts">${title(section.title)}<dl>${section.rows.map((r) => `<dt>${e(r.label)}</dt><dd>${e(r.value)}</dd>`).join('')}</dl></section>`;
    case 'chain':
    case 'certificate-list': {
      const empty =
        section.kind === 'certificate-list' && section.entries.length === 0 && section.empty
          ? `<p>${e(section.empty)}</p>`
          : '';
      const notes = section.notes?.length
        ? `<ul class="dim">${section.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>`
        : '';
      return `<section class="${section.kind}">${title(section.title)}<ol class="certs">${section.entries.map(entryHtml).join('')}</ol>${empty}${notes}</section>`;
    }
    case 'verification':
      return `<section class="verification">${title(section.title)}<table><tr><th></th><th>Profile</th><th>Verdict</th><th>Code</th><th>Trust list</th></tr>${section.verdicts.map(verdictRow).join('')}</table>${(section.notes ?? []).map((n) => `<p class="dim">${e(n)}</p>`).join('')}</section>`;
    case 'pse-table':
      return `<section class="pse-table">${title(section.title)}<table><tr><th>PSE</th><th>STRUST node</th><th>Own certificate</th><th>Expires</th><th>Trusted</th><th>Problems / notes</th></tr>${section.rows.map(pseRow).join('')}</table></section>`;
    case 'notes':
      return `<section class="notes">${title(section.title)}<ul>${section.lines.map((l) => `<li>${e(l)}</li>`).join('')}</ul></section>`;
    case 'transcript':
      return `<section class="transcript">${title(section.title)}<pre>${section.lines.map((l, i) => `${String(i + 1).padStart(3)}  ${e(l)}`).join('\n')}</pre></section>`;
  }
}
