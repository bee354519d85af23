/**
 * `ogi worker --db postgres://…`: runs queued ingest jobs (src/queue/worker.ts).
 * `ogi status --db postgres://…`: the queue's state.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { createPool, isPostgresUrl, redactUrl } from '../store/pg/db.js';
import { crawlHosts, formatHosts, formatStatus, queueStatus } from '../queue/status.js';
import { runWorker } from '../queue/worker.js';
import { openStore } from './open-store.js';
import { CliError, EXIT_OK, parsePositiveInt, withReaderOptions, type ReaderFlags } from './exit.js';
import { stopOnSignals } from './stop-signal.js';
import { formatSummary } from '../store/queries.js';

function wholeOrZero(v: string): number {
  if (!/^\d+$/.test(v.trim())) throw new InvalidArgumentError('expected a whole number (0 or more)');
  return Number(v);
}

function requirePostgres(db: string | undefined, command: string): string {
  if (!db || !isPostgresUrl(db)) {
    throw new CliError(`ogi ${command} needs --db postgres://user@host/database (the queue lives in PostgreSQL; a SQLite file has none)`);
  }
  return db;
}

export function registerWorker(program: Command): void {
  withReaderOptions(program.command('worker'))
    .description(
      'Run queued ingest jobs (ogi ingest … --queue) and host crawl jobs (ogi crawl … --queue) from a PostgreSQL database; start as many as you like, on any machines.',
    )
    .requiredOption('--db <url>', 'postgres://user@host/database')
    .option('--concurrency <n>', 'jobs in flight in this process (default: 2 per reader thread)', parsePositiveInt('--concurrency'))
    .option('--crawl-jobs <n>', 'host crawl jobs (ogi crawl … --queue) run at once in this process; 0: none', wholeOrZero, 2)
    .option('--exit-when-idle', 'exit once no job is waiting or running anywhere (a batch run); otherwise wait for new jobs')
    .option('--poll-ms <n>', 'wait between polls of an empty queue', parsePositiveInt('--poll-ms'), 1000)
    .option('--json', 'print what this worker did as one JSON line on stdout when it exits')
    .addHelpText(
      'after',
      `
Each job is one file: its bytes wait in the database (schema ogi_queue), so workers need
no shared file system. Documents are stored exactly as by \`ogi ingest\`: same rows, same
idempotency (sha256 + pipeline version). A worker killed mid-job (even kill -9) loses its
lease with its connection; another worker puts the job back within seconds. The
cross-report rules (carryover) run once the queue is empty, by one worker.
A crawl job is one host: crawled as by \`ogi crawl\`, its documents stored through the
same ingest path; the host's --concurrency and --delay-ms hold across all workers.
SIGINT/SIGTERM: documents being read are given back to the queue; a second signal quits now.

Examples:
  $ ogi ingest reports/ --db postgres://ogi@db/ogi --queue
  $ ogi worker --db postgres://ogi@db/ogi --exit-when-idle      # on every machine
  $ ogi status --db postgres://ogi@db/ogi`,
    )
    .action(
      async (
        opts: ReaderFlags & {
          db: string;
          concurrency?: number;
          crawlJobs: number;
          exitWhenIdle?: boolean;
          pollMs: number;
          json?: boolean;
        },
      ) => {
        const url = requirePostgres(opts.db, 'worker');
        const stop = stopOnSignals('ogi worker', 'giving the documents being read back to the queue');
        try {
          const stats = await runWorker({
            url,
            concurrency: opts.concurrency,
            crawlJobs: opts.crawlJobs,
            exitWhenIdle: opts.exitWhenIdle ?? false,
            pollMs: opts.pollMs,
            log: (line) => process.stderr.write(`${line}\n`),
            service: {
              workers: opts.workers,
              documentTimeoutMs: opts.docTimeoutMs,
              workerMemoryMb: opts.workerMemoryMb,
              keepBytes: opts.keepBytes,
              signal: stop.signal,
            },
          });
          process.stderr.write(
            `ogi worker: ${stats.crawls} host crawl(s); ${stats.jobs} job(s): ${stats.new} new, ${stats.reprocessed} reprocessed, ${stats.unchanged} unchanged, ${stats.withErrors} with errors, ${stats.failed} given back; ${stats.finishRuns} finish run(s); ${stats.reaped} job(s) of dead workers put back\n`,
          );
          if (opts.json) process.stdout.write(`${JSON.stringify(stats)}\n`);
          process.exitCode = stop.signal.aborted ? 1 : EXIT_OK;
        } catch (e) {
          throw new CliError(`worker failed: ${(e as Error).message}`);
        } finally {
          stop.dispose();
        }
      },
    );

  program
    .command('status')
    .description(
      'Show the work queue of a PostgreSQL database: jobs waiting, in flight, done and failed, connected workers, per-host state of the latest crawl, and the store summary.',
    )
    .requiredOption('--db <url>', 'postgres://user@host/database')
    .option('--json', 'one JSON object')
    .action(async (opts: { db: string; json?: boolean }) => {
      const url = requirePostgres(opts.db, 'status');
      const store = await openStore(url, { readonly: true });
      const pool = createPool(url, { max: 1, applicationName: 'ogi status' });
      try {
        const status = await queueStatus(pool);
        const hosts = await crawlHosts(pool);
        const summary = await store.summary();
        if (opts.json)
          process.stdout.write(`${JSON.stringify({ database: redactUrl(url), queue: status, crawl: hosts, store: summary })}\n`);
        else
          process.stdout.write(`database ${redactUrl(url)}\n${formatStatus(status)}\n${formatHosts(hosts)}\n${formatSummary(summary)}\n`);
      } finally {
        await pool.end();
        await store.close();
      }
      process.exitCode = EXIT_OK;
    });
}
