import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import type { ExtractedDocument } from '../contract/document.js';
import { documentJson } from '../contract/json.js';
import { defaultThreads, ExtractionPool, type PoolResult } from '../pipeline/pool.js';
import { readWithResources } from '../pipeline/resources.js';
import { localResources } from '../sources/local-resources.js';
import {
  EXIT_FAILED,
  EXIT_OK,
  EXIT_SOME_UNREADABLE,
  limitsFromFlags,
  withProcessOptions,
  withReaderOptions,
  type ReaderFlags,
} from './exit.js';
import { stopOnSignals } from './stop-signal.js';
import { expandPaths } from './walk.js';

function human(doc: ExtractedDocument): string {
  const r = doc.report;
  const head = `${doc.file}: ${doc.format ?? 'unknown format'}`;
  const c = doc.classification;
  if (!r && c) return `${head}\n  not a report: ${c.kind} (${c.code}): ${c.reason}`;
  if (!r) return `${head}\n  error: ${doc.errors.map((e) => `${e.code}: ${e.message}`).join('; ')}`;
  const n = Object.keys(doc.fields).length;
  const low = Object.values(doc.fields).filter((f) => f.confidence < 0.5).length;
  const lines = [
    head,
    `  ${r.agency ?? 'agency ?'} ${r.year ?? 'year ?'}, template ${r.template}`,
    `  ${n} fields${low ? ` (${low} below confidence 0.5)` : ''}, ${doc.findings.length} findings`,
  ];
  for (const f of doc.findings) lines.push(`  ! ${f.rule}: ${f.message}`);
  for (const e of doc.errors) lines.push(`  error ${e.code}: ${e.message}`);
  for (const w of doc.warnings) lines.push(`  warning ${w.code}: ${w.message}`);
  return lines.join('\n');
}

export function registerExtract(program: Command): void {
  withReaderOptions(withProcessOptions(program.command('extract')))
    .description('Read report files and print what ogi finds in them. Writes nothing to the database.')
    .argument('<files...>', 'files (or directories, read recursively)')
    .option('--json', 'print one JSON object per file (JSON Lines, input order) on stdout')
    .addHelpText(
      'after',
      `
Files are read in worker threads with the same time and memory limits as
\`ogi ingest\`, and printed in input order.

Examples:
  $ ogi extract corpus/shanghai_office_2019.html --json | jq '.fields["t3.new.total"]'
  $ ogi extract report.pdf            # a readable summary: agency, year, fields, findings

Exit codes: 0 all files processed (recorded errors included), 1 bad arguments or stopped, 2 some files missing/unreadable.`,
    )
    .action(async (files: string[], opts: { json?: boolean } & ReaderFlags & Record<string, unknown>) => {
      const { files: list, missing } = expandPaths(files);
      for (const m of missing) process.stderr.write(`ogi: cannot read ${m.path}: ${m.reason}\n`);
      let unreadable = missing.length;
      const stop = stopOnSignals('ogi extract', 'stopping');
      // One worker is enough for one file; more only pay off for batches.
      const pool = new ExtractionPool({
        threads: Math.min(opts.workers ?? defaultThreads(), Math.max(1, list.length)),
        documentTimeoutMs: opts.docTimeoutMs,
        workerMemoryMb: opts.workerMemoryMb,
        process: { limits: limitsFromFlags(opts) },
      });
      const read = async (file: string): Promise<PoolResult | undefined> => {
        let bytes: Buffer;
        try {
          bytes = await readFile(file);
        } catch (e) {
          process.stderr.write(`ogi: cannot read ${file}: ${(e as Error).message}\n`);
          unreadable++;
          return undefined;
        }
        // A saved page's pictures (NAME_files/) are read like ogi ingest reads them.
        return readWithResources(pool, { bytes, name: file }, localResources(file), { signal: stop.signal });
      };
      try {
        // Reads run ahead (bounded); output keeps input order.
        const ahead: Promise<PoolResult | undefined>[] = [];
        let next = 0;
        const fill = () => {
          while (next < list.length && ahead.length < Math.max(2, pool.threads * 2)) ahead.push(read(list[next++]));
        };
        fill();
        while (ahead.length) {
          const r = await ahead.shift()!;
          fill();
          if (!r) continue;
          if (r.kind === 'stopped') break;
          process.stdout.write(opts.json ? `${JSON.stringify(documentJson(r.out.doc))}\n` : `${human(r.out.doc)}\n`);
        }
      } finally {
        stop.dispose();
        await pool.close();
      }
      process.exitCode = stop.signal.aborted ? EXIT_FAILED : unreadable ? EXIT_SOME_UNREADABLE : EXIT_OK;
    });
}
