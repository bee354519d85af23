import type { Command } from 'commander';
import { resolve } from 'node:path';
import { ingestFiles } from '../pipeline/ingest-files.js';
import { IngestService } from '../pipeline/service.js';
import { formatSummary, summary } from '../store/queries.js';
import { SqliteStore } from '../store/store.js';
import { EXIT_FAILED, EXIT_OK, EXIT_SOME_UNREADABLE, withProcessOptions, withReaderOptions } from './exit.js';
import { openStore } from './open-store.js';
import { rulesFromFlags, withCrossReportOptions, type CrossReportFlags } from './cross-report-options.js';
import { stopOnSignals } from './stop-signal.js';
import { Progress } from './progress.js';
import { expandPaths } from './walk.js';

export function registerIngest(program: Command): void {
  withCrossReportOptions(withReaderOptions(withProcessOptions(program.command('ingest'))))
    .description('Ingest report files and directories (recursively) into the database. Re-running on the same content changes nothing.')
    .argument('<paths...>', 'files or directories')
    .option('--db <path>', 'database file', 'output/ogi.sqlite')
    .option('--json', 'print the run summary as one JSON line on stdout')
    .option('--quiet', 'no progress output')
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

Exit codes: 0 all inputs processed, 1 bad arguments, unusable database or stopped, 2 some paths missing/unreadable.`,
    )
    .action(
      async (
        paths: string[],
        opts: CrossReportFlags & {
          db: string;
          json?: boolean;
          quiet?: boolean;
          maxBytes?: number;
          timeoutMs?: number;
          workers?: number;
          docTimeoutMs?: number;
          workerMemoryMb?: number;
          keepBytes?: boolean;
        },
      ) => {
        const db = openStore(opts.db);
        const stop = stopOnSignals('ogi ingest', 'stopping; documents not finished are read next run');
        const service = new IngestService(new SqliteStore(db), {
          maxBytes: opts.maxBytes,
          timeoutMs: opts.timeoutMs,
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
          const dbPath = resolve(opts.db);
          const files = expanded.files.filter((f) => !resolve(f).startsWith(dbPath));
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
          const sum = summary(db);
          if (!opts.quiet) {
            process.stderr.write(
              `ingested ${files.length} file(s) in ${seconds.toFixed(1)} s: ${stats.new} new, ${stats.reprocessed} reprocessed, ${stats.unchanged} unchanged, ${stats.withErrors} with errors, ${stats.unreadable + missing.length} unreadable${stats.stopped ? `, ${stats.stopped} not read (stopped)` : ''}\n`,
            );
            process.stderr.write(`database ${opts.db}\n${formatSummary(sum)}\n`);
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
          db.close();
        }
      },
    );
}
