/** `ogi migrate-store --from FILE --to URL`: a SQLite store copied into PostgreSQL (src/store/copy.ts). */
import type { Command } from 'commander';
import { copySqliteToPg } from '../store/copy.js';
import { isPostgresUrl } from '../store/open.js';
import { PgStore } from '../store/pg/store.js';
import { SqliteStore } from '../store/store.js';
import { CliError, EXIT_OK } from './exit.js';
import { openStore } from './open-store.js';

export function registerMigrateStore(program: Command): void {
  program
    .command('migrate-store')
    .description('Copy a SQLite database into an empty PostgreSQL database: every row, with the same ids, in one transaction.')
    .requiredOption('--from <file>', 'the SQLite database')
    .requiredOption('--to <url>', 'postgres://user@host/database (created and migrated if empty)')
    .option('--json', 'print the rows copied per table as JSON')
    .addHelpText(
      'after',
      `
The SQLite file is only read. Afterwards \`ogi export\` gives the same output from both.

Example:
  $ ogi migrate-store --from output/ogi.sqlite --to postgres://ogi@db/ogi`,
    )
    .action(async (opts: { from: string; to: string; json?: boolean }) => {
      if (isPostgresUrl(opts.from)) throw new CliError('--from must be a SQLite file');
      if (!isPostgresUrl(opts.to)) throw new CliError('--to must be a postgres:// URL');
      const from = await openStore(opts.from, { readonly: true });
      try {
        const to = await openStore(opts.to);
        try {
          if (!(from instanceof SqliteStore) || !(to instanceof PgStore)) throw new CliError('migrate-store copies SQLite into PostgreSQL');
          const started = Date.now();
          const report = await copySqliteToPg(from, to);
          const total = report.tables.reduce((a, t) => a + t.rows, 0);
          if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`);
          process.stderr.write(
            `copied ${total} row(s) from ${opts.from} to ${to.name} in ${((Date.now() - started) / 1000).toFixed(1)} s\n${report.tables
              .map((t) => `  ${t.table.padEnd(20)} ${t.rows}`)
              .join('\n')}\n`,
          );
        } catch (e) {
          if (e instanceof Error && e.name === 'StoreError') throw new CliError(e.message);
          throw e;
        } finally {
          await to.close();
        }
      } finally {
        await from.close();
      }
      process.exitCode = EXIT_OK;
    });
}
