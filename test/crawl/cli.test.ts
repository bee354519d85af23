/**
 * `ogi crawl` as a real child process: help, exit codes, the --json line,
 * progress lines, and kill -9 in the middle of a crawl followed by a rerun.
 * The child runs the real entry, src/cli/main.ts, through test/helpers/ts-hooks.mjs (no build step).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { deadPort } from './helpers/server.js';
import { tempDb } from './helpers/crawl.js';
import { startPortal, type Portal } from './portal.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ENTRY = join(ROOT, 'src/cli/main.ts');
const HOOKS = join(ROOT, 'test/helpers/ts-register.mjs');
// A generous timeout: children compete with the other test files for the CPU.
const FAST_FLAGS = ['--delay-ms', '0', '--timeout-ms', '10000', '--retries', '1', '--progress', '0'];

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function ogi(args: string[]): Run {
  const child = spawn(process.execPath, ['--import', HOOKS, ENTRY, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

/** A number from the database the child is writing (0 while it does not exist yet). */
function countIn(dbPath: string, sql: string): number {
  try {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare(sql).get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

async function waitForDocuments(dbPath: string, n: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (countIn(dbPath, 'SELECT COUNT(*) AS n FROM documents') < n) {
    if (Date.now() > deadline) throw new Error(`the crawl stored fewer than ${n} documents in 60 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let portal: Portal | undefined;
afterEach(async () => {
  await portal?.close();
  portal = undefined;
});

describe('ogi crawl (CLI)', () => {
  it('explains itself with real examples', async () => {
    const r = await ogi(['crawl', '--help']).done;
    expect(r.code).toBe(0);
    for (const s of [
      '--max-pages',
      '--concurrency',
      '--delay-ms',
      '--allow-host',
      '--max-bytes',
      '--json',
      'Examples:',
      'ogi crawl https://',
      'robots.txt',
      'Exit codes',
    ]) {
      expect(r.stdout).toContain(s);
    }
  });

  it('exits 1 on bad arguments and on an unreadable database', async () => {
    expect((await ogi(['crawl', 'http://127.0.0.1:9/', '--max-pages', 'many']).done).code).toBe(1);
    expect((await ogi(['crawl', 'ftp://127.0.0.1/x']).done).code).toBe(1);
    expect((await ogi(['crawl', 'http://127.0.0.1:9/', '--include', '(']).done).code).toBe(1);
    expect((await ogi(['crawl']).done).code).toBe(1);
    const notADb = tempDb();
    writeFileSync(notADb, 'this is not a database, just text '.repeat(200));
    const r = await ogi(['crawl', 'http://127.0.0.1:9/', '--db', notADb]).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot open database/);
  });

  it('prints the --json summary as the last stdout line and exits 0', async () => {
    portal = await startPortal({ plain: true, reports: 4 });
    const db = tempDb();
    const r = await ogi(['crawl', `${portal.origin}/`, '--db', db, '--json', ...FAST_FLAGS]).done;
    expect(r.code).toBe(0);
    const s = lastJson(r.stdout);
    expect(Object.keys(s)).toEqual(
      expect.arrayContaining(['new', 'changed', 'unchanged', 'failed', 'blocked', 'skipped', 'pages', 'bytes']),
    );
    const docs = portal.expectedDocuments().length;
    expect(s).toMatchObject({ new: docs, changed: 0, unchanged: 0, failed: 0, blocked: 0, status: 'ok' });
    expect(s.pages).toBeGreaterThan(docs);
    expect(r.stderr).toMatch(/run 1 finished/);
    // Nightly: same command, nothing changed.
    const again = await ogi(['crawl', `${portal.origin}/`, '--db', db, '--json', ...FAST_FLAGS]).done;
    expect(again.code).toBe(0);
    expect(lastJson(again.stdout)).toMatchObject({ new: 0, changed: 0, unchanged: docs, run: 2 });
    // The portal edits one report and publishes one: the summary says so.
    portal.changeReport(0);
    portal.addReport();
    const third = await ogi(['crawl', `${portal.origin}/`, '--db', db, '--json', ...FAST_FLAGS]).done;
    expect(third.code).toBe(0);
    expect(lastJson(third.stdout)).toMatchObject({ new: 1, changed: 1, unchanged: docs - 1, failed: 0, run: 3, status: 'ok' });
  });

  it('exits 2 when a start URL cannot be read at all, or robots.txt forbids it', async () => {
    const dead = await ogi(['crawl', `http://127.0.0.1:${await deadPort()}/`, '--db', tempDb(), '--json', ...FAST_FLAGS]).done;
    expect(dead.code).toBe(2);
    expect(lastJson(dead.stdout)).toMatchObject({ failed: 1, pages: 0 });
    expect(dead.stderr).toMatch(/start URL could not be read/);

    portal = await startPortal({ plain: true, reports: 2 });
    const blocked = await ogi(['crawl', `${portal.origin}/private/`, '--db', tempDb(), '--json', ...FAST_FLAGS]).done;
    expect(blocked.code).toBe(2);
    expect(lastJson(blocked.stdout)).toMatchObject({ blocked: 1 });
    expect(portal.count('/private')).toBe(0);
  });

  it('prints plain progress lines on stderr when it is not a terminal', async () => {
    portal = await startPortal({ plain: true, reports: 6, latencyMs: 40 });
    const r = await ogi(['crawl', `${portal.origin}/`, '--db', tempDb(), ...FAST_FLAGS, '--progress', '100', '--delay-ms', '50']).done;
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => /^crawl: \d+ pages, \d+ documents/.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(/queue \d+, in flight \d+, errors \d+, retries \d+, [\d.]+ pages\/s/);
    expect(r.stderr).not.toContain('\r');
  });
});

describe('kill -9 in the middle of a crawl', () => {
  it('resumes on the next run and stores nothing twice', async () => {
    portal = await startPortal({ plain: true, reports: 40, perPage: 10, latencyMs: 40 });
    const dbPath = tempDb();
    const args = ['crawl', `${portal.origin}/`, '--db', dbPath, '--json', ...FAST_FLAGS, '--delay-ms', '30'];
    const first = ogi(args);

    // Wait until some documents are stored, then kill without warning.
    const count = (sql: string) => countIn(dbPath, sql);
    await waitForDocuments(dbPath, 5);
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    const storedAtKill = count('SELECT COUNT(*) AS n FROM documents');
    const expected = portal.expectedDocuments();
    expect(storedAtKill).toBeLessThan(expected.length);
    const requestsBefore = new Map(portal.requests);

    const second = await ogi(args).done;
    expect(second.code).toBe(0);
    const summary = lastJson(second.stdout);
    expect(summary).toMatchObject({ run: 1, resumed: true, status: 'ok', failed: 0 });
    expect(second.stderr).toMatch(/took over a stale lock/);
    expect(second.stderr).toMatch(/resuming run 1/);

    const db = new Database(dbPath, { readonly: true });
    try {
      const q = <T>(sql: string) => db.prepare(sql).all() as T[];
      // Every report stored once, at one location, with one version.
      expect(q<{ n: number }>('SELECT COUNT(*) AS n FROM documents')[0].n).toBe(expected.length);
      expect(q<{ location: string }>('SELECT location FROM document_locations ORDER BY location').map((r) => r.location)).toEqual(
        expected.map((e) => e.url).sort(),
      );
      expect(q('SELECT url FROM url_versions GROUP BY url HAVING COUNT(*) > 1')).toEqual([]);
      expect(q<{ n: number }>('SELECT COUNT(*) AS n FROM url_versions')[0].n).toBe(expected.length);
      expect(q('SELECT status FROM crawl_runs')).toEqual([{ status: 'ok' }]);
      expect(q('SELECT * FROM crawl_lock')).toEqual([]);
    } finally {
      db.close();
    }
    // The rerun did not start over: what was finished before the kill was not fetched again
    // (only the few requests in flight at the kill may repeat).
    let repeated = 0;
    for (const [path, n] of portal.requests) {
      expect(n, path).toBeLessThanOrEqual(path === '/robots.txt' ? 2 : 2);
      if (n > 1 && path !== '/robots.txt') repeated++;
    }
    expect(repeated).toBeLessThanOrEqual(4);
    expect(requestsBefore.get('/')).toBe(1);
    expect(portal.requests.get('/')).toBe(1);
  }, 120_000);
});

describe('SIGTERM (systemd stop, Ctrl-C)', () => {
  it('stops cleanly: exit 1, run interrupted, lock released; the next run resumes it', async () => {
    portal = await startPortal({ plain: true, reports: 40, perPage: 10, latencyMs: 40 });
    const dbPath = tempDb();
    const args = ['crawl', `${portal.origin}/`, '--db', dbPath, '--json', ...FAST_FLAGS, '--delay-ms', '30'];
    const first = ogi(args);
    await waitForDocuments(dbPath, 3);
    first.child.kill('SIGTERM');
    const stopped = await first.done;
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/interrupted \(the next run resumes it\)/);
    expect(lastJson(stopped.stdout)).toMatchObject({ status: 'interrupted' });
    expect(countIn(dbPath, `SELECT COUNT(*) AS n FROM crawl_runs WHERE status = 'interrupted'`)).toBe(1);
    expect(countIn(dbPath, 'SELECT COUNT(*) AS n FROM crawl_lock')).toBe(0);
    expect(countIn(dbPath, `SELECT COUNT(*) AS n FROM crawl_frontier WHERE state = 'in_progress'`)).toBe(0);

    const second = await ogi(args).done;
    expect(second.code).toBe(0);
    expect(lastJson(second.stdout)).toMatchObject({ run: 1, resumed: true, status: 'ok', new: portal.expectedDocuments().length });
    expect(second.stderr).not.toMatch(/stale lock/);
  }, 120_000);
});
