/**
 * @module Static HTML page of a landscape Report: plan (calendar) with each fix's certificate as PEM,
 * inventory table, trend; inline CSS, no scripts. Values pass the one control-character filter (`e`),
 * and expiry dates read as in the PSE table.
 */
import type { PlanItem } from '../model/landscape.js';
import type { ImportPlan, Report } from '../model/report.js';
import { stripControlCharsKeepLines } from './control-chars.js';
import { e, escapeHtml } from './html-sections.js';
import { expiryCell } from './sections/certificate-entry.js';

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:1.5rem;color:#1b1f24}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f6f8fa}
.error{color:#b3261e;font-weight:600}.warning{color:#8a5a00;font-weight:600}.info{color:#4a5560}
.wrap{overflow-x:auto}code{font-size:12px;background:#f6f8fa;padding:0 .2rem}details{margin:.2rem 0}
pre{font-size:11px;background:#f6f8fa;padding:.4rem;white-space:pre-wrap;word-break:break-all;max-width:40rem}
a.pem{display:inline-block;margin:.2rem 0;padding:.1rem .5rem;border:1px solid #0b57d0;border-radius:4px;color:#0b57d0;text-decoration:none}`;

/** A plan item's certificate: a download link (data: URL, no script), its PEM text and the commands. */
function importCell(plan: ImportPlan): string {
  const parts: string[] = [];
  const name = plan.fileName ?? 'certificate.crt';
  if (plan.pem) {
    const href = `data:application/x-pem-file;base64,${btoa(plan.pem)}`;
    parts.push(
      `<a class="pem" download="${e(name)}" href="${href}">Download ${e(name)}</a> <small>${e(plan.subject)}${plan.sha256 ? ` · SHA-256 ${e(plan.sha256)}` : ''}</small>`,
      `<details><summary>PEM</summary><pre>${escapeHtml(stripControlCharsKeepLines(plan.pem))}</pre></details>`,
    );
  } else
    parts.push(
      `<small>Certificate: ${e(plan.subject)} (not at hand: ${e(plan.howToObtain?.[0] ?? 'get it from its CA')})</small>`,
    );
  for (const c of plan.commands) parts.push(`<code>${e(c)}</code>`);
  return parts.join('<br>');
}

function where(item: PlanItem): string {
  return [item.system, item.instances?.join(', '), item.pse]
    .filter(Boolean)
    .map((s) => e(s as string))
    .join('<br>');
}

/** Render the landscape as one self-contained HTML page. */
export function renderLandscapeHtml(report: Report): string {
  const l = report.landscape;
  const now = report.generatedAt ? new Date(report.generatedAt) : new Date();
  const parts: string[] = [];
  parts.push(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`,
  );
  parts.push(
    `<title>pse-doctor landscape ${e(report.generatedAt ?? '')}</title><style>${CSS}</style></head><body>`,
  );
  parts.push(
    `<h1>SAP PSE landscape</h1><p>Made ${e(report.generatedAt ?? '')} by pse-doctor ${e(report.toolVersion ?? '')}: ${l?.systems.length ?? 0} system(s), ${l?.pses.length ?? 0} PSE(s), ${report.findings.length} finding(s).</p>`,
  );
  parts.push(
    '<h2>What breaks next</h2><div class="wrap"><table><thead><tr><th>Date</th><th>Severity</th><th>Where</th><th>What</th><th>Fix</th></tr></thead><tbody>',
  );
  for (const item of l?.plan ?? []) {
    const imports = item.imports ?? (item.import ? [item.import] : []);
    const fix = [
      ...imports.map(importCell),
      `<details><summary>steps</summary><ol>${item.steps.map((s) => `<li>${e(s)}</li>`).join('')}</ol></details>`,
    ].join('<br>');
    parts.push(
      `<tr><td>${e(item.date)}</td><td class="${item.severity}">${e(item.severity)}</td><td>${where(item)}</td><td>${e(item.title)}</td><td>${fix}</td></tr>`,
    );
  }
  parts.push('</tbody></table></div>');
  parts.push(
    '<h2>Inventory</h2><div class="wrap"><table><thead><tr><th>System</th><th>Instance</th><th>PSE</th><th>STRUST node</th><th>Own certificate</th><th>Not after</th><th>Days left</th><th>Lifetime left</th><th>Trusted</th></tr></thead><tbody>',
  );
  for (const p of l?.pses ?? []) {
    const own = p.own;
    parts.push(
      `<tr><td>${e(p.system)}</td><td>${e(p.instance)}</td><td>${e(p.basename ?? p.file)}${p.problem ? `<br><small>${e(p.problem)}</small>` : ''}</td><td>${e(p.node ?? '')}</td><td>${e(own?.subject ?? '')}</td><td>${e(own ? expiryCell(own, now) : '')}</td><td>${own?.daysLeft ?? ''}</td><td>${own?.lifetimeLeft !== undefined ? `${Math.round(own.lifetimeLeft * 100)}%` : ''}</td><td>${p.trusted.length}</td></tr>`,
    );
  }
  parts.push('</tbody></table></div>');
  const t = l?.trend;
  if (t) {
    parts.push(`<h2>Since ${e(t.previousRunAt)}</h2><ul>`);
    for (const f of t.findingsNew) parts.push(`<li>new: ${e(f)}</li>`);
    for (const f of t.findingsGone) parts.push(`<li>gone: ${e(f)}</li>`);
    for (const c of t.renewed) parts.push(`<li>renewed: ${e(c.pse)} ${e(c.subject)}</li>`);
    for (const c of t.added) parts.push(`<li>added: ${e(c.pse)} ${e(c.subject)}</li>`);
    for (const c of t.removed) parts.push(`<li>removed: ${e(c.pse)} ${e(c.subject)}</li>`);
    parts.push('</ul>');
  }
  parts.push('<h2>Findings</h2>');
  for (const f of report.findings) {
    parts.push(
      `<details><summary class="${f.severity}">${e(f.title)}</summary><p>${e(f.summary)}</p><ol>${f.steps.map((s) => `<li>${e(s)}</li>`).join('')}</ol></details>`,
    );
  }
  parts.push('</body></html>\n');
  return parts.join('\n');
}
