/** @module Picks the history store from the `--db` value: a postgres:// URL or a SQLite file path. */
import { resolve } from 'node:path';
import { openPostgresStore, redactDatabaseUrl } from './postgres-store.js';
import { openSqliteStore } from './sqlite-store.js';
import type { ReportStore } from './types.js';

/** The default SQLite file, relative to the working directory. */
export const DEFAULT_DB_FILE = 'pse-doctor.db';

/** True when `target` names a PostgreSQL database rather than a SQLite file. */
export function isPostgresTarget(target: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(target);
}

/** Opens the store named by `target` (default `./pse-doctor.db` in `cwd`). */
export async function openStore(
  target: string | undefined,
  cwd: string = process.cwd(),
): Promise<ReportStore> {
  const t = target ?? DEFAULT_DB_FILE;
  if (isPostgresTarget(t)) return openPostgresStore(t);
  return openSqliteStore(t === ':memory:' ? t : resolve(cwd, t));
}

/** A description of the store target without secrets, for the startup line. */
export function describeStoreTarget(target: string | undefined, cwd: string = process.cwd()): string {
  const t = target ?? DEFAULT_DB_FILE;
  if (isPostgresTarget(t)) return `PostgreSQL ${redactDatabaseUrl(t)}`;
  return `SQLite ${t === ':memory:' ? t : resolve(cwd, t)}`;
}
