#!/usr/bin/env node
/**
 * The `ogi` command. Each subcommand lives in its own module; this file only
 * wires them and turns failures into the exit codes of spec/contract.md.
 */
import { Command, CommanderError } from 'commander';
import { OGI_VERSION, PIPELINE_VERSION } from '../version.js';
import { CliError, EXIT_FAILED } from './exit.js';
import { registerCrawl } from './crawl.js';
import { registerDebugPdf } from './debug-pdf.js';
import { registerExport } from './export.js';
import { registerExtract } from './extract.js';
import { registerIngest } from './ingest.js';
import { registerQuery } from './query.js';
import { registerReport } from './report.js';
import { registerWorker } from './worker.js';
import { registerMigrateStore } from './migrate-store.js';
import { registerReview } from './review.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('ogi')
    .description(
      'Turn 政府信息公开工作年度报告 (HTML, DOCX, DOC, PDF, TXT) into verified, structured data in SQLite.\n' +
        'Every value keeps its raw text, a confidence, flags and the exact place it was read from.',
    )
    .version(`${OGI_VERSION} (pipeline ${PIPELINE_VERSION})`)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerExtract(program);
  registerIngest(program);
  registerExport(program);
  registerReport(program);
  registerReview(program);
  registerQuery(program);
  registerCrawl(program);
  registerWorker(program);
  registerMigrateStore(program);
  registerDebugPdf(program);
  program.addHelpText(
    'after',
    `
Quick start:
  $ ogi ingest corpus/            # → output/ogi.sqlite, with a summary
  $ ogi report --findings         # inconsistent filings
  $ ogi export --format csv --out fields.csv

Exit codes: 0 every input processed (recorded errors included); 1 the command failed
as a whole (bad arguments, unusable database); 2 some inputs could not be read at all.`,
  );
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return e.exitCode === 0 ? 0 : EXIT_FAILED;
    }
    if (e instanceof CliError) {
      process.stderr.write(`ogi: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`ogi: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
    return EXIT_FAILED;
  }
}

// `ogi export … | head` closes stdout early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = EXIT_FAILED;
  },
);
