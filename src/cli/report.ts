import type { Command } from 'commander';
import { formatSummary, summary } from '../store/queries.js';
import { EXIT_OK, parsePositiveInt } from './exit.js';
import { openStore } from './open-store.js';

interface FindingLine {
  agency: string | null;
  year: number | null;
  rule: string;
  message: string;
  location: string | null;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Summarise the database: documents, errors, reports by year and template, findings by rule.')
    .option('--db <path>', 'database file', 'output/ogi.sqlite')
    .option('--findings', 'list every finding (agency, year, rule, message, file)')
    .option('--errors', 'list every document stored with an error code')
    .option(
      '--rule <id>',
      'with --findings: only this rule (t3-balance, t3-results-sum, t3-row-sum, t4-sum, carryover, text-vs-table, copied-report, silent-edit, yoy-outlier)',
    )
    .option('--limit <n>', 'at most this many lines per list', parsePositiveInt('--limit'), 1000)
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ ogi report
  $ ogi report --findings --rule t4-sum
  $ ogi report --errors`,
    )
    .action((opts: { db: string; findings?: boolean; errors?: boolean; rule?: string; limit: number; json?: boolean }) => {
      const db = openStore(opts.db, { readonly: true });
      try {
        const s = summary(db);
        if (opts.json) process.stdout.write(`${JSON.stringify(s)}\n`);
        else process.stdout.write(`${formatSummary(s)}\n`);
        if (opts.findings) {
          const rows = db
            .prepare(
              `SELECT r.agency, r.year, f.rule, f.message,
                 (SELECT location FROM document_locations l WHERE l.document_id = r.document_id LIMIT 1) AS location
               FROM findings f JOIN reports r ON r.id = f.report_id
               WHERE (? IS NULL OR f.rule = ?) ORDER BY r.agency, r.year, f.rule LIMIT ?`,
            )
            .all(opts.rule ?? null, opts.rule ?? null, opts.limit) as FindingLine[];
          process.stdout.write(`\nfindings${opts.rule ? ` (${opts.rule})` : ''}:\n`);
          for (const f of rows)
            process.stdout.write(`  ${f.agency ?? '?'} ${f.year ?? '?'}  ${f.rule}: ${f.message}\n    ${f.location ?? ''}\n`);
        }
        if (opts.errors) {
          const rows = db
            .prepare(
              `SELECT d.error_code AS code, d.error_message AS message,
                 (SELECT location FROM document_locations l WHERE l.document_id = d.id LIMIT 1) AS location
               FROM documents d WHERE d.error_code IS NOT NULL ORDER BY d.error_code, location LIMIT ?`,
            )
            .all(opts.limit) as { code: string; message: string; location: string }[];
          process.stdout.write(`\ndocuments with errors:\n`);
          for (const e of rows) process.stdout.write(`  ${e.code}: ${e.location}\n    ${e.message}\n`);
        }
      } finally {
        db.close();
      }
      process.exitCode = EXIT_OK;
    });
}
