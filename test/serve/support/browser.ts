/**
 * @module Headless Chromium for end-to-end tests (Debian's /usr/bin/chromium through playwright-core):
 * skips visibly when it is absent, fails under CI=true. Screenshots go to test-artifacts/serve/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { REPO_ROOT } from '../../helpers/fixtures.js';

export const CHROMIUM = process.env.PSE_DOCTOR_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'serve');

/** Skip option: a visible reason without Chromium; a failure under CI. */
export function chromiumOrSkip(): { skip: string | false } {
  if (existsSync(CHROMIUM)) return { skip: false };
  if (process.env.CI === 'true') throw new Error(`Chromium is required under CI but ${CHROMIUM} is missing`);
  return { skip: `Chromium not found at ${CHROMIUM} (browser tests skipped; apt-get install chromium)` };
}

/** Launches headless Chromium with a fresh temporary profile and no background network traffic. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Saves a full-page screenshot as a test artifact for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(ARTIFACTS, `${name}.png`);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true });
  return path;
}
