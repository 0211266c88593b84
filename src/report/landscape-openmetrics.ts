/** @module OpenMetrics exposition of a landscape Report: days left per own certificate, findings by severity. */
import type { Report } from '../model/report.js';
import { stripControlChars } from './control-chars.js';

/** Escape a label value (backslash, quote, newline) after the one control-character filter. */
function label(value: string): string {
  return stripControlChars(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Render as OpenMetrics text (ends with `# EOF`). */
export function renderLandscapeOpenMetrics(report: Report): string {
  const l = report.landscape;
  const out: string[] = [];
  out.push('# TYPE psedoctor_own_certificate_days_left gauge');
  out.push(
    '# HELP psedoctor_own_certificate_days_left Days until the own certificate of a PSE expires (negative: expired).',
  );
  for (const p of l?.pses ?? []) {
    if (p.own?.daysLeft === undefined) continue;
    out.push(
      `psedoctor_own_certificate_days_left{system="${label(p.system)}",instance="${label(p.instance)}",pse="${label(p.basename ?? p.file)}",subject="${label(p.own.subject)}"} ${p.own.daysLeft}`,
    );
  }
  out.push('# TYPE psedoctor_own_certificate_lifetime_left_ratio gauge');
  out.push(
    '# HELP psedoctor_own_certificate_lifetime_left_ratio Share of its validity period the own certificate has left (0-1).',
  );
  for (const p of l?.pses ?? []) {
    if (p.own?.lifetimeLeft === undefined) continue;
    out.push(
      `psedoctor_own_certificate_lifetime_left_ratio{system="${label(p.system)}",instance="${label(p.instance)}",pse="${label(p.basename ?? p.file)}"} ${p.own.lifetimeLeft}`,
    );
  }
  out.push('# TYPE psedoctor_pse_readable gauge');
  out.push(
    '# HELP psedoctor_pse_readable 1 when the PSE (or its listing) was read, 0 when it could not be opened.',
  );
  for (const p of l?.pses ?? []) {
    out.push(
      `psedoctor_pse_readable{system="${label(p.system)}",instance="${label(p.instance)}",pse="${label(p.basename ?? p.file)}"} ${p.source === 'unreadable' ? 0 : 1}`,
    );
  }
  out.push('# TYPE psedoctor_findings gauge');
  out.push('# HELP psedoctor_findings Findings of the run by rule and severity.');
  const counts = new Map<string, number>();
  for (const f of report.findings) {
    const key = `${f.rule}\u0000${f.severity}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [key, n] of [...counts.entries()].sort()) {
    const [rule, severity] = key.split('\u0000') as [string, string];
    out.push(`psedoctor_findings{rule="${label(rule)}",severity="${severity}"} ${n}`);
  }
  if (l?.targets.some((t) => t.probe)) {
    out.push('# TYPE psedoctor_target_trusted gauge');
    out.push(
      '# HELP psedoctor_target_trusted 1 when the PSE of the call trusts the chain the server sent, else 0.',
    );
    for (const t of l.targets) {
      if (!t.probe) continue;
      out.push(
        `psedoctor_target_trusted{system="${label(t.system)}",target="${label(`${t.host}:${t.port}`)}",pse="${label(t.pse)}",verdict="${t.probe.verdict}"} ${t.probe.verdict === 'trusted' ? 1 : 0}`,
      );
    }
  }
  out.push('# EOF');
  return `${out.join('\n')}\n`;
}
