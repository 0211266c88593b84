/** @module CSV inventory of a landscape Report: one row per PSE and certificate (own and trusted). */
import type { LandscapeCertificate } from '../model/landscape.js';
import type { Report } from '../model/report.js';
import { stripControlChars } from './control-chars.js';

const HEADER = [
  'system',
  'instance',
  'pse',
  'strust_node',
  'read_from',
  'role',
  'subject',
  'issuer',
  'not_after',
  'days_left',
  'lifetime_left_pct',
  'key',
  'signature',
  'extended_key_usage',
  'sha256',
  'problem',
];

/**
 * Quote a CSV field (RFC 4180) after the one control-character filter; a leading =, +, - or @ is prefixed
 * with ' so spreadsheets do not run it.
 */
export function csvField(value: string | number | undefined): string {
  let s = value === undefined ? '' : stripControlChars(String(value));
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Render the inventory as CSV (header line first, CRLF line ends). */
export function renderLandscapeCsv(report: Report): string {
  const rows: string[][] = [HEADER];
  for (const p of report.landscape?.pses ?? []) {
    const base = [p.system, p.instance, p.basename ?? p.file, p.node ?? '', p.source];
    const row = (role: string, c?: LandscapeCertificate) =>
      rows.push(
        [
          ...base,
          role,
          c?.subject ?? '',
          c?.issuer ?? '',
          c?.notAfter ?? '',
          c?.daysLeft !== undefined ? String(c.daysLeft) : '',
          c?.lifetimeLeft !== undefined ? String(Math.round(c.lifetimeLeft * 100)) : '',
          c?.key ?? '',
          c?.signatureAlgorithm ?? '',
          c?.extendedKeyUsage?.join(' ') ?? '',
          c?.sha256 ?? '',
          p.problem ?? '',
        ].map(csvField),
      );
    if (!p.own && p.trusted.length === 0) row('none');
    if (p.own) row('own', p.own);
    for (const t of p.trusted) row('trusted', t);
  }
  return `${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;
}
