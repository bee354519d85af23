import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { processBytes } from '../pipeline/process.js';
import type { ExtractedDocument } from '../contract/document.js';
import { EXIT_OK, EXIT_SOME_UNREADABLE, withProcessOptions } from './exit.js';
import { expandPaths } from './walk.js';

function human(doc: ExtractedDocument): string {
  const r = doc.report;
  const head = `${doc.file}: ${doc.format ?? 'unknown format'}`;
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
  withProcessOptions(program.command('extract'))
    .description('Read report files and print what ogi finds in them. Writes nothing to the database.')
    .argument('<files...>', 'files (or directories, read recursively)')
    .option('--json', 'print one JSON object per file (JSON Lines, input order) on stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ ogi extract corpus/shanghai_office_2019.html --json | jq '.fields["t3.new.total"]'
  $ ogi extract report.pdf            # a readable summary: agency, year, fields, findings

Exit codes: 0 all files processed (recorded errors included), 1 bad arguments, 2 some files missing/unreadable.`,
    )
    .action(async (files: string[], opts: { json?: boolean; maxBytes?: number; timeoutMs?: number }) => {
      const { files: list, missing } = expandPaths(files);
      for (const m of missing) process.stderr.write(`ogi: cannot read ${m.path}: ${m.reason}\n`);
      let unreadable = missing.length;
      for (const file of list) {
        let bytes: Buffer;
        try {
          bytes = await readFile(file);
        } catch (e) {
          process.stderr.write(`ogi: cannot read ${file}: ${(e as Error).message}\n`);
          unreadable++;
          continue;
        }
        const { doc } = await processBytes({ bytes, name: file }, { maxBytes: opts.maxBytes, timeoutMs: opts.timeoutMs });
        process.stdout.write(opts.json ? `${JSON.stringify(doc)}\n` : `${human(doc)}\n`);
      }
      process.exitCode = unreadable ? EXIT_SOME_UNREADABLE : EXIT_OK;
    });
}
