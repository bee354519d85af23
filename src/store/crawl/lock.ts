/**
 * One crawl per database: a single row in crawl_lock with the holder's pid,
 * host and a heartbeat. A lock is stale, and taken over, when its holder ran
 * on this host and that process is gone (kill -9, crash, reboot), or when its
 * heartbeat is older than `staleAfterMs` (a holder on another host, or a pid
 * that was reused). Taking the lock is one IMMEDIATE transaction, so two runs
 * starting together cannot both win.
 */
import { hostname } from 'node:os';
import type { DB } from '../db.js';

export interface LockHolder {
  run_id: number | null;
  pid: number;
  host: string;
  started_at: string;
  heartbeat_at: string;
}

export class LockedError extends Error {
  constructor(readonly holder: LockHolder) {
    const age = Math.round((Date.now() - Date.parse(holder.heartbeat_at)) / 1000);
    super(
      `another crawl is running on this database (pid ${holder.pid} on ${holder.host}, ` +
        `started ${holder.started_at}, last heartbeat ${age} s ago)`,
    );
    this.name = 'LockedError';
  }
}

export interface LockOptions {
  /** A heartbeat older than this marks the holder dead even if its pid exists. */
  staleAfterMs?: number;
  /** How often the heartbeat is written. */
  heartbeatMs?: number;
  pid?: number;
  host?: string;
  /** Called when the heartbeat finds the lock taken by someone else. */
  onLost?: () => void;
}

export const DEFAULT_STALE_AFTER_MS = 10 * 60_000;
export const DEFAULT_HEARTBEAT_MS = 15_000;

/** Whether a process with this pid exists on this machine. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLock(db: DB): LockHolder | undefined {
  return db.prepare('SELECT run_id, pid, host, started_at, heartbeat_at FROM crawl_lock WHERE id = 1').get() as LockHolder | undefined;
}

export function isStale(holder: LockHolder, staleAfterMs: number, myHost = hostname(), now = Date.now()): boolean {
  if (holder.host === myHost && !pidAlive(holder.pid)) return true;
  return now - Date.parse(holder.heartbeat_at) > staleAfterMs;
}

export class CrawlLock {
  private timer?: NodeJS.Timeout;
  private held = false;
  /** The holder this lock replaced, when it took over a stale one. */
  tookOverFrom?: LockHolder;

  private constructor(
    private readonly db: DB,
    readonly pid: number,
    readonly host: string,
  ) {}

  /** Takes the lock or throws LockedError. Starts the heartbeat. */
  static acquire(db: DB, options: LockOptions = {}): CrawlLock {
    const pid = options.pid ?? process.pid;
    const host = options.host ?? hostname();
    const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    const lock = new CrawlLock(db, pid, host);
    db.transaction(() => {
      const holder = readLock(db);
      if (holder) {
        if (!isStale(holder, staleAfterMs, host)) throw new LockedError(holder);
        lock.tookOverFrom = holder;
      }
      const now = new Date().toISOString();
      db.prepare(
        `INSERT INTO crawl_lock (id, run_id, pid, host, started_at, heartbeat_at) VALUES (1, NULL, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET run_id = NULL, pid = excluded.pid, host = excluded.host,
           started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at`,
      ).run(pid, host, now, now);
    }).immediate();
    lock.held = true;
    const every = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    lock.timer = setInterval(() => {
      if (!lock.beat()) {
        lock.stopHeartbeat();
        options.onLost?.();
      }
    }, every);
    lock.timer.unref();
    return lock;
  }

  /** Names the run holding the lock (for `readLock` readers). */
  setRun(runId: number): void {
    this.db.prepare('UPDATE crawl_lock SET run_id = ? WHERE id = 1 AND pid = ? AND host = ?').run(runId, this.pid, this.host);
  }

  /** Writes the heartbeat; false when the lock is no longer ours. */
  beat(): boolean {
    if (!this.held) return false;
    try {
      const n = this.db
        .prepare('UPDATE crawl_lock SET heartbeat_at = ? WHERE id = 1 AND pid = ? AND host = ?')
        .run(new Date().toISOString(), this.pid, this.host).changes;
      if (n === 0) this.held = false;
      return n === 1;
    } catch {
      // A busy database is not a lost lock: try again next beat.
      return true;
    }
  }

  private stopHeartbeat(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  release(): void {
    this.stopHeartbeat();
    if (!this.held) return;
    this.held = false;
    this.db.prepare('DELETE FROM crawl_lock WHERE id = 1 AND pid = ? AND host = ?').run(this.pid, this.host);
  }
}
