/**
 * Distributed ingest: files enqueued with `ogi ingest --queue`, three
 * `ogi worker` processes, one killed with SIGKILL while it holds a job. The
 * job comes back (its lease died with the worker's session), every document is
 * stored exactly once, and the export equals a plain SQLite ingest of the same
 * files, cross-report findings included. Also: concurrent writers of the same
 * bytes and concurrent finish steps through the store itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestService } from '../../src/pipeline/service.js';
import { LEASE_LOCK } from '../../src/queue/lease.js';
import { PgStore } from '../../src/store/pg/store.js';
import { runCrossReportRules } from '../../src/validate/cross-report.js';
import { CLI, ogi } from '../helpers/cli.js';
import { normalizeJsonl, pgRows, writeInputs, type Inputs } from '../helpers/engine-inputs.js';
import { freshDatabase, PG_URL } from '../helpers/pg.js';

interface Worker {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exit: Promise<number | null>;
}

function startWorker(url: string): Worker {
  const child = spawn(
    process.execPath,
    [CLI, 'worker', '--db', url, '--exit-when-idle', '--workers', '1', '--concurrency', '2', '--poll-ms', '200', '--json'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const w: Worker = { child, stdout: '', stderr: '', exit: Promise.resolve(null) };
  child.stdout!.on('data', (d) => (w.stdout += d));
  child.stderr!.on('data', (d) => (w.stderr += d));
  w.exit = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  return w;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Leases the worker with this pid holds right now (its lease connection's locks). */
async function leasesOf(url: string, pid: number): Promise<number> {
  const r = await pgRows(
    url,
    `SELECT count(*) AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.classid::bigint = $1 AND l.granted AND a.application_name = $2`,
    [LEASE_LOCK, `ogi worker ${hostname()} ${pid}`],
  );
  return Number(r[0].n);
}

describe.skipIf(!PG_URL)('ogi worker: three processes, one killed with SIGKILL mid-job', () => {
  let inputs: Inputs;
  let url: string;
  let sqlite: string;
  let workers: Worker[] = [];
  let killedHeld = 0;

  beforeAll(async () => {
    inputs = writeInputs(10);
    url = await freshDatabase();
    sqlite = join(mkdtempSync(join(tmpdir(), 'ogi-workers-ref-')), 'ref.sqlite');
    const ref = ogi(['ingest', inputs.dir, '--db', sqlite, '--quiet', '--workers', '1']);
    expect(ref.code, ref.stderr).toBe(0);

    const q = ogi(['ingest', inputs.dir, '--db', url, '--queue', '--json', '--quiet']);
    expect(q.code, q.stderr).toBe(0);
    expect(JSON.parse(q.stdout).enqueued).toBe(inputs.files);

    workers = [startWorker(url), startWorker(url), startWorker(url)];
    const victim = workers[0];
    // Kill the victim at a moment it holds a job: its lease lock is visible in pg_locks.
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      killedHeld = await leasesOf(url, victim.child.pid!);
      if (killedHeld > 0) {
        victim.child.kill('SIGKILL');
        break;
      }
      await sleep(20);
    }
    expect(killedHeld, 'the victim never held a job').toBeGreaterThan(0);
    const codes = await Promise.race([
      Promise.all(workers.map((w) => w.exit)),
      sleep(240_000).then(() => {
        throw new Error(`workers did not finish:\n${workers.map((w) => w.stderr).join('\n---\n')}`);
      }),
    ]);
    expect(codes[0]).toBeNull(); // killed
    expect(codes.slice(1), workers.map((w) => w.stderr).join('\n---\n')).toEqual([0, 0]);
  }, 400_000);

  afterAll(() => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  });

  it('the killed worker’s job was given back by a surviving worker and stored', () => {
    const stats = workers.slice(1).map((w) => JSON.parse(w.stdout.trim().split('\n').pop()!));
    expect(stats.reduce((a, s) => a + s.reaped, 0)).toBeGreaterThanOrEqual(1);
    expect(stats.reduce((a, s) => a + s.finishRuns, 0)).toBeGreaterThanOrEqual(1);
  });

  it('every job completed, none failed, no bytes left in the inbox', async () => {
    const states = await pgRows(url, `SELECT state, count(*) AS n FROM pgboss.job WHERE name = 'ogi-ingest' GROUP BY state`);
    expect(Object.fromEntries(states.map((s) => [s.state, Number(s.n)]))).toEqual({ completed: inputs.files });
    expect(Number((await pgRows(url, 'SELECT count(*) AS n FROM ogi_queue.inbox'))[0].n)).toBe(0);
    const s = ogi(['status', '--db', url, '--json']);
    expect(s.code, s.stderr).toBe(0);
    const status = JSON.parse(s.stdout);
    expect(status.queue.ingest).toMatchObject({ waiting: 0, inFlight: 0, failed: 0, completed: inputs.files });
    expect(status.queue.finish.lastRun).not.toBeNull();
    expect(ogi(['status', '--db', url]).stdout).toMatch(/ingest jobs: 0 waiting, 0 in flight/);
  });

  it('every document stored exactly once, every path recorded once', async () => {
    const [c] = await pgRows(
      url,
      `SELECT (SELECT count(*) FROM documents) AS docs, (SELECT count(DISTINCT sha256) FROM documents) AS distinct_docs,
              (SELECT count(*) FROM document_locations) AS locations, (SELECT count(*) FROM reports) AS reports,
              (SELECT count(DISTINCT document_id) FROM reports) AS distinct_reports`,
    );
    expect(Number(c.docs)).toBe(inputs.files - 1); // one file is a copy of another
    expect(Number(c.distinct_docs)).toBe(Number(c.docs));
    expect(Number(c.locations)).toBe(inputs.files);
    expect(Number(c.reports)).toBe(Number(c.distinct_reports));
  });

  it('the export equals a SQLite ingest of the same files, cross-report findings included', () => {
    const a = ogi(['export', '--format', 'jsonl', '--db', sqlite]);
    const b = ogi(['export', '--format', 'jsonl', '--db', url]);
    expect(b.code, b.stderr).toBe(0);
    const na = normalizeJsonl(a.stdout);
    expect(normalizeJsonl(b.stdout)).toEqual(na);
    expect(na.some((l) => l.includes('"rule":"carryover"'))).toBe(true);
  });
});

describe.skipIf(!PG_URL)('the PostgreSQL store under concurrent writers', () => {
  it('the same bytes stored by four processes at once: one document, one new, the rest unchanged', async () => {
    const url = await freshDatabase();
    const bytes = readFileSync(join(import.meta.dirname, '../../corpus/pingtan_2013_syq_80759_page.txt'));
    const stores = await Promise.all(Array.from({ length: 4 }, () => PgStore.open(url)));
    const services = stores.map((s) => new IngestService(s, { workers: 0 }));
    try {
      const outcomes = await Promise.all(
        services.map((s, i) => s.submit({ bytes, name: `r${i}.txt`, location: `/w${i}/r.txt`, kind: 'file' })),
      );
      expect(outcomes.map((o) => o.status).sort()).toEqual(['new', 'unchanged', 'unchanged', 'unchanged']);
      expect(new Set(outcomes.map((o) => o.documentId)).size).toBe(1);
      const [c] = await pgRows(
        url,
        'SELECT (SELECT count(*) FROM documents) AS d, (SELECT count(*) FROM reports) AS r, (SELECT count(*) FROM document_locations) AS l',
      );
      expect([c.d, c.r, c.l].map(Number)).toEqual([1, 1, 4]);
    } finally {
      await Promise.all(services.map((s) => s.close()));
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('cross-report rules finished by several workers at once leave each finding once', async () => {
    const url = await freshDatabase();
    const inputs = writeInputs(3);
    const r = ogi(['ingest', join(inputs.dir, 'generated'), '--db', url, '--json', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const once = JSON.parse(r.stdout).cross_report_findings.carryover as number;
    expect(once).toBeGreaterThan(0);
    const stores = await Promise.all(Array.from({ length: 4 }, () => PgStore.open(url)));
    try {
      const counts = await Promise.all(stores.map((s) => runCrossReportRules(s)));
      expect(counts.map((c) => c.carryover)).toEqual([once, once, once, once]);
      const [n] = await pgRows(url, "SELECT count(*) AS n FROM findings WHERE rule = 'carryover'");
      expect(Number(n.n)).toBe(once);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
