/** @module Checks a report before it is stored and derives the history columns; shared by every store. */
import { createHash } from 'node:crypto';
import { ToolError } from '../model/errors.js';
import type { LandscapeSnapshot } from '../model/landscape.js';
import type { Report } from '../model/report.js';
import { holdsPrivateKey } from './key-material.js';
import {
  DEFAULT_LIST_LIMIT,
  MAX_LIST_LIMIT,
  MAX_NOTE_LENGTH,
  MAX_REPORT_BYTES,
  MAX_TITLE_LENGTH,
  type ReportMeta,
} from './types.js';

/** The columns every store writes for one report. */
export interface PreparedReport {
  title: string;
  note: string | null;
  cause: string | null;
  findings: number;
  inputs: string[];
  /** The report exactly as given, serialised once (stored as text so key order survives). */
  json: string;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The id of a saved report, derived from what is saved (report, title, note): a retry after an
 * ambiguous failure (a timeout, a 503 while the commit went through) stores nothing twice and finds the
 * same row. Shaped as an RFC 9562 version-8 UUID (the version for name-based ids of one's own).
 */
export function reportId(p: PreparedReport): string {
  const h = createHash('sha256')
    .update(`${p.json}\u0000${p.title}\u0000${p.note ?? ''}`)
    .digest('hex');
  const variant = ((Number.parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** True for the ids stores hand out (lower-case random UUIDs); anything else is never looked up. */
export function isReportId(id: unknown): id is string {
  return typeof id === 'string' && UUID_RE.test(id);
}

function invalid(reason: string): ToolError {
  return new ToolError('invalid-report', { reason });
}

function cleanText(value: unknown, max: number, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalid(`${field} must be text`);
  // Control characters have no place in a one-line title; keep tabs/newlines only in notes.
  const text = value.replace(
    field === 'note' ? /[\u0000-\u0008\u000b-\u001f\u007f]/g : /[\u0000-\u001f\u007f]/g,
    ' ',
  );
  const trimmed = text.trim();
  if (trimmed.length === 0) return null;
  return trimmed.length > max ? trimmed.slice(0, max) : trimmed;
}

/**
 * Validates the shape of a report (enough to render it later) and derives title, cause, counts and the
 * JSON text. Throws ToolError `invalid-report` for anything else, including a report that carries a
 * private key.
 */
export function prepareReport(report: unknown, meta: ReportMeta = {}): PreparedReport {
  if (typeof report !== 'object' || report === null || Array.isArray(report)) {
    throw invalid('a report must be a JSON object');
  }
  const r = report as Partial<Report>;
  if (r.tool !== 'pse-doctor') throw invalid('"tool" must be "pse-doctor"');
  if (r.schemaVersion !== 1) throw invalid('"schemaVersion" must be 1');
  if (!Array.isArray(r.findings)) throw invalid('"findings" must be an array');
  if (!Array.isArray(r.inputs)) throw invalid('"inputs" must be an array');
  if (r.events !== undefined && !Array.isArray(r.events)) throw invalid('"events" must be an array');
  for (const f of r.findings) {
    if (typeof f !== 'object' || f === null || typeof (f as { title?: unknown }).title !== 'string') {
      throw invalid('every finding needs a title');
    }
  }
  let json: string;
  try {
    json = JSON.stringify(report);
  } catch (err) {
    throw invalid(`not serialisable: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (Buffer.byteLength(json) > MAX_REPORT_BYTES) throw invalid(`larger than ${MAX_REPORT_BYTES} bytes`);
  // A private key must never reach storage, whatever produced the report: PEM or bare base64 DER.
  if (holdsPrivateKey(json)) throw invalid('it contains a private key, which is never stored');
  const title = cleanText(meta.title, MAX_TITLE_LENGTH, 'title');
  const note = cleanText(meta.note, MAX_NOTE_LENGTH, 'note');
  if (note && holdsPrivateKey(note)) throw invalid('the note contains a private key, which is never stored');
  if (title && holdsPrivateKey(title))
    throw invalid('the title contains a private key, which is never stored');
  const first = r.findings[0];
  const inputs = r.inputs
    .map((i) => (typeof i === 'object' && i !== null ? (i as { name?: unknown }).name : undefined))
    .filter((n): n is string => typeof n === 'string')
    .slice(0, 50)
    .map((n) => n.slice(0, 200));
  return {
    title: title ?? (first ? first.title.slice(0, MAX_TITLE_LENGTH) : 'No finding'),
    note,
    cause: first && typeof first.cause === 'string' ? first.cause : null,
    findings: r.findings.length,
    inputs,
    json,
  };
}

/** Clamps a requested page size to 1…MAX_LIST_LIMIT. */
export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIST_LIMIT;
  return Math.min(MAX_LIST_LIMIT, Math.max(1, Math.floor(limit)));
}

/** The columns of one landscape run; checks the snapshot's shape, size and that it holds no key. */
export function prepareLandscapeRun(snapshot: unknown): {
  generatedAt: string;
  systems: number;
  pses: number;
  findings: number;
  json: string;
} {
  const s = snapshot as Partial<LandscapeSnapshot> | null;
  if (typeof s !== 'object' || s === null || Array.isArray(s))
    throw invalid('a landscape run must be a JSON object');
  if (typeof s.generatedAt !== 'string' || Number.isNaN(Date.parse(s.generatedAt)))
    throw invalid('"generatedAt" must be an ISO time');
  const l = s.landscape;
  if (typeof l !== 'object' || l === null || !Array.isArray(l.pses) || !Array.isArray(l.systems))
    throw invalid('"landscape" must hold "systems" and "pses" lists');
  if (!Array.isArray(s.findings)) throw invalid('"findings" must be a list');
  const json = JSON.stringify(s);
  if (Buffer.byteLength(json) > MAX_REPORT_BYTES)
    throw invalid(`it is larger than ${MAX_REPORT_BYTES} bytes`);
  if (holdsPrivateKey(json)) throw invalid('it contains a private key');
  return {
    generatedAt: new Date(s.generatedAt).toISOString(),
    systems: l.systems.length,
    pses: l.pses.length,
    findings: s.findings.length,
    json,
  };
}
