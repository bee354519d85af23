/**
 * `ogi migrate-store --from FILE --to URL`: copies a SQLite store into an
 * empty PostgreSQL one, row for row with the same ids, in one transaction
 * (a failed copy leaves nothing behind). Tables are copied parents first; the
 * columns are the ones both schemas have, so a table that both engines'
 * migrations define is copied without code here.
 */
import type { DB } from './db.js';
import { StoreError } from './db.js';
import { inTransaction, type PgClient } from './pg/db.js';
import type { PgStore } from './pg/store.js';
import type { SqliteStore } from './store.js';

/** Parents before children (foreign keys). document_text is keyed by rowid in SQLite and handled apart. */
const ORDER = [
  'documents',
  'document_locations',
  'document_messages',
  'reports',
  'fields',
  'findings',
  'document_bytes',
  'crawl_runs',
  'crawl_frontier',
  'url_versions',
  'crawl_links',
  'crawl_hosts',
];

/** Never copied: derived (views' hash), engine-specific, or per-run state. */
const SKIP = new Set(['ogi_meta', 'crawl_lock', 'document_text', 'document_text_pending']);

/** Rows per INSERT: under PostgreSQL's 65535 parameters for the widest table. */
const BATCH = 500;

export interface CopyReport {
  tables: { table: string; rows: number }[];
}

function sqliteTables(db: DB): string[] {
  return (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'document_text_%' ORDER BY name",
      )
      .pluck()
      .all() as string[]
  ).filter((t) => !SKIP.has(t));
}

async function pgColumns(c: PgClient, table: string): Promise<Map<string, string>> {
  const r = await c.query(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
    [table],
  );
  return new Map((r.rows as { column_name: string; data_type: string }[]).map((x) => [x.column_name, x.data_type]));
}

/** SQLite keeps message order in the rowid; PostgreSQL in document_messages.id. */
function selectSql(table: string, cols: string[]): string {
  if (table === 'document_messages') return `SELECT rowid AS id, ${cols.filter((c) => c !== 'id').join(', ')} FROM ${table} ORDER BY rowid`;
  return `SELECT ${cols.join(', ')} FROM ${table} ORDER BY rowid`;
}

async function insertRows(c: PgClient, table: string, cols: string[], types: Map<string, string>, rows: Record<string, unknown>[]) {
  if (!rows.length) return;
  const values: unknown[] = [];
  const tuples = rows.map((row) => {
    const ps = cols.map((col) => {
      let v = row[col];
      if (v instanceof Uint8Array && types.get(col) !== 'bytea') v = Buffer.from(v).toString();
      values.push(v);
      return `$${values.length}`;
    });
    return `(${ps.join(', ')})`;
  });
  await c.query(`INSERT INTO ${table} (${cols.join(', ')}) VALUES ${tuples.join(', ')}`, values);
}

async function copyTable(db: DB, c: PgClient, table: string): Promise<number> {
  const types = await pgColumns(c, table);
  if (!types.size) throw new StoreError(`table ${table} of the SQLite store has no counterpart in PostgreSQL: upgrade ogi on both sides`);
  const sqliteCols = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((x) => x.name);
  const missing = sqliteCols.filter((col) => !types.has(col));
  if (missing.length) throw new StoreError(`columns ${missing.join(', ')} of ${table} have no counterpart in PostgreSQL`);
  // WITHOUT ROWID tables (fields, crawl_links) have no rowid: order by their key instead.
  const withoutRowid = /WITHOUT ROWID/i.test(
    (db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').pluck().get(table) as string | undefined) ?? '',
  );
  const cols = table === 'document_messages' ? ['id', ...sqliteCols] : sqliteCols;
  const sql = withoutRowid ? `SELECT ${cols.join(', ')} FROM ${table}` : selectSql(table, sqliteCols);
  let n = 0;
  let batch: Record<string, unknown>[] = [];
  for (const row of db.prepare(sql).iterate() as IterableIterator<Record<string, unknown>>) {
    batch.push(row);
    if (batch.length >= BATCH) {
      await insertRows(c, table, cols, types, batch);
      n += batch.length;
      batch = [];
    }
  }
  await insertRows(c, table, cols, types, batch);
  n += batch.length;
  // Identity columns continue after the copied ids.
  if (types.has('id')) {
    await c.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM ${table}), 1))`, [table]);
  }
  return n;
}

async function copyText(db: DB, c: PgClient): Promise<number> {
  let n = 0;
  let batch: Record<string, unknown>[] = [];
  const types = await pgColumns(c, 'document_text');
  const cols = ['document_id', 'title', 'body'];
  // Texts not yet indexed (migration 008) are texts all the same: PostgreSQL indexes them on insert.
  const texts = `SELECT rowid AS document_id, title, body FROM document_text
    UNION ALL SELECT document_id, title, body FROM document_text_pending ORDER BY document_id`;
  for (const row of db.prepare(texts).iterate() as IterableIterator<Record<string, unknown>>) {
    batch.push(row);
    if (batch.length >= 100) {
      await insertRows(c, 'document_text', cols, types, batch);
      n += batch.length;
      batch = [];
    }
  }
  await insertRows(c, 'document_text', cols, types, batch);
  return n + batch.length;
}

/** Copies everything from `from` into `to`, which must hold no documents yet. */
export async function copySqliteToPg(from: SqliteStore, to: PgStore): Promise<CopyReport> {
  const db = from.db;
  const tables = sqliteTables(db);
  const ordered = [...ORDER.filter((t) => tables.includes(t)), ...tables.filter((t) => !ORDER.includes(t))];
  return inTransaction(to.pool, async (c) => {
    const present = await c.query('SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM crawl_runs) AS n');
    if (present.rows[0].n > 0) throw new StoreError(`${to.name} already holds documents or crawl runs: copy into an empty database`);
    const out: CopyReport = { tables: [] };
    for (const t of ordered) out.tables.push({ table: t, rows: await copyTable(db, c, t) });
    out.tables.push({ table: 'document_text', rows: await copyText(db, c) });
    return out;
  });
}
