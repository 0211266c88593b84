/** @module startServer: it listens once an analysis worker takes jobs, or after a bounded wait. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openSqliteStore } from '../store/sqlite-store.js';
import type { ServerServices } from './services.js';
import { startServer } from './start-server.js';

const WEB = {
  index: { body: Buffer.from('<!doctype html>'), type: 'text/html', immutable: false },
  files: new Map(),
};

/** Services whose analysis workers report ready when the test says so. */
function servicesWithWorkers(ready: Promise<boolean>): ServerServices {
  return {
    analyze: async () => {
      throw new Error('not used');
    },
    getEntry: () => undefined,
    lookup: () => ({ query: '', matches: [] }) as unknown as ReturnType<ServerServices['lookup']>,
    listEntries: () => [],
    workersReady: () => ready,
  };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function answers(url: string): Promise<number> {
  return (await fetch(`${url}/api/config`)).status;
}

test('the server listens only once an analysis worker takes jobs', async () => {
  let markReady: (ready: boolean) => void = () => {};
  const ready = new Promise<boolean>((resolve) => {
    markReady = resolve;
  });
  const store = openSqliteStore(':memory:');
  let started = false;
  const starting = startServer({
    host: '127.0.0.1',
    port: 0,
    store,
    services: servicesWithWorkers(ready),
    maxUploadBytes: 1024,
    web: WEB,
  }).then((server) => {
    started = true;
    return server;
  });
  await delay(200);
  const early = started;
  markReady(true);
  const server = await starting;
  try {
    assert.equal(early, false, 'listening before any worker was ready');
    assert.equal(await answers(server.url), 200);
  } finally {
    await server.close();
    await store.close();
  }
});

test('a pool that cannot start, or hangs while starting, does not keep the server from listening', async () => {
  const store = openSqliteStore(':memory:');
  try {
    // No worker could start: the pool says so at once.
    const failed = await startServer({
      host: '127.0.0.1',
      port: 0,
      store,
      services: servicesWithWorkers(Promise.resolve(false)),
      maxUploadBytes: 1024,
      web: WEB,
    });
    assert.equal(await answers(failed.url), 200);
    await failed.close();
    // A worker that never answers: listening after the bounded wait.
    const t0 = performance.now();
    const hung = await startServer({
      host: '127.0.0.1',
      port: 0,
      store,
      services: servicesWithWorkers(new Promise<boolean>(() => {})),
      maxUploadBytes: 1024,
      web: WEB,
      workerWaitMs: 150,
    });
    const waited = performance.now() - t0;
    const status = await answers(hung.url);
    await hung.close();
    assert.ok(waited >= 140, 'did not wait for the worker at all');
    assert.equal(status, 200);
  } finally {
    await store.close();
  }
});
