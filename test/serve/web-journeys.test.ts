/**
 * @module The main journeys in real headless Chromium, at desktop (1280×800), phone (390×844) and narrowest
 * (360×740) size: paste → fix, upload a trace → download the root, PSE with PIN, probe with a trust list
 * against a local TLS server, explain search, history. Every step asserts that the page speaks web (no
 * command-line option, no internal token), has no horizontal scrollbar, and — after an analysis — shows the
 * first finding's title in the window. Screenshots of every step land in test-artifacts/serve/journeys/.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { zipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { fixturePath, fixturesOrSkip, REPO_ROOT } from '../helpers/fixtures.js';
import { generateChain } from '../pki/index.js';
import { chromiumOrSkip, launchChromium, screenshot } from './support/browser.js';
import { type ServeProcess, startServeProcess } from './support/server-process.js';

const browserAvail = chromiumOrSkip();
const fixturesAvail = fixturesOrSkip();
const skip = browserAvail.skip || fixturesAvail.skip;
const PIN = '1234567980';

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
  // The narrowest width the layout supports (issue 14: "from 360 px up").
  { name: 'narrow', width: 360, height: 740 },
] as const;

/** A command-line option, or a pse-doctor command line: the web speaks web. */
const CLI_FLAG = /(^|[\s"'(])--[a-z]/m;
const CLI_COMMAND = /pse-doctor (analyze|probe|pse|cert|verify|serve|explain|landscape)\b/;
/** Report vocabulary that must reach users in words. */
const INTERNAL_TOKENS =
  /\b(not-found|bundled-roots|peer-chain|pin-required|wrong-pin|self-signed-peer|untrusted-root|missing-intermediate|client-cert-missing|own-cert-rejected|icm-trace|abap-message|sapgenpse-listing|trust-list|ssl-failure|pse-problem)\b/;

describe('main journeys at desktop, phone and narrowest size', { skip }, () => {
  let server: ServeProcess;
  let browser: Browser;
  let dir: string;
  let tls: TlsServer;
  let tlsPort: number;
  let rootPem: string;
  /** A port nothing listens on, and a file over the server's 1 MB upload limit. */
  let closedPort: number;
  let bigFile: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pse-doctor-journeys-'));
    // The probe journey talks to a TLS server on 127.0.0.1, which the web probe refuses unless this test hook is set.
    server = await startServeProcess(['--enable-probe', '--max-upload', '1MB'], {
      cwd: dir,
      env: { PSE_DOCTOR_PROBE_LOOPBACK: '1' },
    });
    browser = await launchChromium();
    const chain = await generateChain();
    rootPem = chain.root.pem;
    tls = createTlsServer({ cert: chain.leaf.pem + chain.intermediate.pem, key: chain.leaf.keyPem }, (s) =>
      s.end(),
    );
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    tlsPort = (tls.address() as AddressInfo).port;
    const closed = createNetServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    bigFile = join(dir, 'dev_icm_big');
    writeFileSync(bigFile, 'x'.repeat(1536 * 1024));
  });
  after(async () => {
    tls?.close();
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The checks every step must pass; then a screenshot. */
  async function check(page: Page, step: string, vp: string): Promise<void> {
    await screenshot(page, join('journeys', `${vp}-${step}`));
    const text = await page.evaluate(() => document.body.innerText);
    assert.doesNotMatch(
      text,
      CLI_FLAG,
      `${step} (${vp}): page text has a command-line option: ${/.{0,60}--[a-z].{0,40}/.exec(text)?.[0]}`,
    );
    assert.doesNotMatch(text, CLI_COMMAND, `${step} (${vp}): page text has a pse-doctor command`);
    const token = INTERNAL_TOKENS.exec(text);
    assert.equal(token, null, `${step} (${vp}): internal token "${token?.[0]}" shown`);
    const overflow = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    assert.ok(
      overflow.scroll <= overflow.client,
      `${step} (${vp}): horizontal scrollbar (${overflow.scroll} > ${overflow.client})`,
    );
  }

  /** The first finding's title is inside the window (not below the fold) once the result shows. */
  async function assertFirstTitleVisible(page: Page, step: string, vp: string): Promise<void> {
    const title = page.getByTestId('finding').first().locator('h3');
    await title.waitFor();
    await page.waitForTimeout(150); // the scroll runs after two animation frames
    const box = await title.boundingBox();
    const height = page.viewportSize()?.height ?? 0;
    assert.ok(box, `${step} (${vp}): title has a box`);
    assert.ok(
      box.y >= 0 && box.y + Math.min(box.height, 40) <= height,
      `${step} (${vp}): first finding title at y=${Math.round(box.y)} is outside the ${height}px window`,
    );
  }

  for (const vp of VIEWPORTS) {
    async function newPage(): Promise<Page> {
      const context = await browser.newContext({
        acceptDownloads: true,
        viewport: { width: vp.width, height: vp.height },
      });
      return context.newPage();
    }

    test(`${vp.name}: paste an SM59 error → the next action first, then the ranked causes`, async () => {
      const page = await newPage();
      await page.goto(`${server.url}/`);
      await check(page, '01-start', vp.name);
      await page.getByTestId('paste').fill('SSL error (ICM_HTTP_SSL_ERROR)');
      await page.getByTestId('paste').press('Control+Enter');
      await assertFirstTitleVisible(page, 'paste', vp.name);
      const next = page.getByTestId('next');
      assert.match(
        (await next.textContent()) ?? '',
        /Raise the ICM trace level to 2.*analyze the new dev_icm here/s,
      );
      assert.equal(
        await page.getByTestId('summary-list').locator('li').count(),
        3,
        'summary lists all three',
      );
      const first = page.getByTestId('finding').first();
      assert.match((await first.locator('h3').textContent()) ?? '', /root CA/);
      assert.equal(await first.getByText('How to tell these apart').count(), 1);
      assert.equal(await page.getByTestId('save').count(), 1, 'there is something to save');
      await check(page, '02-paste-result', vp.name);
      await page.context().close();
    });

    test(`${vp.name}: upload a trace → download the root CA; save; history`, async () => {
      const page = await newPage();
      await page.goto(`${server.url}/`);
      await page.getByTestId('file-input').setInputFiles(join(REPO_ROOT, 'examples', 'dev_icm'));
      await page.getByTestId('analyze').click();
      await assertFirstTitleVisible(page, 'upload', vp.name);
      const first = page.getByTestId('finding').first();
      assert.match((await first.locator('h3').textContent()) ?? '', /DigiCert Global Root G2/);
      // Evidence collapsed to the lines that matter, with "show all".
      const shown = await first.locator('.evidence-line').count();
      const showAll = first.getByTestId('show-all');
      if ((await showAll.count()) > 0) {
        await showAll.click();
        assert.ok((await first.locator('.evidence-line').count()) > shown, 'show all shows more lines');
      }
      await check(page, '03-upload-result', vp.name);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        first.getByTestId('download-pem').click(),
      ]);
      const pem = readFileSync((await download.path()) ?? '', 'utf8');
      assert.equal(download.suggestedFilename(), 'DigiCert_Global_Root_G2.crt');
      assert.match(new X509Certificate(pem).subject, /CN=DigiCert Global Root G2/);
      // The save box comes after the result.
      const saveY = (await page.getByTestId('save').boundingBox())?.y ?? 0;
      const lastFindingY = (await page.getByTestId('finding').last().boundingBox())?.y ?? 0;
      assert.ok(saveY > lastFindingY, 'save box below the findings');
      await page.getByLabel('Title').fill(`Journey ${vp.name}`);
      await page.getByTestId('save').click();
      await page.getByTestId('saved-link').click();
      await page.getByTestId('saved-title').waitFor();
      await check(page, '04-saved-report', vp.name);
      await page.goto(`${server.url}/reports`);
      await page.getByTestId('history').getByText(`Journey ${vp.name}`).waitFor();
      await check(page, '05-history', vp.name);
      await page.context().close();
    });

    test(`${vp.name}: a text without failure offers nothing to save`, async () => {
      const page = await newPage();
      await page.goto(`${server.url}/`);
      await page.getByTestId('paste').fill('hello, nothing failed here');
      await page.getByTestId('analyze').click();
      await page.getByTestId('report').waitFor();
      assert.equal(await page.getByTestId('save').count(), 0);
      await page.context().close();
    });

    test(`${vp.name}: open a PSE with its PIN; a zipped sec folder with human dates and badges`, async () => {
      const page = await newPage();
      await page.goto(`${server.url}/pse`);
      await check(page, '06-pse-form', vp.name);
      await page
        .getByTestId('pse-file')
        .setInputFiles(fixturePath('pse', 'pse_v2_lps_off_pbes1_3des_sha1.pse'));
      await page.getByTestId('pse-open').click();
      await page
        .locator('[data-testid=trust-list], [data-testid=pse-problem], [data-testid=finding]')
        .first()
        .waitFor();
      await check(page, '07-pse-no-pin', vp.name);
      await page
        .getByTestId('pse-file')
        .setInputFiles(fixturePath('pse', 'pse_v2_lps_off_pbes1_3des_sha1.pse'));
      await page.getByTestId('pse-pin').fill(PIN);
      await page.getByTestId('pse-open').click();
      await page.getByTestId('trust-list').first().waitFor();
      assert.match((await page.getByTestId('own-subject').first().textContent()) ?? '', /CN=PSEOwner/);
      await check(page, '08-pse-open', vp.name);
      // A zipped sec folder: every PSE in it, with format, STRUST node, human dates and the EXPIRED badge.
      const zipFile = join(dir, `sec-${vp.name}.zip`);
      writeFileSync(
        zipFile,
        zipSync({
          'sec/pse_v2_lps_off_pbes1_3des_sha1.pse': readFileSync(
            fixturePath('pse', 'pse_v2_lps_off_pbes1_3des_sha1.pse'),
          ),
          'sec/pse_v4_lps_off_pbes1_3des_sha1_plain.pse': readFileSync(
            fixturePath('pse', 'pse_v4_lps_off_pbes1_3des_sha1_plain.pse'),
          ),
        }),
      );
      await page.getByTestId('pse-file').setInputFiles(zipFile);
      await page.getByTestId('pse-pin').fill(PIN);
      await page.getByTestId('pse-open').click();
      await page.getByTestId('trust-list').nth(1).waitFor();
      assert.equal(await page.getByTestId('trust-list').count(), 2, 'both PSEs of the zip');
      assert.match((await page.getByTestId('pse-format').first().textContent()) ?? '', /PSE/);
      assert.ok((await page.getByTestId('pse-node').count()) === 2, 'a STRUST node line per PSE');
      const validity = (await page.getByTestId('own-validity').first().textContent()) ?? '';
      assert.match(validity, /EXPIRED.*until \d{1,2} [A-Z][a-z]{2} \d{4}.*\d+ days ago/s, validity);
      await check(page, '08b-pse-zip', vp.name);
      await page.context().close();
    });

    test(`${vp.name}: probe a local TLS server with a trust list`, async () => {
      const page = await newPage();
      const trustFile = join(dir, `trust-${vp.name}.pem`);
      writeFileSync(trustFile, rootPem);
      await page.goto(`${server.url}/probe`);
      await check(page, '09-probe-form', vp.name);
      await page.getByTestId('probe-target').fill(`localhost:${tlsPort}`);
      await page.getByTestId('probe-trust').setInputFiles(trustFile);
      await page.getByTestId('probe-go').click();
      await page.getByTestId('verdicts').waitFor({ timeout: 60_000 });
      assert.ok((await page.getByTestId('probe-chain').locator('li').count()) >= 1, 'the chain as sent');
      assert.match((await page.getByTestId('verdicts').textContent()) ?? '', /ICM/);
      assert.ok((await page.getByTestId('versions').locator('li').count()) >= 2, 'the version scan');
      await check(page, '10-probe-result', vp.name);
      await page.context().close();
    });

    test(`${vp.name}: explain filters as you type; an exact id opens the entry`, async () => {
      const page = await newPage();
      await page.goto(`${server.url}/explain`);
      await page.getByTestId('explain-index').waitFor();
      await page.getByTestId('explain-q').pressSequentially('wss0');
      const live = page.getByTestId('explain-live');
      await live.getByRole('link', { name: 'WSS040' }).waitFor();
      await check(page, '11-explain-typing', vp.name);
      await page.getByTestId('explain-q').fill('wss040');
      await page.getByTestId('explain-q').press('Enter');
      await page.waitForURL(`${server.url}/explain/WSS040`);
      await page.getByTestId('kb-entry').waitFor();
      await check(page, '12-explain-entry', vp.name);
      await page.context().close();
    });

    test(`${vp.name}: error states speak web — wrong PIN, bad proxy, a refused port, a too-big upload`, async () => {
      const page = await newPage();
      // Wrong PIN on the PSE page.
      await page.goto(`${server.url}/pse`);
      await page
        .getByTestId('pse-file')
        .setInputFiles(fixturePath('pse', 'pse_v2_lps_off_pbes1_3des_sha1.pse'));
      await page.getByTestId('pse-pin').fill('0000000000');
      await page.getByTestId('pse-open').click();
      await page.getByTestId('pse-problem').first().waitFor();
      assert.match(
        (await page.getByTestId('pse-problem').first().textContent()) ?? '',
        /PIN does not open it/,
      );
      await check(page, '13-pse-wrong-pin', vp.name);
      // A proxy that is no proxy address.
      await page.goto(`${server.url}/probe`);
      await page.getByTestId('probe-target').fill(`localhost:${tlsPort}`);
      await page.getByText('Client certificate and proxy').click();
      await page.getByTestId('probe-proxy').fill('http://no such proxy:x');
      await page.getByTestId('probe-go').click();
      await page.getByTestId('error').waitFor();
      assert.match((await page.getByTestId('error').textContent()) ?? '', /^Proxy: /);
      await check(page, '14-probe-bad-proxy', vp.name);
      // Nothing listens on the port: the finding's confirm step links the Probe page.
      await page.goto(`${server.url}/probe`);
      await page.getByTestId('probe-target').fill(`localhost:${closedPort}`);
      await page.getByTestId('probe-go').click();
      await page.getByTestId('finding').first().waitFor({ timeout: 60_000 });
      assert.match(
        (await page.getByTestId('finding').first().textContent()) ?? '',
        /refuses the TCP connection.*A new probe of localhost:\d+ reaches the TLS handshake/s,
      );
      await check(page, '15-probe-refused', vp.name);
      // An upload over the server's limit names gzip and the limit in web words.
      await page.goto(`${server.url}/`);
      await page.getByTestId('file-input').setInputFiles(bigFile);
      await page.getByTestId('analyze').click();
      await page.getByTestId('error').waitFor();
      const error = (await page.getByTestId('error').textContent()) ?? '';
      // The page checks the size before sending; when the server answers first, its words say the same.
      assert.match(error, /accepts up to 1\.0 MB per analysis|larger than the limit of 1 MB/);
      assert.match(error, /gzipped trace/);
      assert.match(error, /raise its upload limit/);
      await check(page, '16-upload-too-big', vp.name);
      await page.context().close();
    });

    test(`${vp.name}: explain entries link this app's pages where they name pse-doctor commands`, async () => {
      const page = await newPage();
      for (const [i, id] of ['SSSLERR_PEER_CERT_UNTRUSTED', 'ICM_HTTP_SSL_ERROR', 'WSS040'].entries()) {
        await page.goto(`${server.url}/explain/${id}`);
        await page.getByTestId('kb-entry').waitFor();
        await check(page, `17-explain-${i}-${id}`, vp.name);
      }
      await page.goto(`${server.url}/explain/SSSLERR_PEER_CERT_UNTRUSTED`);
      const probe = page
        .getByTestId('tool-link')
        .filter({ hasText: /^Probe / })
        .first();
      assert.equal(await probe.getAttribute('href'), '/probe');
      await page.context().close();
    });
  }
});
