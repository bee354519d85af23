/**
 * The one place that picks the engine: `--db` is a file path (SQLite) or a
 * postgres:// URL (PostgreSQL). Everything above the store holds a
 * DocumentStore and never asks which.
 */
import { existsSync } from 'node:fs';
import type { CrawlStore } from './crawl/types.js';
import { SqliteCrawlStore } from './crawl/sqlite.js';
import { openDatabase, StoreError } from './db.js';
import { PgCrawlStore } from './pg/crawl.js';
import { isPostgresUrl } from './pg/db.js';
import { PgStore } from './pg/store.js';
import { SqliteStore, type DocumentStore } from './store.js';

export { isPostgresUrl, redactUrl } from './pg/db.js';
export { StoreError } from './db.js';

export interface OpenStoreOptions {
  /** Read only: the store must exist and be at the current schema; nothing is migrated. */
  readonly?: boolean;
  /** PostgreSQL: connections in this process's pool (default 4). */
  connections?: number;
  /** PostgreSQL: shown in pg_stat_activity. */
  applicationName?: string;
}

/** Opens (creating and migrating unless readonly) the store named by `spec`. Throws StoreError with a readable message. */
export async function openStore(spec: string, options: OpenStoreOptions = {}): Promise<DocumentStore> {
  if (isPostgresUrl(spec)) {
    return PgStore.open(spec, { readonly: options.readonly, max: options.connections, applicationName: options.applicationName });
  }
  if (options.readonly && spec !== ':memory:' && !existsSync(spec)) {
    throw new StoreError(`no database at ${spec}: run \`ogi ingest\` first, or pass --db PATH`);
  }
  return SqliteStore.open(spec, { readonly: options.readonly });
}

/** The crawl's store (`ogi crawl`): the same choice of engine. */
export async function openCrawlStore(spec: string): Promise<CrawlStore> {
  if (isPostgresUrl(spec)) return PgCrawlStore.open(spec);
  return new SqliteCrawlStore(openDatabase(spec), true);
}
