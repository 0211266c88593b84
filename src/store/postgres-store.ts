/** @module The team history store: PostgreSQL through postgres.js; replicas share it (no in-process state). */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
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

/**
 * Schema steps, applied in order under an advisory lock so replicas starting together migrate once.
 * The report is kept as text, not jsonb: jsonb would reorder keys, and a saved report stays as the user saw it.
 */
const MIGRATIONS: string[][] = [
  [
    `CREATE TABLE pse_doctor_reports (
       id uuid PRIMARY KEY,
       created_at timestamptz NOT NULL,
       title text NOT NULL,
       note text,
       cause text,
       findings integer NOT NULL,
       inputs text[] NOT NULL,
       report text NOT NULL
     )`,
    'CREATE INDEX pse_doctor_reports_newest ON pse_doctor_reports (created_at DESC, id DESC)',
  ],
  [
    `CREATE TABLE pse_doctor_landscape_runs (
       id uuid PRIMARY KEY,
       created_at timestamptz NOT NULL,
       generated_at text NOT NULL,
       systems integer NOT NULL,
       pses integer NOT NULL,
       findings integer NOT NULL,
       snapshot text NOT NULL
     )`,
    'CREATE INDEX pse_doctor_landscape_runs_newest ON pse_doctor_landscape_runs (created_at DESC, id DESC)',
  ],
];

interface RunRow {
  id: string;
  created_at: Date;
  generated_at: string;
  systems: number;
  pses: number;
  findings: number;
  snapshot?: string;
}

function toRunItem(row: RunRow): LandscapeRunItem {
  return {
    id: row.id,
    createdAt: row.created_at.toISOString(),
    generatedAt: row.generated_at,
    systems: row.systems,
    pses: row.pses,
    findings: row.findings,
  };
}
/** Arbitrary constant naming the migration lock ("psedoc" in ASCII). */
const MIGRATION_LOCK = 0x707365646f63;

interface Row {
  id: string;
  created_at: Date;
  title: string;
  note: string | null;
  cause: string | null;
  findings: number;
  inputs: string[];
  report?: string;
}

export interface PostgresStoreOptions {
  now?: () => Date;
  /** Connection pool size per process (default 5). */
  max?: number;
}

/** Seconds to wait for a connection to PostgreSQL before a request is answered 503. */
export const CONNECT_TIMEOUT_S = 3;

/** Errors that mean "the database is not reachable right now" (network, shutdown, too many clients). */
function isOutage(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return (
    /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EPIPE|EAI_AGAIN)$/.test(code) ||
    /^(CONNECT_TIMEOUT|CONNECTION_CLOSED|CONNECTION_ENDED|CONNECTION_DESTROYED)$/.test(code) ||
    /^(08|57P0|53300)/.test(code)
  );
}

/** The URL with any password replaced by `***`, safe for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const key of [...u.searchParams.keys()]) {
      if (/pass|secret|key/i.test(key)) u.searchParams.set(key, '***');
    }
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

function toListItem(row: Row): ReportListItem {
  return {
    id: row.id,
    createdAt: row.created_at.toISOString(),
    title: row.title,
    ...(row.note ? { note: row.note } : {}),
    ...(row.cause ? { cause: row.cause } : {}),
    findings: row.findings,
    inputs: row.inputs,
  };
}

async function migrate(sql: postgres.Sql): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`CREATE TABLE IF NOT EXISTS pse_doctor_schema (version integer NOT NULL)`;
    const rows = await tx<{ version: number }[]>`SELECT version FROM pse_doctor_schema`;
    let version = rows[0]?.version ?? 0;
    if (rows.length === 0) await tx`INSERT INTO pse_doctor_schema (version) VALUES (0)`;
    if (version > MIGRATIONS.length) {
      throw new Error(
        `database schema version ${version} is newer than this pse-doctor knows (${MIGRATIONS.length})`,
      );
    }
    for (; version < MIGRATIONS.length; version++) {
      for (const statement of MIGRATIONS[version]!) await tx.unsafe(statement);
      await tx`UPDATE pse_doctor_schema SET version = ${version + 1}`;
    }
  });
}

/** Connects to PostgreSQL at `url` (postgres://…), migrates the schema and returns the store. */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<ReportStore> {
  const now = options.now ?? (() => new Date());
  const sql = postgres(url, {
    max: options.max ?? 5,
    onnotice: () => {},
    // An outage answers 503 within seconds instead of holding requests for the default 30 s.
    connect_timeout: CONNECT_TIMEOUT_S,
    idle_timeout: 60,
    connection: { application_name: 'pse-doctor' },
  });
  try {
    await migrate(sql);
  } catch (err) {
    await sql.end({ timeout: 1 }).catch(() => {});
    const reason = err instanceof Error ? err.message : String(err);
    // postgres.js messages can quote the URL; never echo a password.
    throw new ToolError('store-unavailable', {
      target: redactDatabaseUrl(url),
      reason: reason.split(url).join('…'),
    });
  }
  let closed = false;
  const target = redactDatabaseUrl(url);
  /** Runs one statement; a lost or refused connection becomes `store-unavailable` (HTTP 503, retry later). */
  async function guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (!isOutage(err)) throw err;
      throw new ToolError(
        'store-unavailable',
        { target, reason: 'the database does not answer; try again in a few seconds.' },
        { cause: err },
      );
    }
  }

  return {
    kind: 'postgres',
    async save(report: Report, meta?: ReportMeta): Promise<string> {
      const p = prepareReport(report, meta);
      // Content-derived id + ON CONFLICT DO NOTHING: a retry after an ambiguous failure (the commit went
      // through but the answer was lost) neither duplicates nor loses the report.
      const id = reportId(p);
      await guard(
        () => sql`INSERT INTO pse_doctor_reports (id, created_at, title, note, cause, findings, inputs, report)
        VALUES (${id}, ${now()}, ${p.title}, ${p.note}, ${p.cause}, ${p.findings}, ${sql.array(p.inputs)}, ${p.json})
        ON CONFLICT (id) DO NOTHING`,
      );
      return id;
    },
    async get(id: string): Promise<StoredReport | undefined> {
      if (!isReportId(id)) return undefined;
      const rows = await guard(() => sql<Row[]>`SELECT * FROM pse_doctor_reports WHERE id = ${id}`);
      const row = rows[0];
      if (!row) return undefined;
      return {
        id: row.id,
        createdAt: row.created_at.toISOString(),
        title: row.title,
        ...(row.note ? { note: row.note } : {}),
        report: JSON.parse(row.report!) as Report,
      };
    },
    async list(options: ListOptions = {}): Promise<ReportListItem[]> {
      const limit = clampLimit(options.limit);
      if (options.before !== undefined && !isReportId(options.before)) return [];
      const rows = await guard(() =>
        options.before === undefined
          ? sql<Row[]>`SELECT id, created_at, title, note, cause, findings, inputs FROM pse_doctor_reports
              ORDER BY created_at DESC, id DESC LIMIT ${limit}`
          : sql<Row[]>`SELECT id, created_at, title, note, cause, findings, inputs FROM pse_doctor_reports
              WHERE (created_at, id) < (SELECT created_at, id FROM pse_doctor_reports WHERE id = ${options.before})
              ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
      );
      return rows.map(toListItem);
    },
    async delete(id: string): Promise<boolean> {
      if (!isReportId(id)) return false;
      const result = await guard(() => sql`DELETE FROM pse_doctor_reports WHERE id = ${id}`);
      return result.count > 0;
    },
    async saveLandscapeRun(snapshot: LandscapeSnapshot): Promise<string> {
      const p = prepareLandscapeRun(snapshot);
      const id = randomUUID();
      await sql`INSERT INTO pse_doctor_landscape_runs (id, created_at, generated_at, systems, pses, findings, snapshot)
        VALUES (${id}, ${now()}, ${p.generatedAt}, ${p.systems}, ${p.pses}, ${p.findings}, ${p.json})`;
      return id;
    },
    async listLandscapeRuns(limit?: number): Promise<LandscapeRunItem[]> {
      const rows = await sql<RunRow[]>`SELECT id, created_at, generated_at, systems, pses, findings
        FROM pse_doctor_landscape_runs ORDER BY created_at DESC, id DESC LIMIT ${clampLimit(limit)}`;
      return rows.map(toRunItem);
    },
    async getLandscapeRun(id: string): Promise<StoredLandscapeRun | undefined> {
      if (!isReportId(id)) return undefined;
      const rows = await sql<RunRow[]>`SELECT * FROM pse_doctor_landscape_runs WHERE id = ${id}`;
      const row = rows[0];
      if (!row) return undefined;
      return { ...toRunItem(row), snapshot: JSON.parse(row.snapshot!) as LandscapeSnapshot };
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await sql.end({ timeout: 5 });
    },
  };
}
