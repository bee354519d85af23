import type { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { documentJson } from '../contract/json.js';
import { FIELD_SPECS } from '../spec/fields.js';
import type { FieldRow, FindingRow } from '../store/store.js';
import { evidenceLocation } from '../review/locate.js';
import { CliError, EXIT_OK } from './exit.js';
import { DB_OPTION_HELP, openStore } from './open-store.js';

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

export const FINDING_COLUMNS = [
  'finding_id',
  'report_id',
  'agency',
  'year',
  'template',
  'rule',
  'severity',
  'keys',
  'expected',
  'actual',
  'message',
  'other_report_id',
  'evidence_location',
  'evidence',
  'file',
  'source_url',
  'review',
  'review_note',
  'reviewed_at',
] as const;

function findingCsvRow(f: FindingRow): unknown[] {
  return [
    f.id,
    f.reportId,
    f.agency,
    f.year,
    f.template,
    f.rule,
    f.severity,
    f.keys.join(';'),
    f.expected,
    f.actual,
    f.message,
    f.otherReportId,
    evidenceLocation(f),
    f.evidence ? JSON.stringify(f.evidence) : null,
    f.file,
    f.sourceUrl,
    f.review?.decision ?? 'unreviewed',
    f.review?.note,
    f.review?.reviewedAt,
  ];
}

function findingJson(f: FindingRow): Record<string, unknown> {
  return {
    finding_id: f.id,
    report_id: f.reportId,
    agency: f.agency,
    year: f.year,
    template: f.template,
    rule: f.rule,
    severity: f.severity,
    keys: f.keys,
    expected: f.expected,
    actual: f.actual,
    message: f.message,
    other_report_id: f.otherReportId,
    evidence_location: evidenceLocation(f),
    evidence: f.evidence,
    cells: f.cells,
    file: f.file,
    source_url: f.sourceUrl,
    review: f.review ? { decision: f.review.decision, note: f.review.note, reviewed_at: f.review.reviewedAt } : null,
  };
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
    .option('--db <path>', DB_OPTION_HELP, 'output/ogi.sqlite')
    .option('--no-bom', 'CSV: omit the UTF-8 byte-order mark (it is there so Excel reads Chinese text correctly)')
    .option('--findings', 'export the findings instead: one row per finding, with its evidence location and review state')
    .option('--non-reports', 'jsonl: the documents read as no report instead (notices, 图解, corrections …), each with its classification')
    .addHelpText(
      'after',
      `
jsonl: the shape of \`ogi extract --json\` (built by the same code) plus report_id and, for crawled reports,
source_url; cross-report findings carry other_report_id. With --non-reports: the stored documents that are
no report, with "report": null and their classification (a correction's corrects.report_id names its report).
csv columns: ${CSV_COLUMNS.join(', ')}. flags are joined with ';'. value is empty for blank/dash/text cells.
--findings columns: ${FINDING_COLUMNS.join(', ')} (keys joined with ';', evidence as JSON,
review = confirmed | dismissed | unreviewed); jsonl adds the cells with value, confidence and source.

Examples:
  $ ogi export --format csv --out reports.csv       # pandas.read_csv('reports.csv')
  $ ogi export --format jsonl | jq -c '{agency: .report.agency, new: .fields["t3.new.total"].value}'
  $ ogi export --findings --format csv --out findings.csv`,
    )
    .action(async (opts: { format: string; out?: string; db: string; bom: boolean; findings?: boolean; nonReports?: boolean }) => {
      if (opts.format !== 'jsonl' && opts.format !== 'csv') throw new CliError(`--format must be jsonl or csv, got "${opts.format}"`);
      if (opts.nonReports && opts.format !== 'jsonl')
        throw new CliError('--non-reports needs --format jsonl (they have no fields for the CSV)');
      const store = await openStore(opts.db, { readonly: true });
      const out: Writable = opts.out ? createWriteStream(opts.out) : process.stdout;
      try {
        if (opts.findings) {
          const findings = await store.listFindings();
          if (opts.format === 'csv') {
            await write(out, `${opts.bom ? '\ufeff' : ''}${FINDING_COLUMNS.join(',')}\r\n`);
            for (const f of findings) await write(out, `${findingCsvRow(f).map(csvCell).join(',')}\r\n`);
          } else {
            for (const f of findings) await write(out, `${JSON.stringify(findingJson(f))}\n`);
          }
          process.exitCode = EXIT_OK;
          return;
        }
        if (opts.format === 'csv') await write(out, `${opts.bom ? '\ufeff' : ''}${CSV_COLUMNS.join(',')}\r\n`);
        if (opts.nonReports) {
          for (const id of await store.nonReportIds()) await write(out, `${JSON.stringify(documentJson(await store.loadDocument(id)))}\n`);
        }
        for await (const r of opts.nonReports ? [] : store.reports()) {
          if (opts.format === 'jsonl') {
            await write(out, `${JSON.stringify(documentJson(await store.loadDocument(r.document_id)))}\n`);
          } else {
            for (const f of (await store.reportFields(r.report_id)).sort(byKey)) {
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
        await store.close();
        if (opts.out) {
          out.end();
          await once(out, 'finish');
        }
      }
      process.exitCode = EXIT_OK;
    });
}
