/**
 * The PostgreSQL connection: a pool (node-postgres), the migrations and the
 * wide views. Values come back in the shapes the SQLite driver gives, so the
 * code above the store sees no difference: bigint as a JS number (ids and
 * counts stay far below 2^53).
 */
import pg from 'pg';
import { StoreError } from '../db.js';
import { WIDE_VIEWS, WIDE_VIEWS_META_KEY, wideViewsHash, wideViewsSql } from '../views.js';
import { PG_MIGRATIONS } from './migrations/index.js';

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;

const INT8 = 20;

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** Advisory lock namespaces (the first key of pg_advisory_xact_lock(int, int)). */
export const LOCK = {
  migrate: 0x6f6701,
  document: 0x6f6702,
  rule: 0x6f6703,
  /** A crawl run per host (session lock): crawls of other hosts run at once. (0x6f6704/5: queue leases, host slots.) */
  crawlHost: 0x6f6706,
  /** Starting or resuming a crawl run (transaction lock). */
  crawlRuns: 0x6f6707,
  /** One URL's version history (transaction lock). */
  urlVersion: 0x6f6708,
  /** Writers of one extracted content (saveDocument: one report per content hash). */
  content: 0x6f6709,
} as const;

/** A 32-bit advisory lock key from a hex digest (a sha256). */
export function lockKeyOfHex(hex: string): number {
  return parseInt(hex.slice(0, 8), 16) | 0;
}

/** `?` placeholders (the SQL shared with SQLite) as $1, $2 … */
export function numbered(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

export function isPostgresUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec);
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

export interface PgOpenOptions {
  readonly?: boolean;
  /** Connections in the pool (default 4). */
  max?: number;
  applicationName?: string;
}

export function createPool(url: string, options: PgOpenOptions = {}): PgPool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 4,
    types,
    application_name: options.applicationName ?? 'ogi',
  });
  // An idle connection that drops (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return pool;
}

/** Runs fn in one transaction on one connection; rolls back on any error. */
export async function inTransaction<T>(pool: PgPool, fn: (c: PgClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const out = await fn(c);
    await c.query('COMMIT');
    return out;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    c.release();
  }
}

const LATEST = PG_MIGRATIONS[PG_MIGRATIONS.length - 1].version;

async function schemaVersion(c: pg.ClientBase): Promise<number> {
  const exists = await c.query(`SELECT to_regclass('ogi_schema') IS NOT NULL AS e`);
  if (!exists.rows[0].e) return 0;
  const r = await c.query('SELECT COALESCE(MAX(version), 0) AS v FROM ogi_schema');
  return Number(r.rows[0].v);
}

/**
 * Opens a pool and brings the schema up to date. Several processes opening at
 * once (workers starting together) migrate once: the migration runs under an
 * advisory lock in one transaction.
 */
export async function openPg(url: string, options: PgOpenOptions = {}): Promise<PgPool> {
  const pool = createPool(url, options);
  try {
    if (options.readonly) {
      const c = await pool.connect();
      try {
        const v = await schemaVersion(c);
        if (v < LATEST) {
          throw new StoreError(`database ${redactUrl(url)} is at schema ${v}; run an ingest with this version of ogi to migrate it`);
        }
      } finally {
        c.release();
      }
    } else {
      await inTransaction(pool, async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK.migrate]);
        await migratePg(c);
        await ensurePgWideViews(c);
      });
    }
    return pool;
  } catch (e) {
    await pool.end().catch(() => {});
    if (e instanceof StoreError) throw e;
    throw new StoreError(`cannot open database ${redactUrl(url)}: ${(e as Error).message}`);
  }
}

/** Applies the migrations not yet applied, inside the caller's transaction. */
export async function migratePg(c: pg.ClientBase): Promise<void> {
  await c.query(`CREATE TABLE IF NOT EXISTS ogi_schema (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const current = await schemaVersion(c);
  if (current > LATEST) throw new StoreError(`database schema ${current} is newer than this ogi (${LATEST}); upgrade ogi`);
  for (const m of PG_MIGRATIONS) {
    if (m.version <= current) continue;
    await c.query(m.sql);
    await c.query('INSERT INTO ogi_schema (version, name) VALUES ($1, $2)', [m.version, m.name]);
  }
}

/** Rebuilds the wide views when their definition changed (see ../views.ts). Returns true when it rebuilt them. */
export async function ensurePgWideViews(c: pg.ClientBase): Promise<boolean> {
  const sql = wideViewsSql('postgres');
  const sha = wideViewsHash(sql);
  const stored = await c.query('SELECT value FROM ogi_meta WHERE key = $1', [WIDE_VIEWS_META_KEY]);
  const present = await c.query('SELECT count(*) AS n FROM pg_views WHERE viewname = ANY($1) AND schemaname = current_schema()', [
    WIDE_VIEWS.map((v) => v.view),
  ]);
  if (stored.rows[0]?.value === sha && present.rows[0].n === WIDE_VIEWS.length) return false;
  for (const v of WIDE_VIEWS) await c.query(`DROP VIEW IF EXISTS ${v.view}`);
  await c.query(sql);
  await c.query('INSERT INTO ogi_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [
    WIDE_VIEWS_META_KEY,
    sha,
  ]);
  return true;
}
