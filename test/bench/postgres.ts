/**
 * Bench module (run by run.ts when PostgreSQL is installed): ingest
 * throughput on SQLite and on PostgreSQL in the same run, on the same
 * generated corpus:
 *   sqlite                 ogi ingest --db FILE --workers 1 (one process, one reader thread)
 *   postgres, local        ogi ingest --db URL --workers 1 (the same, the store over a socket)
 *   postgres, P workers    ogi ingest --queue, then P × ogi worker --workers 1 --concurrency 2, P = 1, 2, 4
 * For each run it measures the CPU seconds spent by ogi's processes and by the
 * PostgreSQL server (from /proc), per document. Those two costs say where the
 * limit is: on this 2-core machine the workers and the server share the same
 * cores, so the CPU is the limit as soon as 2 processes run; with workers on
 * other machines, throughput grows by (cores per machine ÷ worker CPU per
 * document) per machine added, until the server's cores are busy
 * (server cores ÷ server CPU per document): that is where the store becomes the limit.
 * Environment: OGI_BENCH_PG_N (documents, default 1000).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { generateCorpus } from './generate-corpus.js';
import { startCluster, type Cluster } from './pg-cluster.js';
import { lastJsonLine, runMeasured } from './proc.js';
import type { BenchRow } from './types.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const TICKS = 100; // USER_HZ on Linux

/** CPU seconds of a process (its own, plus its waited-for children's). */
function cpuOf(pid: number | 'self', withChildren: boolean): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14–17 (utime, stime, cutime, cstime) are at 11–14 after the command name.
    const own = Number(f[11]) + Number(f[12]);
    return (withChildren ? own + Number(f[13]) + Number(f[14]) : own) / TICKS;
  } catch {
    return 0;
  }
}

/** The server's CPU: the postmaster with its ended backends, plus the live ones. */
function serverCpu(cluster: Cluster): number {
  const pm = cluster.pid();
  let total = cpuOf(pm, true);
  try {
    const kids = readFileSync(`/proc/${pm}/task/${pm}/children`, 'latin1').trim();
    if (kids) for (const k of kids.split(/\s+/)) total += cpuOf(Number(k), false);
  } catch {
    // no /proc
  }
  return total;
}

/** CPU of this process's ended children (the CLIs and workers it waited for). */
const childrenCpu = () => {
  const stat = readFileSync('/proc/self/stat', 'latin1');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) / TICKS;
};

export async function createDatabase(cluster: Cluster, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: cluster.url });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(cluster.url);
  u.pathname = `/${name}`;
  return u.toString();
}

export function runWorker(url: string, extra: string[] = []): Promise<number | null> {
  const child = spawn(
    process.execPath,
    [CLI, 'worker', '--db', url, '--exit-when-idle', '--workers', '1', '--concurrency', '2', '--poll-ms', '200', ...extra],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

export interface Cost {
  ogiCpu: number;
  serverCpu: number;
}

export const perDoc = (cost: Cost, n: number) =>
  `ogi CPU ${((cost.ogiCpu / n) * 1000).toFixed(1)} ms/doc, PostgreSQL CPU ${((cost.serverCpu / n) * 1000).toFixed(1)} ms/doc`;

export async function measure<T>(cluster: Cluster | undefined, fn: () => Promise<T>): Promise<{ out: T; cost: Cost }> {
  const c0 = childrenCpu();
  const s0 = cluster ? serverCpu(cluster) : 0;
  const out = await fn();
  return { out, cost: { ogiCpu: childrenCpu() - c0, serverCpu: cluster ? serverCpu(cluster) - s0 : 0 } };
}

export async function benchPostgres(): Promise<BenchRow[]> {
  const n = Number(process.env.OGI_BENCH_PG_N ?? 1000);
  const tmp = mkdtempSync(join(tmpdir(), 'ogi-bench-pg-'));
  const corpus = join(tmp, 'corpus');
  generateCorpus(corpus, n, 11);
  const files = readdirSync(corpus, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
  const rows: BenchRow[] = [];
  const cluster = await startCluster();
  try {
    // SQLite and PostgreSQL, one process each: what the store itself costs.
    const oneProcess = async (name: string, db: string, server: Cluster | undefined, baseline: boolean) => {
      const m = await measure(server, () =>
        runMeasured(process.execPath, [CLI, 'ingest', corpus, '--db', db, '--workers', '1', '--json', '--quiet']),
      );
      if (!lastJsonLine(m.out.stdout)) throw new Error(`${name}: no JSON summary (exit ${m.out.code}): ${m.out.stderrTail}`);
      rows.push({
        name,
        docs: files,
        seconds: m.out.seconds,
        docsPerSec: files / m.out.seconds,
        peakRssMb: m.out.peakRssMb ?? undefined,
        note: `${baseline ? 'baseline; ' : ''}${perDoc(m.cost, files)}`,
      });
    };
    await oneProcess('sqlite, 1 process, 1 thread', join(tmp, 'b.sqlite'), undefined, true);
    await oneProcess('postgres, 1 process, 1 thread', await createDatabase(cluster, 'bench_local'), cluster, false);

    for (const p of [1, 2, 4]) {
      const url = await createDatabase(cluster, `bench_q${p}`);
      const enq = await runMeasured(process.execPath, [CLI, 'ingest', corpus, '--db', url, '--queue', '--json', '--quiet']);
      if (enq.code !== 0) throw new Error(`enqueue failed: ${enq.stderrTail}`);
      const started = performance.now();
      const run = await measure(cluster, () => Promise.all(Array.from({ length: p }, () => runWorker(url))));
      const wall = (performance.now() - started) / 1000;
      if (run.out.some((c) => c !== 0)) throw new Error(`a worker failed (exit codes ${run.out.join(', ')})`);
      // The jobs' own span: from the first job taken to the last one done (without process start and the idle wait at the end).
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const span = await c.query(
        `SELECT extract(epoch FROM max(completed_on) - min(started_on))::float8 AS s, count(*) FILTER (WHERE state = 'completed')::int AS done
         FROM pgboss.job WHERE name = 'ogi-ingest'`,
      );
      await c.end();
      const seconds: number = span.rows[0].s;
      rows.push({
        name: `postgres, ${p} worker process${p > 1 ? 'es' : ''}`,
        docs: span.rows[0].done,
        seconds,
        docsPerSec: span.rows[0].done / seconds,
        note: `${perDoc(run.cost, files)}; enqueue ${enq.seconds.toFixed(1)} s; end to end ${wall.toFixed(1)} s (process start, finish step, idle wait)`,
      });
    }
    // The one-worker run: the least process start-up per document (each worker process costs ~1-2 s of CPU to start).
    const q = rows.find((r) => r.name === 'postgres, 1 worker process')!;
    const cw = Number(/ogi CPU ([\d.]+)/.exec(q.note!)?.[1]) / 1000;
    const cs = Number(/PostgreSQL CPU ([\d.]+)/.exec(q.note!)?.[1]) / 1000;
    if (cw > 0 && cs > 0) {
      const perMachine = 2 / cw;
      const server = 2 / cs;
      rows.push({
        name: 'extrapolated, per 2-core worker machine',
        docsPerSec: perMachine,
        note: `+${perMachine.toFixed(0)} docs/s per machine added, until a 2-core PostgreSQL server saturates at ~${server.toFixed(0)} docs/s (about ${(server / perMachine).toFixed(1)} machines); from the CPU per document of the 1-worker run; load average during the bench ${loadavg()[0].toFixed(1)} on ${cpus().length} cores (a shared machine: wall-clock figures are noisy, CPU per document less so)`,
      });
    }
    return rows;
  } finally {
    cluster.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}
