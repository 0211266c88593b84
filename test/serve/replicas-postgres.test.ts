/**
 * @module Two real `pse-doctor serve` processes on one real PostgreSQL (started by the test on 127.0.0.1):
 * each sees the reports the other saves and deletes; the team login form works in Chromium, and the
 * probe page says probes are off.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fixturePath, fixturesOrSkip } from '../helpers/fixtures.js';
import { chromiumOrSkip, launchChromium, screenshot } from './support/browser.js';
import { type PostgresCluster, postgresOrSkip, startPostgresCluster } from './support/postgres-cluster.js';
import { type ServeProcess, startServeProcess } from './support/server-process.js';

const pg = postgresOrSkip();
const fx = fixturesOrSkip();
const TOKEN = 'replica-team-token-3c9e1f7a2b6d4e80';

describe('two server processes on one PostgreSQL', { skip: pg.skip || fx.skip }, () => {
  let cluster: PostgresCluster;
  let a: ServeProcess;
  let b: ServeProcess;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pse-doctor-replicas-'));
    writeFileSync(join(dir, 'token.txt'), `${TOKEN}\n`, { mode: 0o600 });
    cluster = await startPostgresCluster();
    const url = await cluster.createDatabase('replicas');
    // The URL (with its password) goes through the environment, not the command line.
    const env = { PSE_DOCTOR_DB: url };
    [a, b] = await Promise.all([
      startServeProcess(['--token-file', 'token.txt'], { cwd: dir, env }),
      startServeProcess(['--token-file', 'token.txt'], { cwd: dir, env }),
    ]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const headers = { Authorization: `Bearer ${TOKEN}` };

  test('both start on PostgreSQL without printing the password', () => {
    for (const s of [a, b]) {
      assert.match(
        s.stdout(),
        /history: {2}PostgreSQL postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/replicas/,
      );
      assert.doesNotMatch(s.stdout() + s.stderr(), /pse-doctor-test/);
    }
    assert.notEqual(a.port, b.port);
  });

  test('a report saved through one replica is listed, read and deleted through the other', async () => {
    const trace = readFileSync(fixturePath('real', 'traces', 'trace-006.txt'));
    const analyzed = await fetch(`${a.url}/api/analyze?name=trace-006.txt`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/octet-stream' },
      body: trace,
    });
    assert.equal(analyzed.status, 200);
    const report = (await analyzed.json()) as { findings: { cause: string }[] };
    assert.equal(report.findings[0]?.cause, 'untrusted-root');
    const saved = await fetch(`${a.url}/api/reports`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ report, title: 'saved on A' }),
    });
    assert.equal(saved.status, 201);
    const { id } = (await saved.json()) as { id: string };

    const list = (await (await fetch(`${b.url}/api/reports`, { headers })).json()) as {
      items: { id: string; title: string }[];
    };
    assert.deepEqual(
      list.items.map((i) => [i.id, i.title]),
      [[id, 'saved on A']],
    );
    const onB = (await (await fetch(`${b.url}/api/reports/${id}`, { headers })).json()) as {
      report: unknown;
    };
    assert.deepEqual(onB.report, report, 'exactly as saved');
    const pem = await fetch(`${b.url}/api/import/${id}/0.pem`, { headers });
    assert.equal(pem.status, 200);
    assert.match(await pem.text(), /^-----BEGIN CERTIFICATE-----/);

    const savedOnB = await fetch(`${b.url}/api/reports`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ report, title: 'saved on B' }),
    });
    const idB = ((await savedOnB.json()) as { id: string }).id;
    const listA = (await (await fetch(`${a.url}/api/reports`, { headers })).json()) as {
      items: { id: string }[];
    };
    assert.deepEqual(new Set(listA.items.map((i) => i.id)), new Set([id, idB]));

    assert.equal((await fetch(`${b.url}/api/reports/${id}`, { method: 'DELETE', headers })).status, 204);
    assert.equal((await fetch(`${a.url}/api/reports/${id}`, { headers })).status, 404);
    assert.equal((await fetch(`${a.url}/api/reports/${idB}`, { headers })).status, 200);
  });

  test('in a browser: the login form of one replica, then the history shows what the other saved', {
    skip: chromiumOrSkip().skip,
  }, async () => {
    const browser = await launchChromium();
    try {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${b.url}/reports`);
      await page.waitForURL(/\/login\?next=%2Freports$/);
      await page.locator('input[name=token]').fill('wrong-token-wrong-token');
      await page.locator('button[type=submit]').click();
      await page.getByText('That token is not right.').waitFor();
      await page.locator('input[name=token]').fill(TOKEN);
      await page.locator('button[type=submit]').click();
      await page.waitForURL(`${b.url}/reports`);
      await page.getByTestId('history').getByText('saved on B').waitFor();
      await screenshot(page, '12-team-history-postgres');
      // This replica runs without --enable-probe: the probe page says so.
      await page.getByRole('link', { name: 'Probe' }).click();
      await page.getByTestId('probe-disabled').waitFor();
      assert.match(
        (await page.getByTestId('probe-disabled').textContent()) ?? '',
        /probes are off.*enable-probe/s,
      );
      const cookies = await page.context().cookies();
      assert.equal(cookies.length, 1);
      assert.equal(cookies[0]!.httpOnly, true);
      assert.equal(cookies[0]!.sameSite, 'Strict');
      assert.notEqual(cookies[0]!.value, TOKEN);
    } finally {
      await browser.close();
    }
  });
});
