/**
 * Many portals in one crawl, at the default politeness (2 requests in flight
 * and request starts 1 s apart per host): N stand-in portals of 30 pages on
 * N loopback addresses, served by another process (portal-farm.ts). The
 * ceiling is N × 1 page/s; the target is 0.8 of it, with peak RSS < 500 MB.
 * Beside it, one such portal alone (its ceiling is 1 page/s). Documents are
 * stored as bare rows (no extraction): this measures the crawler.
 *
 *   npx tsc -p . && node dist/test/bench/crawl-hosts.js [hosts]
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runCrawl } from '../../src/crawl/run.js';
import type { IngestOutcome, Submission } from '../../src/pipeline/service.js';
import { openDatabase, type DB } from '../../src/store/db.js';
import type { BenchRow } from './types.js';

const FARM = fileURLToPath(new URL('./portal-farm.js', import.meta.url));

/** A bare documents row per content: the crawler's cost without extraction. */
export const bareIngest =
  (d: DB) =>
  async (input: Submission): Promise<IngestOutcome> => {
    const sha256 = createHash('sha256').update(input.bytes).digest('hex');
    const ins = d
      .prepare(`INSERT OR IGNORE INTO documents (sha256, size, pipeline_version, processed_at) VALUES (?, ?, 'bench', ?)`)
      .run(sha256, input.bytes.length, new Date().toISOString());
    const { id } = d.prepare('SELECT id FROM documents WHERE sha256 = ?').get(sha256) as { id: number };
    d.prepare(
      `INSERT INTO document_locations (document_id, location, kind, referrer, first_seen, last_seen) VALUES (?, ?, 'url', ?, ?, ?)
     ON CONFLICT DO NOTHING`,
    ).run(id, input.location, input.referrer ?? null, new Date().toISOString(), new Date().toISOString());
    return { status: ins.changes ? 'new' : 'unchanged', documentId: id, sha256, errorCode: null, hasReport: false, contentHash: null };
  };

export async function farm(n: number): Promise<{ origins: string[]; stop: () => void }> {
  const child = spawn(process.execPath, [FARM, String(n)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`portal farm exited (${code})`)));
  });
  const { origins } = JSON.parse(line) as { origins: string[] };
  return { origins, stop: () => child.kill('SIGTERM') };
}

async function crawl(
  origins: string[],
  pipeline = false,
): Promise<{ pages: number; seconds: number; failed: number; maxInFlight: number; documents: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'ogi-bench-hosts-'));
  const db = openDatabase(join(dir, 'ogi.sqlite'));
  try {
    const t0 = performance.now();
    const r = await runCrawl(
      db,
      { startUrls: origins.map((o) => `${o}/`), progressMs: 0, render: 'never' },
      pipeline ? {} : { submit: bareIngest(db) },
    );
    const documents = r.new + r.changed + r.unchanged;
    return { pages: r.pages, seconds: (performance.now() - t0) / 1000, failed: r.failed, maxInFlight: r.maxInFlight, documents };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchCrawlHosts(hosts = 200, withPipeline = true): Promise<BenchRow[]> {
  const f = await farm(hosts + 1);
  try {
    const one = await crawl([f.origins[hosts]]);
    const many = await crawl(f.origins.slice(0, hosts));
    const ceiling = hosts;
    const rate = many.pages / many.seconds;
    const rss = Math.round(process.resourceUsage().maxRSS / 1024);
    const rows: BenchRow[] = [
      {
        name: `crawl 1 host × ${one.pages} pages, default politeness`,
        pages: one.pages,
        seconds: one.seconds,
        pagesPerSec: one.pages / one.seconds,
        peakRssMb: rss,
        target: 'ceiling 1 page/s',
        note: `${(one.pages / one.seconds).toFixed(2)} of 1 page/s`,
      },
      {
        name: `crawl ${hosts} hosts × ${Math.round(many.pages / hosts)} pages, default politeness`,
        pages: many.pages,
        seconds: many.seconds,
        pagesPerSec: rate,
        peakRssMb: rss,
        target: `≥ ${0.8 * ceiling} pages/s, RSS < 500 MB`,
        pass: rate >= 0.8 * ceiling && rss < 500 && many.failed === 0,
        note: `${(rate / ceiling).toFixed(2)} of the ${ceiling} pages/s ceiling; ${many.failed} failed; max ${many.maxInFlight} in flight on a host`,
      },
    ];
    if (withPipeline) {
      // The same crawl with every document read by the ingest service (distinct content per portal): informative, no target.
      const p = await crawl(f.origins.slice(0, hosts), true);
      rows.push({
        name: `crawl ${hosts} hosts, with extraction (ingest service)`,
        pages: p.pages,
        docs: p.documents,
        seconds: p.seconds,
        pagesPerSec: p.pages / p.seconds,
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        note: `${(p.pages / p.seconds / ceiling).toFixed(2)} of the ceiling; ${(p.documents / p.seconds).toFixed(0)} docs/s read`,
      });
    }
    return rows;
  } finally {
    f.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchCrawlHosts(Number(process.argv[2] ?? 200), !process.argv.includes('--no-pipeline'));
  for (const r of rows) console.log(JSON.stringify(r));
}
