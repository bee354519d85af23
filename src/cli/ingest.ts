import type { Command } from 'commander';
import { resolve } from 'node:path';
import { ingestFiles } from '../pipeline/ingest-files.js';
import { IngestService } from '../pipeline/service.js';
import { formatSummary } from '../store/queries.js';
import { isPostgresUrl } from '../store/open.js';
import { enqueueFiles } from '../queue/enqueue.js';
import { CliError, EXIT_FAILED, EXIT_OK, EXIT_SOME_UNREADABLE, limitsFromFlags, withProcessOptions, withReaderOptions } from './exit.js';
import { DB_OPTION_HELP, openStore } from './open-store.js';
import { rulesFromFlags, withCrossReportOptions, type CrossReportFlags } from './cross-report-options.js';
import { stopOnSignals } from './stop-signal.js';
import { Progress } from './progress.js';
import { expandPaths } from './walk.js';

export function registerIngest(program: Command): void {
  withCrossReportOptions(withReaderOptions(withProcessOptions(program.command('ingest'))))
    .description('Ingest report files and directories (recursively) into the database. Re-running on the same content changes nothing.')
    .argument('<paths...>', 'files or directories')
    .option('--db <path>', DB_OPTION_HELP, 'output/ogi.sqlite')
    .option('--json', 'print the run summary as one JSON line on stdout')
    .option('--quiet', 'no progress output')
    .option('--queue', 'PostgreSQL only: enqueue one job per file for `ogi worker` processes instead of reading here')
    .addHelpText(
      'after',
      `
Every file is recorded: unreadable, empty, corrupt or unsupported files get an
error code (see README, "Error codes") and the run goes on. Content already
stored under this pipeline version is not read again; only its new path is noted.
Documents are read in worker threads; this process stores each one in its own
transaction, and recomputes the cross-report checks (carryover, copied-report,
silent-edit, yoy-outlier) once at the end.
Ctrl-C stops cleanly: documents not finished are not stored, and the next run
reads them.

Examples:
  $ ogi ingest corpus/
  $ ogi ingest ~/reports/2023 ~/reports/2024 --db research.sqlite
  $ ogi ingest reports/ --json | jq .new
  $ ogi ingest reports/ --db postgres://ogi@db/ogi                 # the same, into PostgreSQL
  $ ogi ingest reports/ --db postgres://ogi@db/ogi --queue         # jobs for \`ogi worker\` processes

Exit codes: 0 all inputs processed, 1 bad arguments, unusable database or stopped, 2 some paths missing/unreadable.`,
    )
    .action(
      async (
        paths: string[],
        opts: CrossReportFlags & {
          db: string;
          json?: boolean;
          quiet?: boolean;
          workers?: number;
          docTimeoutMs?: number;
          workerMemoryMb?: number;
          keepBytes?: boolean;
          queue?: boolean;
        } & Record<string, unknown>,
      ) => {
        if (opts.queue) {
          process.exitCode = await enqueueCommand(paths, opts);
          return;
        }
        const store = await openStore(opts.db);
        const stop = stopOnSignals('ogi ingest', 'stopping; documents not finished are read next run');
        const service = new IngestService(store, {
          limits: limitsFromFlags(opts),
          workers: opts.workers,
          documentTimeoutMs: opts.docTimeoutMs,
          workerMemoryMb: opts.workerMemoryMb,
          keepBytes: opts.keepBytes,
          signal: stop.signal,
          crossReportRules: rulesFromFlags(opts),
        });
        try {
          const expanded = expandPaths(paths);
          // Never ingest the database itself (or its -wal/-shm files) when it lies under an input folder.
          const dbPath = isPostgresUrl(opts.db) ? undefined : resolve(opts.db);
          const files = dbPath ? expanded.files.filter((f) => !resolve(f).startsWith(dbPath)) : expanded.files;
          const missing = expanded.missing;
          for (const m of missing) process.stderr.write(`ogi: cannot read ${m.path}: ${m.reason}\n`);
          const progress = new Progress('ingest', files.length, process.stderr, !opts.quiet);
          const started = Date.now();
          const stats = await ingestFiles(service, files, {
            onProgress: (done, s) =>
              progress.update(
                done,
                `new ${s.new}, unchanged ${s.unchanged}, reprocessed ${s.reprocessed}, with errors ${s.withErrors}`,
                done === files.length,
              ),
            onUnreadable: (file, reason) => process.stderr.write(`\nogi: cannot read ${file}: ${reason}\n`),
          });
          progress.done();
          // Cross-report rules see everything stored, also after a stop.
          const crossReport = await service.finish();
          const seconds = (Date.now() - started) / 1000;
          const sum = await store.summary();
          if (!opts.quiet) {
            process.stderr.write(
              `ingested ${files.length} file(s) in ${seconds.toFixed(1)} s: ${stats.new} new, ${stats.reprocessed} reprocessed, ${stats.unchanged} unchanged, ${stats.withErrors} with errors, ${stats.unreadable + missing.length} unreadable${stats.stopped ? `, ${stats.stopped} not read (stopped)` : ''}\n`,
            );
            process.stderr.write(`database ${store.name}\n${formatSummary(sum)}\n`);
          }
          if (opts.json) {
            const peak = process.resourceUsage().maxRSS / 1024;
            process.stdout.write(
              `${JSON.stringify({ ...stats, unreadable: stats.unreadable + missing.length, carryoverFindings: crossReport.carryover ?? 0, cross_report_findings: crossReport, seconds, docs_per_sec: seconds > 0 ? files.length / seconds : null, peak_rss_mb: Math.round(peak), summary: sum })}\n`,
            );
          }
          process.exitCode = stop.signal.aborted ? EXIT_FAILED : stats.unreadable + missing.length ? EXIT_SOME_UNREADABLE : EXIT_OK;
        } finally {
          stop.dispose();
          await service.close();
          await store.close();
        }
      },
    );
}

/** `ogi ingest PATH… --db postgres://… --queue`: the files' bytes and one job each go into the database; workers read them. */
async function enqueueCommand(paths: string[], opts: { db: string; json?: boolean; quiet?: boolean }): Promise<number> {
  if (!isPostgresUrl(opts.db))
    throw new CliError('--queue needs --db postgres://user@host/database (workers share the queue through PostgreSQL)');
  // Creates or migrates the store now, so that workers starting together find it ready.
  await (await openStore(opts.db)).close();
  const expanded = expandPaths(paths);
  for (const m of expanded.missing) process.stderr.write(`ogi: cannot read ${m.path}: ${m.reason}\n`);
  const stop = stopOnSignals('ogi ingest --queue', 'stopping; the files enqueued so far stay queued');
  const progress = new Progress('enqueue', expanded.files.length, process.stderr, !opts.quiet);
  const started = Date.now();
  try {
    const stats = await enqueueFiles(opts.db, expanded.files, {
      signal: stop.signal,
      onProgress: (done) => progress.update(done, '', done === expanded.files.length),
      onUnreadable: (file, reason) => process.stderr.write(`\nogi: cannot read ${file}: ${reason}\n`),
    });
    progress.done();
    const unreadable = stats.unreadable + expanded.missing.length;
    const seconds = (Date.now() - started) / 1000;
    if (!opts.quiet) {
      process.stderr.write(
        `enqueued ${stats.enqueued} file(s) (${(stats.bytes / 1048576).toFixed(1)} MiB) in ${seconds.toFixed(1)} s, ${unreadable} unreadable; run \`ogi worker --db URL\` to ingest them, \`ogi status --db URL\` to follow\n`,
      );
    }
    if (opts.json) process.stdout.write(`${JSON.stringify({ ...stats, unreadable, seconds })}\n`);
    return stop.signal.aborted ? EXIT_FAILED : unreadable ? EXIT_SOME_UNREADABLE : EXIT_OK;
  } finally {
    stop.dispose();
  }
}
