/** @module Runs the store contract against a real PostgreSQL the test starts on 127.0.0.1. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import postgres from 'postgres';
import {
  type PostgresCluster,
  postgresOrSkip,
  startPostgresCluster,
} from '../../test/serve/support/postgres-cluster.js';
import { createTestServices } from '../../test/serve/support/test-services.js';
import { isToolError } from '../model/errors.js';
import { createApp } from '../server/app.js';
import { runStoreContract, sampleReport } from './contract.js';
import { openPostgresStore, redactDatabaseUrl } from './postgres-store.js';

const availability = postgresOrSkip();
let cluster: PostgresCluster | undefined;
let counter = 0;

before(async () => {
  if (!availability.skip) cluster = await startPostgresCluster();
});
after(async () => {
  await cluster?.stop();
});

runStoreContract(
  'postgres',
  async () => {
    const c = cluster!;
    const name = `contract_${process.pid}_${++counter}`;
    const url = await c.createDatabase(name);
    return {
      open: (options) => openPostgresStore(url, { ...options, max: 3 }),
      dispose: () => c.dropDatabase(name),
    };
  },
  availability,
);

describe('postgres-only behaviour', availability, () => {
  test('replicas starting together migrate once; the report is kept as text, not reordered', async () => {
    const c = cluster!;
    const url = await c.createDatabase('race');
    try {
      const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(url, { max: 2 })));
      const report = sampleReport('text');
      const id = await stores[0]!.save(report);
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      const [row] = await sql<{ report: string; type: string }[]>`
        SELECT report, pg_typeof(report)::text AS type FROM pse_doctor_reports WHERE id = ${id}`;
      const [schema] = await sql<{ version: number }[]>`SELECT version FROM pse_doctor_schema`;
      const [{ count }] = (await sql`SELECT count(*)::int AS count FROM pse_doctor_schema`) as unknown as [
        { count: number },
      ];
      await sql.end();
      assert.equal(row?.type, 'text');
      assert.equal(row?.report, JSON.stringify(report));
      assert.equal(schema?.version, 2, 'reports, then landscape runs');
      assert.equal(count, 1);
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await c.dropDatabase('race');
    }
  });

  test('a wrong password gives store-unavailable without echoing the password', async () => {
    const c = cluster!;
    const url = `postgres://postgres:Sekr1t-wrong@127.0.0.1:${c.port}/postgres`;
    await assert.rejects(openPostgresStore(url), (err: unknown) => {
      assert.ok(isToolError(err));
      assert.equal(err.code, 'store-unavailable');
      assert.doesNotMatch(err.message, /Sekr1t/);
      assert.match(err.message, /\*\*\*/);
      return true;
    });
  });
});

describe('a PostgreSQL outage', availability, () => {
  test('saves and /api/health answer 503 quickly with Retry-After, not 500', async () => {
    const own = await startPostgresCluster();
    let stopped = false;
    try {
      const url = await own.createDatabase('outage');
      const store = await openPostgresStore(url, { max: 2 });
      const app = createApp({
        store,
        services: createTestServices(),
        maxUploadBytes: 1024 * 1024,
        web: { index: { body: Buffer.from(''), type: 'text/html', immutable: false }, files: new Map() },
        log: () => {},
      });
      const body = JSON.stringify({ report: sampleReport('outage'), title: 'INC-1' });
      const save = () =>
        app.request('/api/reports', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body,
        });
      const first = await save();
      assert.equal(first.status, 201);
      const { id } = (await first.json()) as { id: string };
      await own.stop();
      stopped = true;
      for (const call of [save, () => app.request('/api/health')]) {
        const started = Date.now();
        const res = await call();
        assert.equal(res.status, 503, await res.text());
        assert.equal(res.headers.get('retry-after'), '5');
        assert.ok(Date.now() - started < 8000, `answered after ${Date.now() - started} ms`);
      }
      assert.match(id, /^[0-9a-f-]{36}$/);
      await store.close().catch(() => {});
    } finally {
      if (!stopped) await own.stop();
    }
  });
});

test('redactDatabaseUrl hides passwords', () => {
  assert.equal(redactDatabaseUrl('postgres://u:pw@db:5432/x'), 'postgres://u:***@db:5432/x');
  assert.equal(redactDatabaseUrl('postgres://u@db/x?password=pw'), 'postgres://u@db/x?password=***');
  assert.equal(redactDatabaseUrl('::::'), 'postgres://…');
});
