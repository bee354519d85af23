import type { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { FIELD_SPECS } from '../spec/fields.js';
import { iterateReports, reportDetails, type FieldRow } from '../store/queries.js';
import { CliError, EXIT_OK } from './exit.js';
import { openStore } from './open-store.js';

const ORDER = new Map(FIELD_SPECS.map((f, i) => [f.key, i]));
const byKey = (a: FieldRow, b: FieldRow) => (ORDER.get(a.key) ?? 1e9) - (ORDER.get(b.key) ?? 1e9);

const CSV_COLUMNS = [
  'report_id',
  'agency',
  'year',
  'template',
  'key',
  'value',
  'confidence',
  'flags',
  'raw',
  'sha256',
  'file',
  'source_url',
] as const;

/** RFC 4180 quoting. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function write(out: Writable, s: string): Promise<void> {
  if (!out.write(s)) await once(out, 'drain');
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('Export the stored reports as JSON Lines (one object per report) or long-format CSV (one row per field).')
    .requiredOption('--format <format>', 'jsonl or csv')
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--db <path>', 'database file', 'output/ogi.sqlite')
    .option('--no-bom', 'CSV: omit the UTF-8 byte-order mark (it is there so Excel reads Chinese text correctly)')
    .addHelpText(
      'after',
      `
jsonl: the shape of \`ogi extract --json\` plus source_url, report_id and document metadata.
csv columns: ${CSV_COLUMNS.join(', ')}. flags are joined with ';'. value is empty for blank/dash/text cells.

Examples:
  $ ogi export --format csv --out reports.csv       # pandas.read_csv('reports.csv')
  $ ogi export --format jsonl | jq -c '{agency: .report.agency, new: .fields["t3.new.total"].value}'`,
    )
    .action(async (opts: { format: string; out?: string; db: string; bom: boolean }) => {
      if (opts.format !== 'jsonl' && opts.format !== 'csv') throw new CliError(`--format must be jsonl or csv, got "${opts.format}"`);
      const db = openStore(opts.db, { readonly: true });
      const out: Writable = opts.out ? createWriteStream(opts.out) : process.stdout;
      try {
        const details = reportDetails(db);
        if (opts.format === 'csv') await write(out, `${opts.bom ? '\ufeff' : ''}${CSV_COLUMNS.join(',')}\r\n`);
        for (const r of iterateReports(db)) {
          const fields = details.fields(r.report_id).sort(byKey);
          if (opts.format === 'jsonl') {
            const messages = details.messages(r.document_id);
            const obj = {
              report_id: r.report_id,
              file: r.file,
              sha256: r.sha256,
              format: r.format,
              report: { agency: r.agency, year: r.year, template: r.template, title: r.title },
              fields: Object.fromEntries(
                fields.map((f) => [
                  f.key,
                  { value: f.value, raw: f.raw, confidence: f.confidence, flags: JSON.parse(f.flags), source: JSON.parse(f.source) },
                ]),
              ),
              findings: details.findings(r.report_id).map((f) => ({ ...f, keys: JSON.parse(f.keys) })),
              errors: messages.filter((m) => m.level === 'error').map(({ code, message }) => ({ code, message })),
              warnings: messages.filter((m) => m.level === 'warning').map(({ code, message }) => ({ code, message })),
              extractor: r.extractor,
              pipeline_version: r.pipeline_version,
              size: r.size,
              ...(r.source_url ? { source_url: r.source_url } : {}),
            };
            await write(out, `${JSON.stringify(obj)}\n`);
          } else {
            for (const f of fields) {
              const row = [
                r.report_id,
                r.agency,
                r.year,
                r.template,
                f.key,
                f.value,
                f.confidence,
                (JSON.parse(f.flags) as string[]).join(';'),
                f.raw,
                r.sha256,
                r.file,
                r.source_url,
              ];
              await write(out, `${row.map(csvCell).join(',')}\r\n`);
            }
          }
        }
      } finally {
        db.close();
        if (opts.out) {
          out.end();
          await once(out, 'finish');
        }
      }
      process.exitCode = EXIT_OK;
    });
}
