/**
 * Bench module (run by run.ts when PostgreSQL is installed): crawl throughput
 * with every document read by the ingest service, on H stand-in portals served
 * by another process (portal-farm.ts), politeness at 2 requests in flight per
 * host and no delay (so the crawler, the readers and the store are what is
 * measured, not the per-host budget), in the same run:
 *   sqlite               ogi crawl --db FILE (one process)
 *   postgres, local      ogi crawl --db URL (one process, the store over a socket)
 *   postgres, P workers  ogi crawl --queue (one job per host), then P × ogi worker, P = 1, 2
 * with ogi's and the server's CPU per page. At the default politeness (1 s
 * between requests per host) a crawl is bound by the hosts' budgets, not by
 * workers: see the crawl-hosts module.
 * Environment: OGI_BENCH_PG_CRAWL_HOSTS (default 8).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { farm } from './crawl-hosts.js';
import { startCluster } from './pg-cluster.js';
import { createDatabase, measure, runWorker, type Cost } from './postgres.js';
import { lastJsonLine, runMeasured } from './proc.js';
import type { BenchRow } from './types.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const POLITE = ['--concurrency', '2', '--delay-ms', '0', '--render', 'never', '--progress', '0'];

const perPage = (cost: Cost, n: number) =>
  `ogi CPU ${((cost.ogiCpu / n) * 1000).toFixed(1)} ms/page, PostgreSQL CPU ${((cost.serverCpu / n) * 1000).toFixed(1)} ms/page`;

export async function benchPgCrawl(): Promise<BenchRow[]> {
  const hosts = Number(process.env.OGI_BENCH_PG_CRAWL_HOSTS ?? 8);
  const tmp = mkdtempSync(join(tmpdir(), 'ogi-bench-pg-crawl-'));
  const f = await farm(hosts);
  const seeds = f.origins.map((o) => `${o}/`);
  const cluster = await startCluster();
  const rows: BenchRow[] = [];
  try {
    const oneProcess = async (name: string, db: string, server: typeof cluster | undefined) => {
      const m = await measure(server, () =>
        runMeasured(process.execPath, [CLI, 'crawl', ...seeds, '--db', db, '--workers', '1', '--json', ...POLITE]),
      );
      const s = lastJsonLine(m.out.stdout) as { pages: number; new: number; failed: number } | undefined;
      if (!s) throw new Error(`${name}: no JSON summary (exit ${m.out.code}): ${m.out.stderrTail}`);
      rows.push({
        name,
        pages: s.pages,
        docs: s.new,
        seconds: m.out.seconds,
        pagesPerSec: s.pages / m.out.seconds,
        docsPerSec: s.new / m.out.seconds,
        peakRssMb: m.out.peakRssMb ?? undefined,
        note: `${server ? '' : 'baseline; '}${hosts} hosts, ${s.failed} failed; ${perPage(m.cost, s.pages)}`,
      });
    };
    await oneProcess('crawl, sqlite, 1 process', join(tmp, 'c.sqlite'), undefined);
    await oneProcess('crawl, postgres, 1 process', await createDatabase(cluster, 'crawl_local'), cluster);
    for (const p of [1, 2]) {
      const url = await createDatabase(cluster, `crawl_q${p}`);
      const enq = await runMeasured(process.execPath, [CLI, 'crawl', ...seeds, '--db', url, '--queue', '--json', ...POLITE]);
      if (enq.code !== 0) throw new Error(`crawl --queue failed: ${enq.stderrTail}`);
      const started = performance.now();
      const run = await measure(cluster, () => Promise.all(Array.from({ length: p }, () => runWorker(url, ['--crawl-jobs', '2']))));
      const wall = (performance.now() - started) / 1000;
      if (run.out.some((c) => c !== 0)) throw new Error(`a worker failed (exit codes ${run.out.join(', ')})`);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      // The crawl jobs' own span (without process start and the idle wait at the end), and what they fetched.
      const span = await c.query(
        `SELECT extract(epoch FROM max(completed_on) - min(started_on))::float8 AS s FROM pgboss.job WHERE name = 'ogi-crawl'`,
      );
      const done = await c.query(
        `SELECT count(*) FILTER (WHERE fetched_at IS NOT NULL)::int AS pages, count(*) FILTER (WHERE outcome = 'new')::int AS docs FROM crawl_frontier`,
      );
      await c.end();
      const seconds: number = span.rows[0].s;
      const { pages, docs } = done.rows[0] as { pages: number; docs: number };
      rows.push({
        name: `crawl, postgres, ${p} worker process${p > 1 ? 'es' : ''}`,
        pages,
        docs,
        seconds,
        pagesPerSec: pages / seconds,
        docsPerSec: docs / seconds,
        note: `${hosts} host jobs, 2 at a time per worker; ${perPage(run.cost, pages)}; end to end ${wall.toFixed(1)} s; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores (shared machine: noisy)`,
      });
    }
    return rows;
  } finally {
    cluster.stop();
    f.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}
