/**
 * Reading the store back: summaries, exports, finding and error lists,
 * read-only SQL and full-text search. The result types are shared by both
 * engines; the SQL here is SQLite's (PostgreSQL's is in pg/queries.ts).
 */
import { stmt, type DB } from './db.js';
import { FIELDS_OF_REPORT, LOCATION_COLUMNS, type FieldRow } from './documents.js';

export type { FieldRow } from './documents.js';

export interface Summary {
  documents: number;
  reports: number;
  fields: number;
  lowConfidenceFields: number;
  byFormat: { format: string | null; n: number }[];
  errors: { code: string; n: number }[];
  reportsByYear: { year: number | null; template: string; n: number }[];
  /** Documents read and classified as something other than a report (README "Reports and other documents"), by kind. */
  nonReports: { kind: string; n: number }[];
  findings: { rule: string; n: number }[];
}

/** The summary's queries, written once for both engines (COUNT is a bigint in PostgreSQL: the driver makes it a number). */
export const SUMMARY_SQL = {
  documents: 'SELECT COUNT(*) AS n FROM documents',
  reports: 'SELECT COUNT(*) AS n FROM reports',
  fields: 'SELECT COUNT(*) AS n FROM fields',
  lowConfidenceFields: 'SELECT COUNT(*) AS n FROM fields WHERE confidence < 0.5',
  byFormat: 'SELECT format, COUNT(*) AS n FROM documents GROUP BY format ORDER BY n DESC, format NULLS FIRST',
  errors: 'SELECT error_code AS code, COUNT(*) AS n FROM documents WHERE error_code IS NOT NULL GROUP BY error_code ORDER BY n DESC, code',
  reportsByYear: 'SELECT year, template, COUNT(*) AS n FROM reports GROUP BY year, template ORDER BY year NULLS FIRST, template',
  nonReports: "SELECT kind, COUNT(*) AS n FROM documents WHERE kind IS NOT NULL AND kind <> 'report' GROUP BY kind ORDER BY n DESC, kind",
  findings: 'SELECT rule, COUNT(*) AS n FROM findings GROUP BY rule ORDER BY rule',
} as const;

/** Builds the summary from a function that runs one of SUMMARY_SQL's queries. */
export async function buildSummary(all: (sql: string) => Promise<Record<string, unknown>[]>): Promise<Summary> {
  const n = async (sql: string) => Number((await all(sql))[0].n);
  return {
    documents: await n(SUMMARY_SQL.documents),
    reports: await n(SUMMARY_SQL.reports),
    fields: await n(SUMMARY_SQL.fields),
    lowConfidenceFields: await n(SUMMARY_SQL.lowConfidenceFields),
    byFormat: (await all(SUMMARY_SQL.byFormat)) as Summary['byFormat'],
    errors: (await all(SUMMARY_SQL.errors)) as Summary['errors'],
    reportsByYear: (await all(SUMMARY_SQL.reportsByYear)) as Summary['reportsByYear'],
    nonReports: (await all(SUMMARY_SQL.nonReports)) as Summary['nonReports'],
    findings: (await all(SUMMARY_SQL.findings)) as Summary['findings'],
  };
}

export function summary(db: DB): Promise<Summary> {
  return buildSummary(async (sql) => stmt(db, sql).all() as Record<string, unknown>[]);
}

export function formatSummary(s: Summary): string {
  const lines: string[] = [];
  lines.push(`documents: ${s.documents} (${s.byFormat.map((f) => `${f.format ?? 'unknown'} ${f.n}`).join(', ') || 'none'})`);
  lines.push(
    `  with errors: ${s.errors.reduce((a, e) => a + e.n, 0)}${s.errors.length ? ` (${s.errors.map((e) => `${e.code} ${e.n}`).join(', ')})` : ''}`,
  );
  lines.push(`reports: ${s.reports}, fields: ${s.fields} (${s.lowConfidenceFields} below confidence 0.5)`);
  for (const r of s.reportsByYear) lines.push(`  ${r.year ?? 'year ?'}  ${r.template.padEnd(7)} ${r.n}`);
  const others = s.nonReports.reduce((a, k) => a + k.n, 0);
  lines.push(`not reports: ${others}${others ? ` (${s.nonReports.map((k) => `${k.kind} ${k.n}`).join(', ')})` : ''}`);
  lines.push(`findings: ${s.findings.reduce((a, f) => a + f.n, 0)}`);
  for (const f of s.findings) lines.push(`  ${f.rule.padEnd(16)} ${f.n}`);
  return lines.join('\n');
}

export interface ReportRow {
  report_id: number;
  document_id: number;
  sha256: string;
  format: string | null;
  agency: string | null;
  year: number | null;
  template: string;
  title: string | null;
  extractor: string | null;
  pipeline_version: string;
  size: number;
  file: string | null;
  source_url: string | null;
}

/** The select list of a report row (both engines). */
export const REPORT_ROW_SQL = `SELECT r.id AS report_id, d.id AS document_id, d.sha256, d.format, r.agency, r.year, r.template, r.title,
              d.extractor, d.pipeline_version, d.size, ${LOCATION_COLUMNS}
       FROM reports r JOIN documents d ON d.id = r.document_id`;

/** Documents classified as no report (both engines); ids only, so a large store costs little memory. */
export const NON_REPORT_IDS = "SELECT id FROM documents WHERE kind IS NOT NULL AND kind <> 'report' ORDER BY id";

/** All reports, oldest document first; iterates lazily so exports run in constant memory. */
export function iterateReports(db: DB): IterableIterator<ReportRow> {
  return db.prepare(`${REPORT_ROW_SQL} ORDER BY d.id`).iterate() as IterableIterator<ReportRow>;
}

/** The fields of one report as stored, in key order (CSV export, review pages). */
export function reportFields(db: DB, reportId: number): FieldRow[] {
  // Rows as arrays: for tens of thousands of review pages, an object per row costs more than the query.
  let s = rawFields.get(db);
  if (!s) rawFields.set(db, (s = db.prepare(FIELDS_OF_REPORT).raw(true)));
  return (s.all(reportId) as [string, number | null, string, number, string, string][]).map(
    ([key, value, raw, confidence, flags, source]) => ({
      key,
      value,
      raw,
      confidence,
      flags,
      source,
    }),
  );
}
const rawFields = new WeakMap<DB, ReturnType<DB['prepare']>>();

/** One line of `ogi report --findings`. */
export interface FindingLine {
  agency: string | null;
  year: number | null;
  rule: string;
  message: string;
  location: string | null;
}

/** One line of `ogi report --errors`. */
export interface ErrorLine {
  code: string;
  message: string | null;
  location: string | null;
}

/** The location a document is known by (as `file` in LOCATION_COLUMNS), as `ogi report` and `ogi search` print it. */
export const FIRST_LOCATION = (docId: string) =>
  `(SELECT location FROM document_locations l WHERE l.document_id = ${docId} ORDER BY l.kind = 'url', l.location LIMIT 1)`;

/**
 * p: parameter n as the engine writes it; collate: how text sorts (PostgreSQL sorts by the
 * database's locale unless told "C", the byte order SQLite uses).
 */
export const FINDING_LINES_SQL = (
  p: (n: number) => string,
  collate = '',
) => `SELECT r.agency, r.year, f.rule, f.message, ${FIRST_LOCATION('r.document_id')} AS location
   FROM findings f JOIN reports r ON r.id = f.report_id
   WHERE (CAST(${p(1)} AS text) IS NULL OR f.rule = ${p(1)}) ORDER BY r.agency${collate} NULLS FIRST, r.year NULLS FIRST, f.rule${collate}, f.id LIMIT ${p(2)}`;

export const ERROR_LINES_SQL = (p: (n: number) => string, collate = '') => `SELECT code, message, location FROM (
     SELECT d.error_code AS code, d.error_message AS message, ${FIRST_LOCATION('d.id')} AS location
     FROM documents d WHERE d.error_code IS NOT NULL) e
   ORDER BY code${collate}, location${collate} NULLS FIRST LIMIT ${p(1)}`;

/** Parameter n as SQLite names it (PostgreSQL's is $n). */
const sqliteParam = (n: number) => `@p${n}`;

export function findingLines(db: DB, rule: string | undefined, limit: number): FindingLine[] {
  return stmt(db, FINDING_LINES_SQL(sqliteParam)).all({ p1: rule ?? null, p2: limit }) as FindingLine[];
}

export function errorLines(db: DB, limit: number): ErrorLine[] {
  return stmt(db, ERROR_LINES_SQL(sqliteParam)).all({ p1: limit }) as ErrorLine[];
}

/** A statement `ogi query` refused or that failed; the message says why. */
export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryError';
  }
}

/** Runs one read-only statement; only statements that return rows are allowed. */
export function readQuery(db: DB, sql: string): Record<string, unknown>[] {
  let s;
  try {
    s = db.prepare(sql);
  } catch (e) {
    throw new QueryError(`SQL error: ${(e as Error).message}`);
  }
  if (!s.reader) throw new QueryError('only statements that return rows (SELECT, WITH, PRAGMA) are allowed');
  try {
    return s.all() as Record<string, unknown>[];
  } catch (e) {
    throw new QueryError(`SQL error: ${(e as Error).message}`);
  }
}

/** One hit of `ogi search`. */
export interface SearchHit {
  document_id: number;
  agency: string | null;
  year: number | null;
  location: string | null;
  snippet: string | null;
}

/**
 * Full-text search: the FTS5 trigram index for 3 characters or more, a substring scan below (trigrams need 3).
 * Texts not yet indexed (stored since the last post-batch step, migration 008) are scanned as substrings.
 */
export function search(db: DB, text: string, limit: number): SearchHit[] {
  const trigram = [...text].length >= 3;
  const scan = (table: string, t: string, id: string) =>
    `substr(${t}.body, max(1, instr(${t}.body, :text) - 20), 60) AS snippet
       FROM ${table} ${t} LEFT JOIN reports r ON r.document_id = ${t}.${id}
       WHERE instr(${t}.body, :text) > 0 OR instr(${t}.title, :text) > 0`;
  return db
    .prepare(
      `SELECT t.rowid AS document_id, r.agency, r.year, ${FIRST_LOCATION('t.rowid')} AS location,
         ${
           trigram
             ? `snippet(document_text, 1, '[', ']', '…', 12) AS snippet
       FROM document_text t LEFT JOIN reports r ON r.document_id = t.rowid
       WHERE document_text MATCH :match`
             : scan('document_text', 't', 'rowid')
         }
       UNION ALL
       SELECT p.document_id, r.agency, r.year, ${FIRST_LOCATION('p.document_id')} AS location, ${scan('document_text_pending', 'p', 'document_id')}
       LIMIT :limit`,
    )
    .all(trigram ? { match: `"${text.replace(/"/g, '""')}"`, text, limit } : { text, limit }) as SearchHit[];
}
