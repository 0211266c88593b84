/**
 * @module The one contract every ReportStore passes; `sqlite-store.test.ts` and `postgres-store.test.ts`
 * run it against their backend.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isToolError } from '../model/errors.js';
import type { LandscapeSnapshot } from '../model/landscape.js';
import type { Report } from '../model/report.js';
import type { ReportStore } from './types.js';

/** A fresh, empty database that can be opened more than once (a second open = a restart or a replica). */
export interface StoreFixture {
  open(options?: { now?: () => Date }): Promise<ReportStore>;
  dispose(): Promise<void>;
}

/** Report ids are RFC 9562 version-8 UUIDs derived from the saved content (idempotent saves); landscape runs get random version-4 ones. */
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[48][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A small but realistic report; `tag` makes each one distinguishable. */
export function sampleReport(tag: string, findings = 1): Report {
  return {
    tool: 'pse-doctor',
    schemaVersion: 1,
    generatedAt: '2024-05-01T10:00:00.000Z',
    inputs: [
      {
        name: `dev_icm-${tag}`,
        format: 'icm-trace',
        bytes: 1234,
        lines: 40,
        unrecognizedLines: 2,
        warnings: [],
      },
    ],
    events: [],
    findings: Array.from({ length: findings }, (_, i) => ({
      rule: 'untrusted-peer-chain',
      cause: 'untrusted-root' as const,
      confidence: 'certain' as const,
      severity: 'error' as const,
      title: `Peer not trusted ${tag} #${i}`,
      summary: 'The peer chain ends in a CA that SAPSSLC.pse lacks.',
      pse: { basename: 'SAPSSLC.pse', node: 'SSL client Standard' },
      steps: ['Import the root CA into SSL client Standard.', 'Restart ICM.'],
      evidence: [{ input: 0, line: 17, text: `SSSLERR_PEER_CERT_UNTRUSTED ${tag}` }],
      kb: ['SSSLERR_PEER_CERT_UNTRUSTED'],
    })),
  };
}

async function rejectsInvalid(p: Promise<unknown>): Promise<void> {
  await assert.rejects(p, (err: unknown) => isToolError(err) && err.code === 'invalid-report');
}

/**
 * Registers the contract tests for one backend. `createFixture` returns an empty database per test;
 * pass `skip` (a reason) when the backend is not available here.
 */
export function runStoreContract(
  name: string,
  createFixture: () => Promise<StoreFixture>,
  options: { skip?: string | false } = {},
): void {
  describe(`ReportStore contract: ${name}`, { skip: options.skip ?? false }, () => {
    async function withStore(fn: (store: ReportStore, fx: StoreFixture) => Promise<void>, now?: () => Date) {
      const fx = await createFixture();
      const store = await fx.open(now ? { now } : {});
      try {
        await fn(store, fx);
      } finally {
        await store.close();
        await fx.dispose();
      }
    }

    test('save then get returns the report exactly as given, keys in the same order', () =>
      withStore(
        async (store) => {
          const report = sampleReport('exact', 2);
          // Keys deliberately out of the usual order, and text a browser would treat as markup.
          (report.findings[0] as unknown as Record<string, unknown>).zeta = 'last';
          report.findings[0]!.summary = '<script>alert(1)</script> — ü ✓ "quoted"';
          const id = await store.save(report, { title: 'INC-42 github', note: 'from ticket' });
          assert.match(id, UUID_RE);
          const got = await store.get(id);
          assert.ok(got);
          assert.equal(got.id, id);
          assert.equal(got.createdAt, '2024-06-01T12:00:00.000Z');
          assert.equal(got.title, 'INC-42 github');
          assert.equal(got.note, 'from ticket');
          assert.deepEqual(got.report, report);
          assert.equal(JSON.stringify(got.report), JSON.stringify(report));
        },
        () => new Date('2024-06-01T12:00:00.000Z'),
      ));

    test('title defaults to the first finding; cause, counts and input names are listed', () =>
      withStore(async (store) => {
        const id = await store.save(sampleReport('dflt', 3));
        const [item] = await store.list();
        assert.ok(item);
        assert.equal(item.id, id);
        assert.equal(item.title, 'Peer not trusted dflt #0');
        assert.equal(item.cause, 'untrusted-root');
        assert.equal(item.findings, 3);
        assert.deepEqual(item.inputs, ['dev_icm-dflt']);
        assert.equal(item.note, undefined);
        const empty = sampleReport('none', 0);
        const id2 = await store.save(empty, { title: '   ' });
        const got = await store.get(id2);
        assert.equal(got?.title, 'No finding');
      }));

    test('unknown and malformed ids give undefined / false, never an error', () =>
      withStore(async (store) => {
        await store.save(sampleReport('x'));
        for (const bad of [
          '00000000-0000-4000-8000-000000000000',
          '../../etc/passwd',
          "' OR 1=1 --",
          '',
          'A'.repeat(10_000),
        ]) {
          assert.equal(await store.get(bad), undefined, bad.slice(0, 20));
          assert.equal(await store.delete(bad), false);
        }
        assert.equal((await store.list()).length, 1);
      }));

    test('list is newest first and pages with limit/before without gaps or repeats', async () => {
      const t = Date.parse('2024-01-01T00:00:00.000Z');
      // Two saves share each millisecond, so ordering must break ties by id.
      let calls = 0;
      const clock = () => new Date(t + Math.floor(calls++ / 2) * 1000);
      await withStore(async (store) => {
        const ids: string[] = [];
        for (let i = 0; i < 7; i++) ids.push(await store.save(sampleReport(`p${i}`)));
        const all = await store.list({ limit: 100 });
        assert.equal(all.length, 7);
        for (let i = 1; i < all.length; i++) {
          assert.ok(all[i - 1]!.createdAt >= all[i]!.createdAt, 'newest first');
        }
        assert.deepEqual(new Set(all.map((r) => r.id)), new Set(ids));
        assert.equal(all[0]!.title, 'Peer not trusted p6 #0');
        assert.equal(all[6]!.title.includes('p0') || all[6]!.title.includes('p1'), true);
        const paged: string[] = [];
        let before: string | undefined;
        for (;;) {
          const page = await store.list({ limit: 3, ...(before ? { before } : {}) });
          if (page.length === 0) break;
          assert.ok(page.length <= 3);
          paged.push(...page.map((r) => r.id));
          before = page[page.length - 1]!.id;
        }
        assert.deepEqual(
          paged,
          all.map((r) => r.id),
        );
        assert.deepEqual(await store.list({ before: 'not-an-id' }), []);
        assert.equal((await store.list({ limit: 0 })).length, 1, 'limit is clamped to at least 1');
      }, clock);
    });

    test('saving the same report again (a retry) returns the same id and stores it once', () =>
      withStore(async (store) => {
        const report = sampleReport('retry');
        const a = await store.save(report, { title: 'INC-7', note: 'n' });
        const b = await store.save(structuredClone(report), { title: 'INC-7', note: 'n' });
        assert.equal(b, a);
        assert.equal((await store.list()).length, 1);
        const c = await store.save(report, { title: 'INC-8' });
        assert.notEqual(c, a, 'another title is another saved report');
        assert.equal((await store.list()).length, 2);
      }));

    test('delete removes exactly one report', () =>
      withStore(async (store) => {
        const a = await store.save(sampleReport('a'));
        const b = await store.save(sampleReport('b'));
        assert.equal(await store.delete(a), true);
        assert.equal(await store.get(a), undefined);
        assert.equal(await store.delete(a), false);
        assert.ok(await store.get(b));
        assert.deepEqual(
          (await store.list()).map((r) => r.id),
          [b],
        );
      }));

    test('invalid reports and private keys are refused and nothing is written', () =>
      withStore(async (store) => {
        await rejectsInvalid(store.save({ hello: 1 } as unknown as Report));
        await rejectsInvalid(store.save({ ...sampleReport('v'), schemaVersion: 2 } as unknown as Report));
        await rejectsInvalid(store.save({ ...sampleReport('v'), findings: 'x' } as unknown as Report));
        await rejectsInvalid(store.save(null as unknown as Report));
        const withKey = sampleReport('key');
        withKey.findings[0]!.steps.push(
          '-----BEGIN RSA PRIVATE KEY-----\nMIIE…\n-----END RSA PRIVATE KEY-----',
        );
        await rejectsInvalid(store.save(withKey));
        await rejectsInvalid(store.save(sampleReport('n'), { note: '-----BEGIN PRIVATE KEY-----' }));
        await rejectsInvalid(store.save(sampleReport('t'), { title: 42 as unknown as string }));
        assert.deepEqual(await store.list(), []);
      }));

    test('titles and notes are trimmed and capped', () =>
      withStore(async (store) => {
        const id = await store.save(sampleReport('cap'), {
          title: `  ${'T'.repeat(500)}\n`,
          note: 'line1\nline2\u0000',
        });
        const got = await store.get(id);
        assert.equal(got?.title, 'T'.repeat(200));
        assert.equal(got?.note, 'line1\nline2');
      }));

    test('a second open of the same database (restart or replica) sees every saved report', async () => {
      const fx = await createFixture();
      try {
        const first = await fx.open();
        const second = await fx.open();
        const id1 = await first.save(sampleReport('one'));
        const id2 = await second.save(sampleReport('two'));
        assert.equal((await second.get(id1))?.title, 'Peer not trusted one #0');
        assert.equal((await first.get(id2))?.title, 'Peer not trusted two #0');
        assert.equal(await second.delete(id1), true);
        assert.equal(await first.get(id1), undefined);
        await first.close();
        await second.close();
        const third = await fx.open();
        assert.deepEqual(
          (await third.list()).map((r) => r.id),
          [id2],
        );
        await third.close();
        await third.close(); // closing twice is harmless
      } finally {
        await fx.dispose();
      }
    });

    test('concurrent saves get distinct ids and all land', () =>
      withStore(async (store) => {
        const ids = await Promise.all(
          Array.from({ length: 25 }, (_, i) => store.save(sampleReport(`c${i}`))),
        );
        assert.equal(new Set(ids).size, 25);
        assert.equal((await store.list({ limit: 100 })).length, 25);
      }));

    test('landscape runs: saved snapshots come back exactly, newest first, apart from reports', async () => {
      let clock = Date.parse('2024-06-01T12:00:00.000Z');
      await withStore(
        async (store) => {
          const first = await store.saveLandscapeRun(sampleLandscape('2024-06-01T11:00:00.000Z', 2));
          const second = await store.saveLandscapeRun(sampleLandscape('2024-06-02T11:00:00.000Z', 3));
          assert.match(first, UUID_RE);
          const runs = await store.listLandscapeRuns();
          assert.deepEqual(
            runs.map((r) => [r.id, r.generatedAt, r.systems, r.pses, r.findings]),
            [
              [second, '2024-06-02T11:00:00.000Z', 1, 3, 1],
              [first, '2024-06-01T11:00:00.000Z', 1, 2, 1],
            ],
          );
          assert.equal((await store.listLandscapeRuns(1)).length, 1);
          const got = await store.getLandscapeRun(first);
          assert.deepEqual(got?.snapshot, sampleLandscape('2024-06-01T11:00:00.000Z', 2));
          assert.equal(await store.getLandscapeRun('not-an-id'), undefined);
          assert.deepEqual(await store.list(), [], 'landscape runs are not analyses in the history');
          await assert.rejects(
            store.saveLandscapeRun({ generatedAt: 'x' } as never),
            (err) => isToolError(err) && err.code === 'invalid-report',
          );
          const withKey = sampleLandscape('2024-06-03T11:00:00.000Z', 1);
          withKey.findings[0]!.title = '-----BEGIN PRIVATE KEY-----';
          await assert.rejects(store.saveLandscapeRun(withKey), (err) => isToolError(err));
          assert.equal((await store.listLandscapeRuns()).length, 2);
        },
        () => {
          clock += 1000;
          return new Date(clock);
        },
      );
    });
  });
}

/** A landscape snapshot with `pses` PSEs of one system. */
export function sampleLandscape(generatedAt: string, pses: number): LandscapeSnapshot {
  return {
    generatedAt,
    landscape: {
      systems: [{ system: 'ABC', instances: ['app1'] }],
      pses: Array.from({ length: pses }, (_, i) => ({
        system: 'ABC',
        instance: 'app1',
        file: `ABC/app1/P${i}.pse`,
        basename: `P${i}.pse`,
        source: 'pse' as const,
        trusted: [{ subject: 'CN=Root', sha256: 'ab'.repeat(32), notAfter: '2030-01-01T00:00:00.000Z' }],
      })),
      baselines: [],
      targets: [],
      plan: [],
      expiry: { absoluteDays: 7, lifetimeShare: 0.1, lifetimeDays: 30, noticeDays: 90, noticeShare: 0.25 },
    },
    findings: [{ rule: 'pse-pinned-leaf', severity: 'warning', title: 'ü <b>' }],
  };
}
