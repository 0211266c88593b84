/**
 * @module The Landscape page in headless Chromium against a real `pse-doctor serve`: two stored landscape
 * runs of a generated landscape → inventory table, calendar, trend; at 1280×800 and 390×844 without
 * horizontal overflow. Screenshots land in test-artifacts/serve/ for a person to check.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../helpers/fake-io.js';
import { LANDSCAPE_NOW, writeGeneratedLandscape } from '../landscape/generated-landscape.js';
import { chromiumOrSkip, launchChromium, screenshot } from './support/browser.js';
import { type ServeProcess, startServeProcess } from './support/server-process.js';

describe('Landscape page in headless Chromium', chromiumOrSkip(), () => {
  let dir: string;
  let server: ServeProcess;
  let browser: Browser;
  let second: Report;
  let rootBpem: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pse-doctor-landscape-web-'));
    rootBpem = (await writeGeneratedLandscape(dir)).rootBpem;
    const args = [
      'landscape',
      'collected',
      '--now',
      LANDSCAPE_NOW,
      '--json',
      '--db',
      'pse-doctor.db',
      '--baseline',
      'baseline.pem',
    ];
    assert.equal((await runCli(args, { cwd: dir })).code, 1);
    // Between the runs SAPSSLA.pse reaches app3 (as a STRUST save would distribute it).
    writeFileSync(
      join(dir, 'collected/ABC/app3/sec/SAPSSLA.pse'),
      readFileSync(join(dir, 'collected/ABC/app1/sec/SAPSSLA.pse')),
    );
    second = JSON.parse((await runCli(args, { cwd: dir })).stdout) as Report;
    server = await startServeProcess([], { cwd: dir });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('API: two runs, newest first; a run carries the trend since the one before', async () => {
    const runs = (await (await fetch(`${server.url}/api/landscape/runs`)).json()) as {
      items: { id: string }[];
    };
    assert.equal(runs.items.length, 2);
    assert.equal(runs.items[0]?.id, second.landscape?.runId);
    const latest = (await (await fetch(`${server.url}/api/landscape/runs/latest`)).json()) as {
      trend?: { pseAdded: string[] };
    };
    assert.deepEqual(latest.trend?.pseAdded, ['ABC/app3/SAPSSLA.pse']);
    assert.equal((await fetch(`${server.url}/api/landscape/runs/nope`)).status, 404);
  });

  for (const [name, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    test(`${name} ${viewport.width}×${viewport.height}: inventory, calendar and trend, no horizontal overflow`, async () => {
      const context = await browser.newContext({ viewport, acceptDownloads: true });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      try {
        await page.goto(`${server.url}/landscape`);
        await page.locator('[data-testid=inventory] tbody tr').first().waitFor();
        const rows = await page.locator('[data-testid=inventory] tbody tr').count();
        assert.equal(rows, second.landscape?.pses.length);
        assert.equal(rows, 11);
        const calendar = (await page.locator('[data-testid=calendar]').textContent()) ?? '';
        assert.match(calendar, /The own certificate of SAPSSLS\.pse on ABC\/app1 is expired/);
        assert.match(calendar, /2026-06-21/);
        // A baseline gap hands over the root to import: where, the PEM as a download, the commands.
        const gap = page.locator('[data-testid=calendar] li', {
          hasText: 'SAPSSLC.pse (SSL client Standard) on ABC lacks 1 root(s)',
        });
        await gap.locator('summary').click();
        assert.equal(
          await gap.locator('[data-testid=plan-where]').textContent(),
          'ABC · app1, app2 · SAPSSLC.pse',
        );
        const download = gap.locator('[data-testid=download-pem]');
        assert.equal(await download.getAttribute('download'), 'Landscape_Root_B.crt');
        const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
        assert.equal(file.suggestedFilename(), 'Landscape_Root_B.crt');
        assert.equal(readFileSync((await file.path()) ?? '', 'utf8'), rootBpem);
        assert.match(
          (await gap.locator('pre').textContent()) ?? '',
          /sapgenpse maintain_pk -p SAPSSLC\.pse -a Landscape_Root_B\.crt/,
        );
        const trend = (await page.locator('[data-testid=trend]').textContent()) ?? '';
        assert.match(trend, /Gone: SAPSSLA\.pse \(SSL client Anonymous\) is missing on app3 of ABC/);
        assert.match(trend, /PSE new: ABC\/app3\/SAPSSLA\.pse/);
        assert.equal(await page.locator('nav a.active').textContent(), 'Landscape');
        // The filter narrows the table.
        await page.locator('.landscape input[type=search]').fill('XYZ');
        assert.equal(await page.locator('[data-testid=inventory] tbody tr').count(), 2);
        await page.locator('.landscape input[type=search]').fill('');
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        await screenshot(page, `landscape-${name}`);
        const wide = await page.evaluate(() =>
          [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .slice(0, 8)
            .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
        );
        assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px: ${wide.join('; ')}`);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  }
});
