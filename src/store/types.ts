/** @module The history store interface: saved reports, exactly as the user saw them, behind one small API. */
import type { LandscapeSnapshot } from '../model/landscape.js';
import type { Report } from '../model/report.js';

/** What the user attaches when saving an analysis. Free text, capped by the store. */
export interface ReportMeta {
  /** Short title shown in the history (defaults to the first finding's title). */
  title?: string;
  /** A note, e.g. the ticket number. */
  note?: string;
}

/** One saved report. */
export interface StoredReport {
  /** Random UUID (safe when several replicas write to one database). */
  id: string;
  /** ISO 8601 UTC time of saving. */
  createdAt: string;
  title: string;
  note?: string;
  report: Report;
}

/** One line of the history list (no report body). */
export interface ReportListItem {
  id: string;
  createdAt: string;
  title: string;
  note?: string;
  /** Cause of the first finding, when there is one. */
  cause?: string;
  findings: number;
  /** Names of the inputs the report was made from. */
  inputs: string[];
}

export interface ListOptions {
  /** Maximum number of items (the store caps it at {@link MAX_LIST_LIMIT}). */
  limit?: number;
  /** Id of the last item of the previous page: the page starts right after it (older). */
  before?: string;
}

/**
 * Storage of saved analyses. Implementations: SQLite (default) and PostgreSQL. All state lives in the
 * database so several server replicas can share one PostgreSQL; every implementation passes the
 * contract suite in `contract.ts`.
 */
export interface ReportStore {
  /** Which backend this is, for logs (`sqlite`, `postgres`). Never includes credentials. */
  readonly kind: 'sqlite' | 'postgres';
  /** Saves a report and returns its new id. Throws ToolError `invalid-report` for bad input. */
  save(report: Report, meta?: ReportMeta): Promise<string>;
  /** The saved report, or undefined when there is none with that id (also for malformed ids). */
  get(id: string): Promise<StoredReport | undefined>;
  /** Newest first. */
  list(options?: ListOptions): Promise<ReportListItem[]>;
  /** Deletes one report; true when it existed. */
  delete(id: string): Promise<boolean>;
  /** Stores one `landscape` run (its snapshot) and returns its new id. Throws ToolError `invalid-report`. */
  saveLandscapeRun(snapshot: LandscapeSnapshot): Promise<string>;
  /** Landscape runs, newest first (at most {@link MAX_LIST_LIMIT}). */
  listLandscapeRuns(limit?: number): Promise<LandscapeRunItem[]>;
  /** One landscape run, or undefined (also for malformed ids). */
  getLandscapeRun(id: string): Promise<StoredLandscapeRun | undefined>;
  close(): Promise<void>;
}

/** One line of the landscape run list. */
export interface LandscapeRunItem {
  id: string;
  /** ISO time the run was stored. */
  createdAt: string;
  /** ISO time the run was made (the report's clock). */
  generatedAt: string;
  systems: number;
  pses: number;
  findings: number;
}

export interface StoredLandscapeRun extends LandscapeRunItem {
  snapshot: LandscapeSnapshot;
}

/** Largest page `list()` returns. */
export const MAX_LIST_LIMIT = 200;
/** Default page size. */
export const DEFAULT_LIST_LIMIT = 50;
/** Largest report (serialised JSON) a store accepts. */
export const MAX_REPORT_BYTES = 20 * 1024 * 1024;
/** Caps for the free-text meta fields. */
export const MAX_TITLE_LENGTH = 200;
export const MAX_NOTE_LENGTH = 2000;
