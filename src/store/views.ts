/**
 * The wide views (t2_disclosure, t3_requests, t4_appeals): one row per report,
 * one column per canonical key. They are derived from the field list, not
 * part of any migration, so a key added to spec/fields.tsv reaches old
 * databases too: every read-write open compares the views' SQL with what is
 * stored in ogi_meta and rebuilds them when it differs (as sqlite-utils
 * rebuilds derived tables).
 */
import { createHash } from 'node:crypto';
import { FIELD_SPECS } from '../spec/fields.js';
import type { DB } from './db.js';

export const WIDE_VIEWS: ReadonlyArray<{ view: string; table: 't2' | 't3' | 't4' }> = [
  { view: 't2_disclosure', table: 't2' },
  { view: 't3_requests', table: 't3' },
  { view: 't4_appeals', table: 't4' },
];

/** Column name in the wide views: the key without its table prefix, dots as underscores. */
export function wideColumnName(key: string): string {
  return key.replace(/^t\d\./, '').replace(/\./g, '__');
}

function wideViewSql(view: string, table: string, groupBy: string): string {
  const cols = FIELD_SPECS.filter((f) => f.table === table)
    .map((f) => `  MAX(CASE WHEN f.key = '${f.key}' THEN f.value END) AS "${wideColumnName(f.key)}"`)
    .join(',\n');
  return `CREATE VIEW ${view} AS
SELECT r.id AS report_id, r.agency, r.year, r.template, d.sha256,
${cols},
  MIN(f.confidence) AS min_confidence
FROM reports r JOIN documents d ON d.id = r.document_id
JOIN fields f ON f.report_id = r.id AND f.key LIKE '${table}.%'
GROUP BY ${groupBy};`;
}

/**
 * The views' SQL. SQLite groups by the report alone; PostgreSQL also needs the
 * document's key in GROUP BY to select d.sha256 (it only infers columns of the grouped table).
 */
export function wideViewsSql(engine: 'sqlite' | 'postgres' = 'sqlite'): string {
  const groupBy = engine === 'sqlite' ? 'r.id' : 'r.id, d.id';
  return WIDE_VIEWS.map((v) => wideViewSql(v.view, v.table, groupBy)).join('\n');
}

export const WIDE_VIEWS_META_KEY = 'wide_views_sha256';

export function wideViewsHash(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/** Rebuilds the wide views when their definition changed. Returns true when it rebuilt them. */
export function ensureWideViews(db: DB): boolean {
  const sql = wideViewsSql();
  const sha = wideViewsHash(sql);
  const stored = db.prepare('SELECT value FROM ogi_meta WHERE key = ?').pluck().get(WIDE_VIEWS_META_KEY) as string | undefined;
  const present = WIDE_VIEWS.every((v) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = ?").get(v.view));
  if (stored === sha && present) return false;
  db.transaction(() => {
    for (const v of WIDE_VIEWS) db.exec(`DROP VIEW IF EXISTS ${v.view}`);
    db.exec(sql);
    db.prepare('INSERT INTO ogi_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
      WIDE_VIEWS_META_KEY,
      sha,
    );
  }).immediate();
  return true;
}
