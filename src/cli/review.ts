import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ReviewDecision } from '../store/store.js';
import { isPostgresUrl } from '../store/open.js';
import { CliError, EXIT_OK, parsePositiveInt } from './exit.js';
import type { Shard, SitePlan } from '../review/site.js';
import { DB_OPTION_HELP, openStore } from './open-store.js';

interface ReviewFlags {
  db: string;
  out?: string;
  mark?: string;
  note?: string;
  documents: boolean;
  quiet?: boolean;
  workers?: number;
}

/** Runs one shard of the pages in a worker thread (src/cli/review-worker.ts). */
function runPart(db: string, outDir: string, documents: boolean) {
  return (plan: SitePlan, shard: Shard) =>
    new Promise<{ documents: number; evidence: number }>((resolve, reject) => {
      const w = new Worker(new URL('./review-worker.js', import.meta.url), { workerData: { db, outDir, plan, shard, documents } });
      let result: { documents: number; evidence: number } | undefined;
      w.once('message', (m: { documents: number; evidence: number }) => (result = m));
      w.once('error', reject);
      w.once('exit', (code) =>
        result && code === 0 ? resolve(result) : reject(new Error(`review worker ${shard.index} exited with code ${code}`)),
      );
    });
}

export function registerReview(program: Command): void {
  program
    .command('review')
    .description(
      'Build the static review site (--out DIR: open DIR/index.html from disk, no server, no network), or record a decision on a finding (--mark ID confirmed|dismissed).',
    )
    .argument('[decision]', 'with --mark: confirmed or dismissed')
    .option('--db <path>', DB_OPTION_HELP, 'output/ogi.sqlite')
    .option('--out <dir>', 'write the site into this folder (created; files of an earlier build are replaced)')
    .option('--no-documents', 'do not copy the source documents into the site (smaller; the links then go to the original URL or path)')
    .option('--mark <id>', 'the finding id (as the site and `ogi export --findings` show it)')
    .option('--note <text>', 'with --mark: a note kept with the decision')
    .option('--quiet', 'no progress output')
    .option(
      '--workers <n>',
      `threads building the pages (default ${Math.min(4, cpus().length)}, one per core up to 4)`,
      parsePositiveInt('--workers'),
    )
    .addHelpText(
      'after',
      `
The site: index.html lists agencies × years with finding counts by rule, filters
(rule, severity, agency, year, template, review state) and a search box; one page
per report with the three tables as the national form (cells coloured by
confidence, cells of a finding outlined), each finding with its evidence (a crop
of the PDF page, the table fragment of an HTML/Word/text document, the sentence,
both sides of a carry-over or an edit); one page per agency comparing its years.
Reviewer decisions are shown, and exported by \`ogi export --findings\`.

Examples:
  $ ogi review --out review/ && xdg-open review/index.html
  $ ogi review --mark F3a9c0d1e2f4b confirmed --note "checked against the PDF"
  $ ogi review --mark F3a9c0d1e2f4b dismissed --note "the table is right, the text rounds"`,
    )
    .action(async (decision: string | undefined, flags: ReviewFlags) => {
      if (!isPostgresUrl(flags.db) && !existsSync(flags.db))
        throw new CliError(`no database at ${flags.db}: run \`ogi ingest\` first, or pass --db PATH`);
      if (flags.mark !== undefined) {
        if (decision !== 'confirmed' && decision !== 'dismissed') {
          throw new CliError(
            `--mark needs a decision: confirmed or dismissed (got ${decision === undefined ? 'nothing' : `"${decision}"`})`,
          );
        }
        const store = await openStore(flags.db);
        try {
          const ok = await store.markFinding(flags.mark, decision as ReviewDecision, flags.note ?? null);
          if (!ok)
            throw new CliError(
              `no finding with id ${flags.mark} in ${flags.db} (ids are shown on the review site and by \`ogi export --findings\`)`,
            );
          process.stderr.write(`ogi review: ${flags.mark} marked ${decision}${flags.note ? ` (${flags.note})` : ''}\n`);
        } finally {
          await store.close();
        }
        process.exitCode = EXIT_OK;
        return;
      }
      if (decision !== undefined) throw new CliError(`unexpected argument "${decision}" (a decision goes with --mark ID)`);
      if (!flags.out) throw new CliError('give --out DIR to build the site, or --mark ID confirmed|dismissed');
      const { buildSite, checkSiteFolder, SiteFolderError } = await import('../review/site.js');
      try {
        checkSiteFolder(flags.out);
      } catch (e) {
        if (e instanceof SiteFolderError) throw new CliError(e.message);
        throw e;
      }
      const store = await openStore(flags.db, { readonly: true });
      try {
        const started = Date.now();
        const parts = flags.workers ?? Math.min(4, cpus().length);
        const stats = await buildSite(store, flags.out, {
          documents: flags.documents,
          parts,
          runPart: parts > 1 ? runPart(flags.db, flags.out, flags.documents) : undefined,
          log: flags.quiet ? undefined : (line) => process.stderr.write(`${line}\n`),
        });
        process.stderr.write(
          `ogi review: wrote ${flags.out}/index.html: ${stats.reports} reports, ${stats.findings} findings, ${stats.agencies} agencies in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
        );
      } finally {
        await store.close();
      }
      process.exitCode = EXIT_OK;
    });
}
