/**
 * Debian's Chromium driven by playwright-core (no browser download): the
 * review site is tested as an inspector opens it, from disk. Screenshots go
 * to test-artefacts/ (gitignored) so that they outlive the run's TMPDIR.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../../src/crawl/render.js';
import { ROOT } from '../helpers/gold.js';

export const CHROMIUM = process.env.OGI_CHROMIUM ?? '/usr/bin/chromium';

export function browserAvailable(): boolean {
  const ok = existsSync(CHROMIUM);
  if (!ok) process.stderr.write(`skipping the browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium, or set OGI_CHROMIUM)\n`);
  return ok;
}

export function screenshotDir(name: string): string {
  const dir = join(ROOT, 'test-artefacts', 'review', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface OpenBrowser {
  page: Page;
  /** Page errors and console errors seen so far. */
  errors: string[];
  /** Every URL requested. */
  requests: string[];
  close(): Promise<void>;
}

export async function openBrowser(): Promise<OpenBrowser> {
  const context: BrowserContext = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'ogi-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    // The crawler's flags (playwright adds its own headless flag).
    args: CHROMIUM_FLAGS.filter((f) => f !== '--headless'),
    viewport: { width: 1400, height: 1000 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('request', (r) => requests.push(r.url()));
  return { page, errors, requests, close: () => context.close() };
}
