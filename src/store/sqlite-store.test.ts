/** @module Runs the store contract against SQLite files, plus SQLite-only checks (WAL, file mode, migration). */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { runStoreContract, sampleReport } from './contract.js';
import { openSqliteStore } from './sqlite-store.js';

runStoreContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-store-'));
  const file = join(dir, 'pse-doctor.db');
  return {
    open: async (options) => openSqliteStore(file, options),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

test('sqlite: one file in WAL mode, owner-only, schema version recorded, nothing else written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-store-'));
  try {
    const file = join(dir, 'pse-doctor.db');
    const store = openSqliteStore(file);
    const id = await store.save(sampleReport('wal'));
    await store.close();
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const db = new Database(file, { readonly: true });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('user_version', { simple: true }), 2, 'reports, then landscape runs');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    assert.deepEqual(tables, [{ name: 'landscape_runs' }, { name: 'reports' }]);
    assert.deepEqual(db.prepare('SELECT id FROM reports').all(), [{ id }]);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite: a database from a newer pse-doctor is refused with a clear error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pse-doctor-store-'));
  try {
    const file = join(dir, 'future.db');
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    assert.throws(() => openSqliteStore(file), /history database .*future\.db.*newer than this pse-doctor/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite: an unopenable path gives store-unavailable', () => {
  assert.throws(
    () => openSqliteStore('/nonexistent-dir-pse-doctor/x/y.db'),
    (err: unknown) => (err as { code?: string }).code === 'store-unavailable',
  );
});
