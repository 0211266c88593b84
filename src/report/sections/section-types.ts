/**
 * @module The sections a command's output is made of — overview, findings, chain, verification table,
 * PSE table, certificate list, facts, notes, transcript — as data only, drawn by one renderer per format.
 */
import type { ProfileVerdictSummary, Report } from '../../model/report.js';

/** One line of a certificate entry: a field name and its value; `mark` is the part to emphasise. */
export interface CertificateField {
  name: string;
  value: string;
  /** Shown after the value in brackets (`EXPIRED 12 days ago`, `WEAK: SHA-1`); emphasised. */
  mark?: string;
  /** The mark is a problem (red), not a plain note. */
  alarm?: boolean;
}

/** One certificate as every command lists it: a label (`leaf`, `root CA`, `trusted`), the subject, its fields. */
export interface CertificateEntry {
  label: string;
  subject: string;
  fields: CertificateField[];
}

/** One PSE of a folder, as a row of the PSE table. */
export interface PseRow {
  pse: string;
  node: string;
  own: string;
  expires: string;
  /** The own certificate is expired or about to expire (emphasised). */
  alarm?: boolean;
  trusted: string;
  notes: string;
}

/** A labelled value (`Trust list`, `Host`, `STRUST node`). */
export interface Fact {
  label: string;
  value: string;
}

export type Section =
  /** `analyze`: the headline (findings in which inputs), input notes and "Do this first". */
  | { kind: 'overview' }
  /** Facts about what was examined: a target, a PSE, a chain file. */
  | { kind: 'facts'; title?: string; rows: Fact[] }
  /** A chain, leaf first (as sent, or as given). */
  | { kind: 'chain'; title: string; entries: CertificateEntry[]; notes?: string[] }
  /** A list of certificates (a container's content, a PSE's trusted certificates). */
  | { kind: 'certificate-list'; title: string; entries: CertificateEntry[]; empty?: string; notes?: string[] }
  /** The verification table: one row per profile (`Report.verification`). */
  | { kind: 'verification'; title: string; verdicts: ProfileVerdictSummary[]; notes?: string[] }
  /** A folder of PSEs, one row each. */
  | { kind: 'pse-table'; title: string; rows: PseRow[] }
  /** The Report's findings, most likely first; `fixesOnly` leaves out `info` findings. */
  | { kind: 'findings'; title?: string; empty?: string[]; fixesOnly?: boolean }
  /** Plain lines under a title (notes, files written). */
  | { kind: 'notes'; title?: string; lines: string[] }
  /** Numbered lines (a probe transcript). */
  | { kind: 'transcript'; title: string; lines: string[] };

/** What one command shows: its Report and the sections to draw, in order. */
export interface ReportView {
  report: Report;
  sections: Section[];
}
