/** @module The default history store: one SQLite file (better-sqlite3, WAL), schema migrated on open. */
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ToolError } from '../model/errors.js';
import type { LandscapeSnapshot } from '../model/landscape.js';
import type { Report } from '../model/report.js';
import { clampLimit, isReportId, prepareLandscapeRun, prepareReport, reportId } from './prepare-report.js';
import type {
  LandscapeRunItem,
  ListOptions,
  ReportListItem,
  ReportMeta,
  ReportStore,
  StoredLandscapeRun,
  StoredReport,
} from './types.js';

/** Schema steps, applied in order; `PRAGMA user_version` records how many ran. Append only. */
const MIGRATIONS: string[] = [
  `CREATE TABLE reports (
     id TEXT PRIMARY KEY,
     created_at INTEGER NOT NULL,
     title TEXT NOT NULL,
     note TEXT,
     cause TEXT,
     findings INTEGER NOT NULL,
     inputs TEXT NOT NULL,
     report TEXT NOT NULL
   );
   CREATE INDEX reports_newest ON reports (created_at DESC, id DESC);`,
  `CREATE TABLE landscape_runs (
     id TEXT PRIMARY KEY,
     created_at INTEGER NOT NULL,
     generated_at TEXT NOT NULL,
     systems INTEGER NOT NULL,
     pses INTEGER NOT NULL,
     findings INTEGER NOT NULL,
     snapshot TEXT NOT NULL
   );
   CREATE INDEX landscape_runs_newest ON landscape_runs (created_at DESC, id DESC);`,
];

interface RunRow {
  id: string;
  created_at: number;
  generated_at: string;
  systems: number;
  pses: number;
  findings: number;
  snapshot?: string;
}

function toRunItem(row: RunRow): LandscapeRunItem {
  return {
    id: row.id,
    createdAt: new Date(row.created_at).toISOString(),
    generatedAt: row.generated_at,
    systems: row.systems,
    pses: row.pses,
    findings: row.findings,
  };
}

interface Row {
  id: string;
  created_at: number;
  title: string;
  note: string | null;
  cause: string | null;
  findings: number;
  inputs: string;
  report?: string;
}

export interface SqliteStoreOptions {
  /** Clock (tests pin it). */
  now?: () => Date;
}

function toListItem(row: Row): ReportListItem {
  return {
    id: row.id,
    createdAt: new Date(row.created_at).toISOString(),
    title: row.title,
    ...(row.note ? { note: row.note } : {}),
    ...(row.cause ? { cause: row.cause } : {}),
    findings: row.findings,
    inputs: JSON.parse(row.inputs) as string[],
  };
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new Error(
      `database schema version ${version} is newer than this pse-doctor knows (${MIGRATIONS.length})`,
    );
  }
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

/**
 * Opens (creating when absent) the SQLite history file at `path` (`:memory:` for a throw-away store).
 * A new file is created readable by its owner only: saved reports name internal hosts and PSEs.
 */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): ReportStore {
  const now = options.now ?? (() => new Date());
  let db: Database.Database;
  try {
    if (path !== ':memory:' && !existsSync(path)) closeSync(openSync(path, 'a', 0o600));
    db = new Database(path, { timeout: 5000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
  } catch (err) {
    throw new ToolError(
      'store-unavailable',
      { target: path, reason: err instanceof Error ? err.message : String(err) },
      { cause: err },
    );
  }
  const insert = db.prepare(
    // Saving the same thing again is a no-op that returns the same id (idempotent retries).
    'INSERT OR IGNORE INTO reports (id, created_at, title, note, cause, findings, inputs, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const selectOne = db.prepare('SELECT * FROM reports WHERE id = ?');
  const selectCursor = db.prepare('SELECT created_at FROM reports WHERE id = ?');
  const cols = 'id, created_at, title, note, cause, findings, inputs';
  const listFirst = db.prepare(`SELECT ${cols} FROM reports ORDER BY created_at DESC, id DESC LIMIT ?`);
  const listAfter = db.prepare(
    `SELECT ${cols} FROM reports WHERE (created_at < ?) OR (created_at = ? AND id < ?)
     ORDER BY created_at DESC, id DESC LIMIT ?`,
  );
  const remove = db.prepare('DELETE FROM reports WHERE id = ?');
  const insertRun = db.prepare(
    'INSERT INTO landscape_runs (id, created_at, generated_at, systems, pses, findings, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const listRuns = db.prepare(
    'SELECT id, created_at, generated_at, systems, pses, findings FROM landscape_runs ORDER BY created_at DESC, id DESC LIMIT ?',
  );
  const selectRun = db.prepare('SELECT * FROM landscape_runs WHERE id = ?');
  let closed = false;

  return {
    kind: 'sqlite',
    async save(report: Report, meta?: ReportMeta): Promise<string> {
      const p = prepareReport(report, meta);
      const id = reportId(p);
      insert.run(id, now().getTime(), p.title, p.note, p.cause, p.findings, JSON.stringify(p.inputs), p.json);
      return id;
    },
    async get(id: string): Promise<StoredReport | undefined> {
      if (!isReportId(id)) return undefined;
      const row = selectOne.get(id) as Row | undefined;
      if (!row) return undefined;
      return {
        id: row.id,
        createdAt: new Date(row.created_at).toISOString(),
        title: row.title,
        ...(row.note ? { note: row.note } : {}),
        report: JSON.parse(row.report!) as Report,
      };
    },
    async list(options: ListOptions = {}): Promise<ReportListItem[]> {
      const limit = clampLimit(options.limit);
      if (options.before === undefined) return (listFirst.all(limit) as Row[]).map(toListItem);
      if (!isReportId(options.before)) return [];
      const cursor = selectCursor.get(options.before) as { created_at: number } | undefined;
      if (!cursor) return [];
      return (listAfter.all(cursor.created_at, cursor.created_at, options.before, limit) as Row[]).map(
        toListItem,
      );
    },
    async delete(id: string): Promise<boolean> {
      if (!isReportId(id)) return false;
      return remove.run(id).changes > 0;
    },
    async saveLandscapeRun(snapshot: LandscapeSnapshot): Promise<string> {
      const p = prepareLandscapeRun(snapshot);
      const id = randomUUID();
      insertRun.run(id, now().getTime(), p.generatedAt, p.systems, p.pses, p.findings, p.json);
      return id;
    },
    async listLandscapeRuns(limit?: number): Promise<LandscapeRunItem[]> {
      return (listRuns.all(clampLimit(limit)) as RunRow[]).map(toRunItem);
    },
    async getLandscapeRun(id: string): Promise<StoredLandscapeRun | undefined> {
      if (!isReportId(id)) return undefined;
      const row = selectRun.get(id) as RunRow | undefined;
      if (!row) return undefined;
      return { ...toRunItem(row), snapshot: JSON.parse(row.snapshot!) as LandscapeSnapshot };
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
