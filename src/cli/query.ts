import type { Command } from 'commander';
import { CliError, EXIT_OK, parsePositiveInt } from './exit.js';
import { csvCell } from './export.js';
import { QueryError } from '../store/store.js';
import { DB_OPTION_HELP, openStore } from './open-store.js';

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
    .description('Run a read-only SQL query against the database (tables, views: see README "SQLite schema"; the same on PostgreSQL).')
    .argument('<sql>', 'a SELECT statement')
    .option('--db <path>', DB_OPTION_HELP, 'output/ogi.sqlite')
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
    .action(async (sql: string, opts: { db: string; json?: boolean; csv?: boolean }) => {
      const store = await openStore(opts.db, { readonly: true });
      try {
        printRows(await store.query(sql), formatOf(opts));
      } catch (e) {
        if (e instanceof QueryError) throw new CliError(e.message);
        throw e;
      } finally {
        await store.close();
      }
      process.exitCode = EXIT_OK;
    });

  program
    .command('search')
    .description('Full-text search over the stored documents (titles and text, including table cells).')
    .argument('<text>', 'words to find; Chinese works without spaces')
    .option('--db <path>', DB_OPTION_HELP, 'output/ogi.sqlite')
    .option('--limit <n>', 'at most this many documents', parsePositiveInt('--limit'), 20)
    .option('--json', 'one JSON object per hit')
    .addHelpText(
      'after',
      `
SQLite: queries of 3 or more characters use the FTS5 trigram index; shorter ones fall back to a (slower) substring scan.
PostgreSQL: a case-insensitive substring match served by pg_trgm GIN indexes (3 or more characters).

Examples:
  $ ogi search 信息处理费
  $ ogi search 行政复议 --limit 5 --json`,
    )
    .action(async (text: string, opts: { db: string; limit: number; json?: boolean }) => {
      const store = await openStore(opts.db, { readonly: true });
      try {
        printRows((await store.search(text, opts.limit)) as unknown as Record<string, unknown>[], opts.json ? 'json' : 'table');
      } finally {
        await store.close();
      }
      process.exitCode = EXIT_OK;
    });
}
