/**
 * @module End to end in real headless Chromium against a real `pse-doctor serve` process: drop real
 * traces, see findings and highlighted lines, download the PEM, save and reopen from the history link,
 * search explain, open a real PSE with its PIN, watch upload progress, probe a local TLS server, and prove
 * pasted script stays inert.
 * Screenshots land in test-artifacts/serve/ for a person to check.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createServer as createTlsServer } from 'node:tls';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fixturePath, fixturesOrSkip } from '../helpers/fixtures.js';
import { generateChain } from '../pki/index.js';
import { chromiumOrSkip, launchChromium, screenshot } from './support/browser.js';
import { type ServeProcess, startServeProcess } from './support/server-process.js';

const browserAvail = chromiumOrSkip();
const fixturesAvail = fixturesOrSkip();
const skip = browserAvail.skip || fixturesAvail.skip;
const PIN = '1234567980';

interface Watched {
  page: Page;
  /** Requests to anything but the server itself (must stay empty). */
  foreign: string[];
  dialogs: string[];
  cspViolations: string[];
  pageErrors: string[];
}

describe('web UI in headless Chromium', { skip }, () => {
  let server: ServeProcess;
  let browser: Browser;
  let dir: string;
  const contexts: BrowserContext[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pse-doctor-e2e-'));
    // The probe test talks to a TLS server on 127.0.0.1, which the web probe refuses unless this test hook is set.
    server = await startServeProcess(['--enable-probe'], {
      cwd: dir,
      env: { PSE_DOCTOR_PROBE_LOOPBACK: '1' },
    });
    browser = await launchChromium();
  });
  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A page in a fresh browser context (no cookies, no storage), watched for anything suspicious. */
  async function freshPage(): Promise<Watched> {
    const context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1280, height: 900 },
    });
    contexts.push(context);
    const page = await context.newPage();
    const w: Watched = { page, foreign: [], dialogs: [], cspViolations: [], pageErrors: [] };
    page.on('request', (r) => {
      const url = r.url();
      if (!url.startsWith(`${server.url}/`) && !url.startsWith('blob:') && !url.startsWith('data:'))
        w.foreign.push(url);
    });
    page.on('dialog', (d) => {
      w.dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) w.cspViolations.push(m.text());
    });
    page.on('pageerror', (e) => w.pageErrors.push(e.message));
    return w;
  }

  function assertClean(w: Watched): void {
    assert.deepEqual(w.foreign, [], 'no request leaves the server');
    assert.deepEqual(w.dialogs, [], 'no dialog opened');
    assert.deepEqual(w.cspViolations, [], 'no CSP violation (nothing inline)');
    assert.deepEqual(w.pageErrors, [], 'no script error');
  }

  /** Drops a file on the drop zone the way a browser does (a DragEvent carrying a DataTransfer). */
  async function dropFile(page: Page, path: string, name = basename(path)): Promise<void> {
    const b64 = readFileSync(path).toString('base64');
    const dataTransfer = await page.evaluateHandle(
      ({ name, b64 }) => {
        const dt = new DataTransfer();
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], name, { type: 'text/plain' }));
        return dt;
      },
      { name, b64 },
    );
    await page.dispatchEvent('[data-testid=drop]', 'dragover', { dataTransfer });
    await page.dispatchEvent('[data-testid=drop]', 'drop', { dataTransfer });
  }

  test('drop a real trace: the finding comes first and the PSE line is highlighted; save; reopen from the link', async () => {
    const w = await freshPage();
    const { page } = w;
    await page.goto(`${server.url}/`);
    await dropFile(page, fixturePath('real', 'cases', 'case-028.txt'));
    await page.getByTestId('files').getByText('case-028.txt').waitFor();
    await page.getByTestId('analyze').click();
    const finding = page.getByTestId('finding').first();
    await finding.waitFor();
    assert.equal(await finding.locator('.badge.cause').getAttribute('data-cause'), 'untrusted-root');
    assert.match((await finding.locator('h3').textContent()) ?? '', /does not trust/i);
    const pseLine = finding.locator('.evidence-line.hl-pse');
    assert.ok((await pseLine.count()) >= 1, 'a PSE line is highlighted');
    assert.match((await pseLine.first().textContent()) ?? '', /session uses PSE file/);
    assert.equal(await pseLine.first().getAttribute('data-kind'), 'pse');
    assert.equal(
      await finding.locator('.evidence-line.hl-error', { hasText: 'SSSLERR_PEER_CERT_UNTRUSTED' }).count(),
      1,
    );
    await screenshot(page, '01-analyze-case-028');

    await page.getByLabel('Title').fill('INC-4711 case-028 untrusted peer');
    await page.getByTestId('save').click();
    const link = page.getByTestId('saved-link');
    await link.waitFor();
    const href = (await link.getAttribute('href')) ?? '';
    assert.match(href, /^\/reports\/[0-9a-f-]{36}$/);
    assert.equal(await link.textContent(), `${server.url}${href}`, 'the full link is shown for the ticket');
    assertClean(w);

    // A colleague opens the link from the ticket: a fresh browser context, straight to the URL.
    const w2 = await freshPage();
    await w2.page.goto(`${server.url}${href}`);
    await w2.page.getByTestId('saved-title').waitFor();
    assert.equal(await w2.page.getByTestId('saved-title').textContent(), 'INC-4711 case-028 untrusted peer');
    const again = w2.page.getByTestId('finding').first();
    assert.match(
      (await again.locator('.evidence-line.hl-pse').first().textContent()) ?? '',
      /session uses PSE file/,
    );
    await screenshot(w2.page, '02-saved-report-from-link');
    await w2.page.goto(`${server.url}/reports`);
    await w2.page.getByTestId('history').getByText('INC-4711 case-028 untrusted peer').waitFor();
    await screenshot(w2.page, '03-history');
    assertClean(w2);
  });

  test('certificate lines are highlighted and the root CA PEM downloads, before and after saving', async () => {
    const w = await freshPage();
    const { page } = w;
    await page.goto(`${server.url}/`);
    await page.getByTestId('file-input').setInputFiles(fixturePath('real', 'traces', 'trace-006.txt'));
    await page.getByTestId('analyze').click();
    const finding = page.getByTestId('finding').first();
    await finding.waitFor();
    const certLines = finding.locator('.evidence-line.hl-cert');
    assert.ok((await certLines.count()) >= 4, 'subject/issuer lines of the chain are highlighted');
    assert.match(
      (await certLines.allTextContents()).join('\n'),
      /Issuer:\s+CN=DigiCert High Assurance EV Root CA/,
    );
    await screenshot(page, '04-analyze-trace-006-certificate');

    async function downloadPem(p: Page) {
      const [download] = await Promise.all([
        p.waitForEvent('download'),
        p.getByTestId('download-pem').first().click(),
      ]);
      const path = await download.path();
      assert.ok(path);
      const pem = readFileSync(path, 'utf8');
      const cert = new X509Certificate(pem);
      return { name: download.suggestedFilename(), subject: cert.subject, pem };
    }
    const before = await downloadPem(page);
    assert.equal(
      before.name,
      'DigiCert_High_Assurance_EV_Root_CA.crt',
      'the name the sapgenpse command uses',
    );
    assert.match(before.subject, /CN=DigiCert High Assurance EV Root CA/);
    assert.match(
      (await finding.locator('.command pre').allTextContents()).join('\n'),
      /sapgenpse maintain_pk -p SAPSSLC\.pse -a DigiCert_High_Assurance_EV_Root_CA\.crt/,
    );

    await page.getByTestId('save').click();
    const href = (await page.getByTestId('saved-link').getAttribute('href')) ?? '';
    const w2 = await freshPage();
    await w2.page.goto(`${server.url}${href}`);
    await w2.page.getByTestId('finding').first().waitFor();
    assert.match(
      (await w2.page.getByTestId('download-pem').first().getAttribute('href')) ?? '',
      /^\/api\/import\/[0-9a-f-]{36}\/0\.pem$/,
    );
    const afterSave = await downloadPem(w2.page);
    assert.equal(afterSave.pem, before.pem, 'the server serves the same PEM');
    assert.equal(afterSave.name, before.name);
    assertClean(w);
    assertClean(w2);
  });

  test('explain: search, then one stable URL per entry', async () => {
    const w = await freshPage();
    const { page } = w;
    await page.goto(`${server.url}/explain`);
    // A phrase, not an exact id (an exact id opens its entry directly: see web-journeys.test.ts).
    await page.getByTestId('explain-q').fill('Missing credential');
    await page.getByTestId('explain-go').click();
    await page.waitForURL(/\/explain\?q=Missing%20credential$/);
    const result = page.getByTestId('explain-results').getByRole('link', { name: 'WSS040' }).first();
    await result.waitFor();
    await screenshot(page, '05-explain-search');
    await result.click();
    await page.waitForURL(`${server.url}/explain/WSS040`);
    const entry = page.getByTestId('kb-entry');
    await entry.waitFor();
    assert.match((await entry.locator('h2').textContent()) ?? '', /^WSS040 — /);
    // The URL stands on its own: a fresh page straight to it shows the same entry.
    const w2 = await freshPage();
    await w2.page.goto(`${server.url}/explain/WSS040`);
    await w2.page.getByTestId('kb-entry').waitFor();
    assert.equal(
      await w2.page.locator('[data-testid=kb-entry] h2').textContent(),
      await entry.locator('h2').textContent(),
    );
    await screenshot(w2.page, '06-explain-WSS040');
    assertClean(w);
    assertClean(w2);
  });

  test('PSE view: a real PSE opens with its PIN; the PIN is never stored or logged', async () => {
    const w = await freshPage();
    const { page } = w;
    await page.goto(`${server.url}/pse`);
    await page
      .getByTestId('pse-file')
      .setInputFiles(fixturePath('pse', 'pse_v2_lps_off_pbes1_3des_sha1.pse'));
    await page.getByTestId('pse-pin').fill(PIN);
    await page.getByTestId('pse-open').click();
    await page
      .locator('[data-testid=trust-list], [data-testid=error], [data-testid=pse-problem]')
      .first()
      .waitFor();
    assert.equal(
      await page.getByTestId('trust-list').count(),
      1,
      `the PSE opens: ${await page.locator('[data-testid=error], [data-testid=pse-problem]').allTextContents()}`,
    );
    assert.match((await page.getByTestId('own-subject').first().textContent()) ?? '', /CN=PSEOwner/);
    assert.equal(await page.getByTestId('pse-pin').inputValue(), '', 'the PIN field is cleared');
    await screenshot(page, '07-pse-view');

    await page.getByTestId('pse-pin').fill('0000000000');
    await page.getByTestId('pse-open').click();
    await page.locator('[data-testid=error], [data-testid=pse-problem]').first().waitFor();
    assert.match(
      (await page.locator('[data-testid=error], [data-testid=pse-problem]').first().textContent()) ?? '',
      /PIN/i,
    );
    await screenshot(page, '08-pse-wrong-pin');
    assertClean(w);
    const db = readFileSync(join(dir, 'pse-doctor.db')).toString('latin1');
    assert.equal(db.includes(PIN), false, 'the PIN is not in the database');
    assert.equal(
      server.stderr().includes(PIN) || server.stdout().includes(PIN),
      false,
      'nor in the server output',
    );
  });

  test('pasted <script> and hostile file names are shown as text and never run', async () => {
    const w = await freshPage();
    const { page } = w;
    const hostile = [
      '*** ERROR => SSL handshake with <script>window.__pwned=1</script>.example.com:443 failed: SSSLERR_PEER_CERT_UNTRUSTED (-102)',
      '<img src=x onerror="window.__pwned=2;alert(2)"><svg onload="window.__pwned=3">',
      '  cli SSL session PSE "/usr/sap/<script>alert(4)</script>/SAPSSLC.pse"',
    ].join('\n');
    await page.goto(`${server.url}/`);
    const evilName = join(dir, 'evil-name.txt');
    writeFileSync(evilName, readFileSync(fixturePath('real', 'cases', 'case-028.txt')));
    await dropFile(page, evilName, '<img src=x onerror="window.__pwned=6">.txt');
    await page.getByTestId('paste').fill(hostile);
    await page.getByTestId('analyze').click();
    const report = page.getByTestId('report');
    await report.waitFor();
    const text = (await report.textContent()) ?? '';
    assert.ok(text.includes('<script>window.__pwned=1</script>'), 'the script tag is visible as text');
    assert.ok(
      text.includes('<img src=x onerror="window.__pwned=6">.txt'),
      'the file name is visible as text',
    );
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
    assert.equal(
      await page.locator('#app script, #app img, #app svg').count(),
      0,
      'no element was created from the text',
    );
    await page.getByTestId('save').click();
    const href = (await page.getByTestId('saved-link').getAttribute('href')) ?? '';
    await screenshot(page, '09-script-inert');

    const w2 = await freshPage();
    await w2.page.goto(`${server.url}${href}`);
    await w2.page.getByTestId('report').waitFor();
    assert.ok(
      ((await w2.page.getByTestId('report').textContent()) ?? '').includes(
        '<script>window.__pwned=1</script>',
      ),
    );
    await w2.page.goto(`${server.url}/explain?q=${encodeURIComponent('<script>window.__pwned=5</script>')}`);
    await w2.page.getByTestId('explain-results').waitFor();
    for (const p of [page, w2.page]) {
      assert.equal(await p.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
    }
    assertClean(w);
    assertClean(w2);
  });

  test('a large trace streams up with visible progress and is analyzed whole', async () => {
    const w = await freshPage();
    const { page } = w;
    // A realistic big dev_icm: 6 MB of routine lines with a real failure excerpt in it.
    const trace = readFileSync(fixturePath('real', 'traces', 'trace-005.txt'), 'utf8');
    const lines: string[] = [];
    for (let i = 0, size = 0; size < 6_000_000; i++) {
      const l = `[Thr 140484128118528] Mon Nov 21 10:${String(i % 60).padStart(2, '0')}:00:123 IcmHandleNetRead: read ${i % 9000} bytes from conn ${i}\n`;
      lines.push(l);
      size += l.length;
      if (i === 20_000) lines.push(`${trace}\n`);
    }
    const bigPath = join(dir, 'dev_icm_big');
    writeFileSync(bigPath, lines.join(''));
    const size = readFileSync(bigPath).length;

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    // Slow the upload to ~4 MB/s so progress is on screen for a few seconds.
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 4 * 1024 * 1024,
    });
    await page.goto(`${server.url}/`);
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __progress: string[] }).__progress = seen;
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid=progress]');
        if (el?.textContent) seen.push(el.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByTestId('file-input').setInputFiles(bigPath);
    await page.getByTestId('analyze').click();
    await page.getByTestId('progress').filter({ hasText: 'Uploading' }).waitFor();
    await screenshot(page, '10-upload-progress');
    const finding = page.getByTestId('finding').first();
    await finding.waitFor({ timeout: 60_000 });
    assert.equal(await finding.locator('.badge.cause').getAttribute('data-cause'), 'own-cert-rejected');
    assert.match(
      (await finding.locator('.evidence-line.hl-pse').first().textContent()) ?? '',
      /SAPSSLS\.pse/,
    );
    const seen = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
    assert.ok(
      seen.some((s) => /Uploading .* of 5\.\d MB \(\d+%\)/.test(s)),
      `progress shown: ${seen.slice(0, 3).join(' | ')}`,
    );
    const row = page.getByTestId('input').first();
    assert.equal(await row.locator('.input-name').textContent(), 'dev_icm_big');
    const report = JSON.parse((await page.locator('.raw pre').textContent()) ?? '{}') as {
      inputs: { bytes: number }[];
    };
    assert.equal(report.inputs[0]?.bytes, size, 'every byte reached the reader');
    assertClean(w);
  });

  test('probe form: a live handshake with a local TLS server is diagnosed', async () => {
    // A TLS endpoint on 127.0.0.1 whose chain ends in a test root no trust list holds.
    const chain = await generateChain();
    const tls = createTlsServer(
      { cert: chain.leaf.pem + chain.intermediate.pem, key: chain.leaf.keyPem },
      (s) => s.end(),
    );
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    const port = (tls.address() as AddressInfo).port;
    try {
      const w = await freshPage();
      const { page } = w;
      await page.goto(`${server.url}/probe`);
      await page.getByTestId('probe-target').fill(`localhost:${port}`);
      await page.getByTestId('probe-go').click();
      const finding = page.getByTestId('finding').first();
      await finding.waitFor({ timeout: 60_000 });
      assert.equal(await finding.locator('.badge.cause').getAttribute('data-cause'), 'untrusted-root');
      assert.match((await finding.locator('h3').textContent()) ?? '', /PSE Doctor Test RSA Root CA/);
      await screenshot(page, '11-probe');
      assertClean(w);
    } finally {
      tls.close();
    }
  });
});
