/**
 * The SQLite store. It knows documents, reports, fields and findings as rows;
 * it knows nothing about file formats or templates.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations/index.js';
import { backfillFindingIds } from './finding-ids.js';
import { ensureWideViews } from './views.js';

export type DB = Database.Database;

export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

export interface OpenOptions {
  readonly?: boolean;
}

/** Opens (creating if needed) and migrates a database. Throws StoreError with a readable message. */
export function openDatabase(path: string, options: OpenOptions = {}): DB {
  let db: DB;
  try {
    if (!options.readonly && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    // Fails fast on a file that is not a database.
    db.pragma('schema_version');
  } catch (e) {
    throw new StoreError(`cannot open database ${path}: ${(e as Error).message}`);
  }
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  if (!options.readonly) {
    // A new database gets 16 KiB pages (set before WAL, which fixes the size): a report's fields and raw
    // bytes fill several 4 KiB pages each, and the writer spent a fifth less time on fewer, larger pages.
    if (db.pragma('page_count', { simple: true }) === 0) db.pragma('page_size = 16384');
    if (path !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // One writer, one transaction per document, raw bytes kept: a 64 MiB page cache keeps the
    // fields, FTS and location indexes in memory, and checkpoints every 32 MiB of WAL (not 4 MiB)
    // copy each hot index page once instead of again after every few documents.
    db.pragma('cache_size = -65536');
    db.pragma('wal_autocheckpoint = 8192');
    migrate(db);
    ensureWideViews(db);
    backfillFindingIds(db);
  } else {
    const v = db.pragma('user_version', { simple: true }) as number;
    if (v < MIGRATIONS[MIGRATIONS.length - 1].version) {
      throw new StoreError(`database ${path} is at schema ${v}; run an ingest with this version of ogi to migrate it`);
    }
  }
  return db;
}

export function migrate(db: DB): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = MIGRATIONS[MIGRATIONS.length - 1].version;
  if (current > latest) {
    throw new StoreError(`database schema ${current} is newer than this ogi (${latest}); upgrade ogi`);
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

const statements = new WeakMap<DB, Map<string, Database.Statement>>();

/** A prepared statement, compiled once per connection: ingest runs the same few statements per document. */
export function stmt(db: DB, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let s = cache.get(sql);
  if (!s) cache.set(sql, (s = db.prepare(sql)));
  return s;
}
