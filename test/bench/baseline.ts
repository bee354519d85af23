/**
 * The floor ogi is compared against: read + sha256 + decodeBytes for every
 * file, + cheerio.load for HTML, in one loop. It runs in its own fresh node
 * process (run.js --baseline-worker DIR) so that its memory is measured like
 * the CLI's and not inflated by the corpus generation in the bench process.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { decodeBytes } from '../../src/text/decode.js';

export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out;
}

export interface BaselineResult {
  docs: number;
  html: number;
  seconds: number;
  bytes: number;
  peak_rss_mb: number;
  /** Decodes that did not come out clean (bad-character ratio > 1 %): a sanity check of the corpus. */
  bad_decodes: number;
}

export async function baselineWorker(dir: string): Promise<BaselineResult> {
  const files = listFiles(dir);
  const started = performance.now();
  let html = 0;
  let bytes = 0;
  let bad = 0;
  for (const f of files) {
    const buf = await readFile(f);
    bytes += buf.length;
    createHash('sha256').update(buf).digest('hex');
    const isHtml = /\.html?$/i.test(f);
    const d = decodeBytes(buf, { html: isHtml });
    if (d.badRatio > 0.01) bad++;
    if (isHtml) {
      html++;
      cheerio.load(d.text);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { docs: files.length, html, seconds, bytes, peak_rss_mb: process.resourceUsage().maxRSS / 1024, bad_decodes: bad };
}
