import type { Command } from 'commander';
import { CliError, EXIT_OK, parsePositiveInt } from './exit.js';
import { csvCell } from './export.js';
import { openStore } from './open-store.js';

function printRows(rows: Record<string, unknown>[], format: 'table' | 'json' | 'csv'): void {
  if (format === 'json') {
    for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const cols = rows.length ? Object.keys(rows[0]) : [];
  if (format === 'csv') {
    process.stdout.write(`${cols.join(',')}\n`);
    for (const r of rows) process.stdout.write(`${cols.map((c) => csvCell(r[c])).join(',')}\n`);
    return;
  }
  const text = (v: unknown) => (v === null || v === undefined ? '' : String(v).replace(/\s+/g, ' '));
  process.stdout.write(`${cols.join('\t')}\n`);
  for (const r of rows) process.stdout.write(`${cols.map((c) => text(r[c])).join('\t')}\n`);
}

function formatOf(opts: { json?: boolean; csv?: boolean }): 'table' | 'json' | 'csv' {
  return opts.json ? 'json' : opts.csv ? 'csv' : 'table';
}

export function registerQuery(program: Command): void {
  program
    .command('query')
    .description('Run a read-only SQL query against the database (tables, views: see README "SQLite schema").')
    .argument('<sql>', 'a SELECT statement')
    .option('--db <path>', 'database file', 'output/ogi.sqlite')
    .option('--json', 'one JSON object per row')
    .option('--csv', 'CSV with a header row')
    .addHelpText(
      'after',
      `
Examples:
  $ ogi query "SELECT agency, year, new__total, carried_forward__total FROM t3_requests ORDER BY year"
  $ ogi query "SELECT rule, COUNT(*) FROM findings GROUP BY rule" --csv
  $ ogi query "SELECT key, value, confidence, flags FROM fields WHERE confidence < 0.5" --json`,
    )
    .action((sql: string, opts: { db: string; json?: boolean; csv?: boolean }) => {
      const db = openStore(opts.db, { readonly: true });
      try {
        let stmt;
        try {
          stmt = db.prepare(sql);
        } catch (e) {
          throw new CliError(`SQL error: ${(e as Error).message}`);
        }
        if (!stmt.reader) throw new CliError('only statements that return rows (SELECT, WITH, PRAGMA) are allowed');
        printRows(stmt.all() as Record<string, unknown>[], formatOf(opts));
      } finally {
        db.close();
      }
      process.exitCode = EXIT_OK;
    });

  program
    .command('search')
    .description('Full-text search over the stored documents (titles and text, including table cells).')
    .argument('<text>', 'words to find; Chinese works without spaces')
    .option('--db <path>', 'database file', 'output/ogi.sqlite')
    .option('--limit <n>', 'at most this many documents', parsePositiveInt('--limit'), 20)
    .option('--json', 'one JSON object per hit')
    .addHelpText(
      'after',
      `
Queries of 3 or more characters use the FTS5 trigram index; shorter ones fall back to a (slower) substring scan.

Examples:
  $ ogi search 信息处理费
  $ ogi search 行政复议 --limit 5 --json`,
    )
    .action((text: string, opts: { db: string; limit: number; json?: boolean }) => {
      const db = openStore(opts.db, { readonly: true });
      try {
        const trigram = [...text].length >= 3;
        const rows = db
          .prepare(
            `SELECT t.rowid AS document_id, r.agency, r.year,
               (SELECT location FROM document_locations l WHERE l.document_id = t.rowid LIMIT 1) AS location,
               ${trigram ? "snippet(document_text, 1, '[', ']', '…', 12)" : 'substr(t.body, max(1, instr(t.body, :text) - 20), 60)'} AS snippet
             FROM document_text t LEFT JOIN reports r ON r.document_id = t.rowid
             WHERE ${trigram ? 'document_text MATCH :match' : 'instr(t.body, :text) > 0 OR instr(t.title, :text) > 0'}
             LIMIT :limit`,
          )
          .all(trigram ? { match: `"${text.replace(/"/g, '""')}"`, limit: opts.limit } : { text, limit: opts.limit }) as Record<
          string,
          unknown
        >[];
        printRows(rows, opts.json ? 'json' : 'table');
      } finally {
        db.close();
      }
      process.exitCode = EXIT_OK;
    });
}
