/**
 * Crawl throughput on the local fixture portal (127.0.0.1 only): pages per
 * second with the politeness delay off, so the number measures the crawler
 * (fetch, frontier, discovery, storage) and, by default, the ingest pipeline.
 *
 *   npx tsc -p . && node dist/test/bench/crawl.js
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCrawl } from '../../src/crawl/run.js';
import type { IngestOutcome, Submission } from '../../src/pipeline/service.js';
import { openDatabase } from '../../src/store/db.js';
import { startPortal } from '../crawl/portal.js';

export interface CrawlBenchOptions {
  /** Column reports on the portal (each brings 1–2 documents). */
  reports?: number;
  /** Requests in flight per host (the default of `ogi crawl` is 2). */
  concurrency?: number;
  /** Run documents through the real pipeline (true) or store nothing (false: crawler alone). */
  pipeline?: boolean;
}

export async function benchCrawl(options: CrawlBenchOptions = {}): Promise<{ pages: number; ms: number; pagesPerSec: number }> {
  const portal = await startPortal({ plain: true, reports: options.reports ?? 300, perPage: 20, latencyMs: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'ogi-bench-crawl-'));
  const db = openDatabase(join(dir, 'ogi.sqlite'));
  // Crawler alone: a bare documents row per content, no extraction.
  const skipIngest = async (input: Submission): Promise<IngestOutcome> => {
    const sha256 = createHash('sha256').update(input.bytes).digest('hex');
    const ins = db
      .prepare(`INSERT OR IGNORE INTO documents (sha256, size, pipeline_version, processed_at) VALUES (?, ?, 'bench', ?)`)
      .run(sha256, input.bytes.length, new Date().toISOString());
    const { id } = db.prepare('SELECT id FROM documents WHERE sha256 = ?').get(sha256) as { id: number };
    return { status: ins.changes ? 'new' : 'unchanged', documentId: id, sha256, errorCode: null, hasReport: false, contentHash: null };
  };
  try {
    const t0 = performance.now();
    const r = await runCrawl(
      db,
      { startUrls: [`${portal.origin}/`], delayMs: 0, concurrency: options.concurrency ?? 2, progressMs: 0, maxPages: 100_000 },
      options.pipeline === false ? { submit: skipIngest } : {},
    );
    const ms = performance.now() - t0;
    if (r.failed > 0 || r.status !== 'ok') throw new Error(`benchmark crawl had failures: ${JSON.stringify(r)}`);
    return { pages: r.pages, ms: Math.round(ms), pagesPerSec: Math.round((r.pages / (ms / 1000)) * 10) / 10 };
  } finally {
    db.close();
    await portal.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const [label, o] of [
    ['pipeline, concurrency 2', { pipeline: true }],
    ['crawler only, concurrency 2', { pipeline: false }],
    ['crawler only, concurrency 8', { pipeline: false, concurrency: 8 }],
  ] as const) {
    const r = await benchCrawl(o);
    console.log(`crawl (${label}): ${r.pages} pages in ${r.ms} ms = ${r.pagesPerSec} pages/s`);
  }
}
