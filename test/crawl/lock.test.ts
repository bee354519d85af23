import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { CrawlLock, LockedError, readLock } from '../../src/crawl/lock.js';
import { openDatabase, type DB } from '../../src/store/db.js';

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

function plant(db: DB, pid: number, host: string, heartbeatAgoMs: number) {
  const t = new Date(Date.now() - heartbeatAgoMs).toISOString();
  db.prepare('INSERT INTO crawl_lock (id, run_id, pid, host, started_at, heartbeat_at) VALUES (1, 7, ?, ?, ?, ?)').run(pid, host, t, t);
}

/** Waits for a condition (timers run late on a busy machine), failing after 5 s. */
async function until(ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}

let db: DB;
afterEach(() => db?.close());

describe('CrawlLock', () => {
  it('lets one run hold the lock; a second one is refused until it is released', () => {
    db = openDatabase(':memory:');
    const a = CrawlLock.acquire(db);
    expect(readLock(db)).toMatchObject({ pid: process.pid, host: hostname() });
    expect(() => CrawlLock.acquire(db)).toThrow(LockedError);
    a.release();
    expect(readLock(db)).toBeUndefined();
    CrawlLock.acquire(db).release();
  });

  it('takes over a lock whose holder on this host is dead (kill -9)', () => {
    db = openDatabase(':memory:');
    const pid = deadPid();
    plant(db, pid, hostname(), 1000);
    const lock = CrawlLock.acquire(db);
    expect(lock.tookOverFrom).toMatchObject({ pid, run_id: 7 });
    expect(readLock(db)?.pid).toBe(process.pid);
    lock.release();
  });

  it('respects a live holder on another host until its heartbeat is stale', () => {
    db = openDatabase(':memory:');
    plant(db, 12345, 'other-host', 1000);
    expect(() => CrawlLock.acquire(db, { staleAfterMs: 60_000 })).toThrow(/pid 12345 on other-host/);
    db.prepare('DELETE FROM crawl_lock').run();
    plant(db, 12345, 'other-host', 120_000);
    const lock = CrawlLock.acquire(db, { staleAfterMs: 60_000 });
    expect(lock.tookOverFrom?.host).toBe('other-host');
    lock.release();
  });

  it('beats and notices when the lock was taken from it', async () => {
    db = openDatabase(':memory:');
    let lost = false;
    const lock = CrawlLock.acquire(db, { heartbeatMs: 20, onLost: () => (lost = true) });
    const before = readLock(db)!.heartbeat_at;
    await until(() => readLock(db)!.heartbeat_at > before);
    db.prepare('UPDATE crawl_lock SET pid = 1, host = ?').run('thief');
    await until(() => lost);
    lock.release();
    // Releasing a lost lock leaves the new holder alone.
    expect(readLock(db)?.host).toBe('thief');
  });
});
