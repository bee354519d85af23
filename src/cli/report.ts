import type { Command } from 'commander';
import { formatSummary } from '../store/queries.js';
import { EXIT_OK, parsePositiveInt } from './exit.js';
import { DB_OPTION_HELP, openStore } from './open-store.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Summarise the database: documents, errors, reports by year and template, findings by rule.')
    .option('--db <path>', DB_OPTION_HELP, 'output/ogi.sqlite')
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
    .action(async (opts: { db: string; findings?: boolean; errors?: boolean; rule?: string; limit: number; json?: boolean }) => {
      const store = await openStore(opts.db, { readonly: true });
      try {
        const s = await store.summary();
        if (opts.json) process.stdout.write(`${JSON.stringify(s)}\n`);
        else process.stdout.write(`${formatSummary(s)}\n`);
        if (opts.findings) {
          const rows = await store.findingLines(opts.rule, opts.limit);
          process.stdout.write(`\nfindings${opts.rule ? ` (${opts.rule})` : ''}:\n`);
          for (const f of rows)
            process.stdout.write(`  ${f.agency ?? '?'} ${f.year ?? '?'}  ${f.rule}: ${f.message}\n    ${f.location ?? ''}\n`);
        }
        if (opts.errors) {
          const rows = await store.errorLines(opts.limit);
          process.stdout.write(`\ndocuments with errors:\n`);
          for (const e of rows) process.stdout.write(`  ${e.code}: ${e.location}\n    ${e.message}\n`);
        }
      } finally {
        await store.close();
      }
      process.exitCode = EXIT_OK;
    });
}
