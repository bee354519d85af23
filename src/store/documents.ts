/**
 * Writing processed documents and reading them back. One transaction per
 * document; content-addressed by sha256 + pipeline version, so writing the
 * same result twice changes nothing.
 */
import type { Classification, DocumentKind, ExtractedDocument, Field, Finding, Message } from '../contract/document.js';
import { findingId } from '../contract/finding-id.js';
import { stmt, type DB } from './db.js';

export type LocationKind = 'file' | 'url';

export interface Location {
  location: string;
  kind: LocationKind;
  referrer?: string;
}

export interface StoredDocument {
  id: number;
  pipeline_version: string;
  error_code: string | null;
  format: string | null;
  has_report: number;
  has_bytes: number;
  content_hash: string | null;
}

/**
 * Errors that say more about the run than the document (a timeout, a crashed
 * or starved reader): such documents are stored, and read again next run.
 */
export const TRANSIENT_ERRORS: ReadonlySet<string> = new Set(['timeout', 'extract-crashed', 'out-of-memory']);

export function isTransientError(code: string | null): boolean {
  return code !== null && TRANSIENT_ERRORS.has(code);
}

export type SaveStatus = 'new' | 'reprocessed' | 'unchanged';

export function findDocument(db: DB, sha256: string): StoredDocument | undefined {
  return stmt(
    db,
    `SELECT d.id, d.pipeline_version, d.error_code, d.format, d.content_hash,
            EXISTS (SELECT 1 FROM reports r WHERE r.document_id = d.id) AS has_report,
            EXISTS (SELECT 1 FROM document_bytes b WHERE b.document_id = d.id) AS has_bytes
     FROM documents d WHERE d.sha256 = ?`,
  ).get(sha256) as StoredDocument | undefined;
}

/** Records that a document was seen at a path or URL (again). Returns true when the location is new for it. */
export function touchLocation(db: DB, documentId: number, loc: Location, now = new Date().toISOString()): boolean {
  const known = stmt(db, 'SELECT 1 FROM document_locations WHERE document_id = ? AND location = ?').get(documentId, loc.location);
  stmt(
    db,
    `INSERT INTO document_locations (document_id, location, kind, referrer, first_seen, last_seen)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (document_id, location) DO UPDATE SET last_seen = excluded.last_seen,
       referrer = COALESCE(document_locations.referrer, excluded.referrer)`,
  ).run(documentId, loc.location, loc.kind, loc.referrer ?? null, now, now);
  return !known;
}

export interface DocumentText {
  title: string;
  body: string;
}

/** What a worker produced for one document, as the store keeps it. */
export interface DocumentRecord {
  doc: ExtractedDocument;
  text: DocumentText | null;
  /** sha256 of the extracted content (see src/pipeline/content-hash.ts). */
  contentHash: string | null;
  /** The raw bytes, kept as evidence when given. */
  bytes?: Uint8Array;
}

/** Keeps a document's raw bytes (replacing what was kept). */
export function saveBytes(db: DB, documentId: number, bytes: Uint8Array): void {
  stmt(db, 'INSERT OR REPLACE INTO document_bytes (document_id, bytes) VALUES (?, ?)').run(documentId, bytes);
}

export function loadBytes(db: DB, documentId: number): Uint8Array | undefined {
  const b = stmt(db, 'SELECT bytes FROM document_bytes WHERE document_id = ?').pluck().get(documentId) as Buffer | undefined;
  return b ? new Uint8Array(b.buffer, b.byteOffset, b.length) : undefined;
}

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

/** A stored document that needs no new read: same pipeline version, and not a transient error. */
export function isCurrent(existing: StoredDocument | undefined, doc: ExtractedDocument): boolean {
  return existing !== undefined && existing.pipeline_version === doc.pipeline_version && !isTransientError(existing.error_code);
}

/** The documents row's values, in the order of UPDATE_DOCUMENT and INSERT_DOCUMENT. */
export function documentValues(doc: ExtractedDocument, contentHash: string | null, now: string): unknown[] {
  const firstError = doc.errors[0];
  const c = doc.classification;
  return [
    doc.format,
    doc.size,
    doc.pipeline_version,
    doc.extractor,
    doc.encoding ?? null,
    doc.pages ?? null,
    firstError?.code ?? null,
    firstError?.message ?? null,
    now,
    contentHash,
    c?.kind ?? null,
    c?.code ?? null,
    c?.reason ?? null,
    c?.corrects?.title ?? null,
    c?.corrects?.agency ?? null,
    c?.corrects?.year ?? null,
  ];
}

/** The classification columns, in documentValues' order. */
const CLASSIFICATION_COLUMNS = ['kind', 'kind_code', 'kind_reason', 'corrects_title', 'corrects_agency', 'corrects_year'];

/** `?` placeholders: PostgreSQL numbers them (pg/store.ts). Values: documentValues, then id. */
export const UPDATE_DOCUMENT = `UPDATE documents SET format = ?, size = ?, pipeline_version = ?, extractor = ?, encoding = ?, pages = ?,
           error_code = ?, error_message = ?, processed_at = ?, content_hash = ?, ${CLASSIFICATION_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`;

/** Values: documentValues, then sha256. */
export const INSERT_DOCUMENT = `INSERT INTO documents (format, size, pipeline_version, extractor, encoding, pages, error_code, error_message, processed_at, content_hash,
             ${CLASSIFICATION_COLUMNS.join(', ')}, sha256)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${CLASSIFICATION_COLUMNS.map(() => '?').join(', ')}, ?)`;

/**
 * The report already stored for the same extracted content (content_hash) by
 * another document: a page fetched again with only its noise changed, or the
 * same report saved twice with other bytes. Its report is stored once.
 */
export const REPORT_OF_SAME_CONTENT = `SELECT d.id FROM documents d JOIN reports r ON r.document_id = d.id
  WHERE d.content_hash = ? AND d.id <> ? ORDER BY d.id LIMIT 1`;

/** The warning a document gets when its report is another document's. */
export function sameContentWarning(otherDocumentId: number): Message {
  return {
    code: 'same-content',
    message: `the extracted content equals document ${otherDocumentId}'s (only bytes outside the report differ, such as a view counter): the report is stored once, with that document`,
    source: 'store',
  };
}

/** What a reprocessed document loses before its new rows are written (SQLite's document_text is keyed by rowid). */
const CLEAR_DOCUMENT = [
  'DELETE FROM reports WHERE document_id = ?',
  'DELETE FROM document_messages WHERE document_id = ?',
  'DELETE FROM document_text WHERE rowid = ?',
  'DELETE FROM document_text_pending WHERE document_id = ?',
];

/**
 * Stores a processed document with its report, fields, findings, messages and text.
 * Same sha256 and pipeline version: only the location is touched.
 * Same sha256, other version (or a transient error before): the old rows are replaced (the id is kept).
 */
export function saveDocument(db: DB, record: DocumentRecord, loc: Location): { id: number; status: SaveStatus } {
  const { doc, text, contentHash, bytes } = record;
  return db
    .transaction(() => {
      const now = new Date().toISOString();
      const existing = findDocument(db, doc.sha256);
      if (isCurrent(existing, doc)) {
        touchLocation(db, existing!.id, loc, now);
        return { id: existing!.id, status: 'unchanged' as const };
      }
      const row = documentValues(doc, contentHash, now);
      let id: number;
      if (existing) {
        id = existing.id;
        stmt(db, UPDATE_DOCUMENT).run(...row, id);
        for (const sql of CLEAR_DOCUMENT) stmt(db, sql).run(id);
      } else {
        id = Number(stmt(db, INSERT_DOCUMENT).run(...row, doc.sha256).lastInsertRowid);
      }
      touchLocation(db, id, loc, now);

      const same =
        doc.report && contentHash ? (stmt(db, REPORT_OF_SAME_CONTENT).pluck().get(contentHash, id) as number | undefined) : undefined;
      const warnings = same === undefined ? doc.warnings : [...doc.warnings, sameContentWarning(same)];
      const msg = stmt(db, 'INSERT INTO document_messages (document_id, level, code, message, source, place) VALUES (?, ?, ?, ?, ?, ?)');
      for (const e of doc.errors) msg.run(id, 'error', e.code, e.message, e.source ?? null, json(e.place));
      for (const w of warnings) msg.run(id, 'warning', w.code, w.message, w.source ?? null, json(w.place));

      if (doc.report && same === undefined) {
        const reportId = Number(
          stmt(db, 'INSERT INTO reports (document_id, agency, year, template, title) VALUES (?, ?, ?, ?, ?)').run(
            id,
            doc.report.agency,
            doc.report.year,
            doc.report.template,
            doc.report.title,
          ).lastInsertRowid,
        );
        const f = stmt(db, 'INSERT INTO fields (report_id, key, value, raw, confidence, flags, source) VALUES (?, ?, ?, ?, ?, ?, ?)');
        for (const [key, v] of Object.entries(doc.fields)) {
          f.run(reportId, key, v.value, v.raw, v.confidence, JSON.stringify(v.flags), JSON.stringify(v.source));
        }
        const fi = stmt(
          db,
          'INSERT INTO findings (report_id, rule, severity, keys, expected, actual, message, fid, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        );
        for (const x of doc.findings) {
          fi.run(
            reportId,
            x.rule,
            x.severity,
            JSON.stringify(x.keys),
            x.expected,
            x.actual,
            x.message,
            findingId(x, doc.sha256, null),
            json(x.evidence),
          );
        }
      }
      if (text && (text.title || text.body)) {
        // Indexed for search by the post-batch step (indexPendingText), not in this transaction.
        stmt(db, 'INSERT INTO document_text_pending (document_id, title, body) VALUES (?, ?, ?)').run(id, text.title, text.body);
      }
      if (bytes) saveBytes(db, id, bytes);
      return { id, status: existing ? ('reprocessed' as const) : ('new' as const) };
      // IMMEDIATE: take the write lock before reading, so a second process writing at the same time waits instead of failing to upgrade.
    })
    .immediate();
}

/**
 * Moves the texts stored since the last post-batch step into the search index,
 * in one transaction (migration 008). Returns how many were indexed.
 */
export function indexPendingText(db: DB): number {
  return db
    .transaction(() => {
      stmt(db, 'INSERT INTO document_text (rowid, title, body) SELECT document_id, title, body FROM document_text_pending').run();
      return stmt(db, 'DELETE FROM document_text_pending').run().changes;
    })
    .immediate();
}

/**
 * The location a document is known by and the URL it was crawled from, as SQL columns.
 * `file`: a path before a URL, and among several the first in byte order, not the first
 * seen: workers store in any order, and the same bytes must export the same way however
 * they were ingested (one process, many, SQLite or PostgreSQL).
 */
export const LOCATION_COLUMNS = `(SELECT location FROM document_locations l WHERE l.document_id = d.id ORDER BY l.kind = 'url', l.location LIMIT 1) AS file,
  (SELECT location FROM document_locations l WHERE l.document_id = d.id AND l.kind = 'url' ORDER BY l.first_seen, l.location LIMIT 1) AS source_url`;

/** A field as stored: flags and source as JSON text. */
export interface FieldRow {
  key: string;
  value: number | null;
  raw: string;
  confidence: number;
  flags: string;
  source: string;
}

/** Fields in key order (byte order: PostgreSQL's column is COLLATE "C", SQLite compares bytes). */
export const FIELDS_OF_REPORT = 'SELECT key, value, raw, confidence, flags, source FROM fields WHERE report_id = ? ORDER BY key';

export interface MessageRow {
  level: 'error' | 'warning';
  code: string;
  message: string;
  source: string | null;
  place: string | null;
}

function toMessage(m: MessageRow): Message {
  return {
    code: m.code,
    message: m.message,
    ...(m.source ? { source: m.source } : {}),
    ...(m.place ? { place: JSON.parse(m.place) } : {}),
  };
}

/** A finding as stored: a cross-report finding also names the other report. */
export type StoredFinding = Finding & { other_report_id?: number };

/** A document's row as both engines select it (see loadDocument). */
export interface DocumentRow {
  sha256: string;
  format: ExtractedDocument['format'];
  size: number;
  pipeline_version: string;
  extractor: string | null;
  encoding: string | null;
  pages: number | null;
  report_id: number | null;
  agency: string | null;
  year: number | null;
  template: NonNullable<ExtractedDocument['report']>['template'] | null;
  title: string | null;
  file: string | null;
  source_url: string | null;
  kind: DocumentKind | null;
  kind_code: string | null;
  kind_reason: string | null;
  corrects_title: string | null;
  corrects_agency: string | null;
  corrects_year: number | null;
  /** The stored report a correction corrects (the first of its agency and year), when there is one. */
  corrects_report_id: number | null;
}

/** A finding as stored: keys as JSON text. */
export type StoredFindingRow = Omit<StoredFinding, 'keys' | 'evidence' | 'id'> & {
  keys: string;
  other_report_id: number | null;
  evidence: string | null;
  fid: string | null;
};

/** The findings of a report as assembleDocument reads them (SQLite and PostgreSQL alike). */
export const FINDINGS_OF_REPORT =
  'SELECT rule, severity, keys, expected, actual, message, other_report_id, evidence, fid FROM findings WHERE report_id = ? ORDER BY id';

/** The select list of loadDocument's first query (the same SQL in both engines). */
export const DOCUMENT_COLUMNS = `d.id, d.sha256, d.format, d.size, d.pipeline_version, d.extractor, d.encoding, d.pages,
            r.id AS report_id, r.agency, r.year, r.template, r.title, ${LOCATION_COLUMNS},
            d.kind, d.kind_code, d.kind_reason, d.corrects_title, d.corrects_agency, d.corrects_year,
            (SELECT MIN(c.id) FROM reports c WHERE c.agency = d.corrects_agency AND c.year = d.corrects_year) AS corrects_report_id`;

/** The classification as stored; a correction also gets the id of the stored report it corrects (export only). */
function storedClassification(d: DocumentRow): Classification {
  const c: Classification = { kind: d.kind!, code: d.kind_code ?? '', reason: d.kind_reason ?? '' };
  if (d.corrects_title !== null) {
    c.corrects = { title: d.corrects_title, agency: d.corrects_agency, year: d.corrects_year };
    if (d.corrects_report_id !== null) c.corrects.report_id = Number(d.corrects_report_id);
  }
  return c;
}

/** Rebuilds a stored document in the shape `extract` produced, from its rows (whichever engine read them). */
export function assembleDocument(
  d: DocumentRow,
  messages: readonly MessageRow[],
  fieldRows: readonly FieldRow[],
  findingRows: readonly StoredFindingRow[],
): ExtractedDocument & { report_id?: number } {
  const fields: Record<string, Field> = {};
  const findings: StoredFinding[] = [];
  for (const f of fieldRows) {
    fields[f.key] = { value: f.value, raw: f.raw, confidence: f.confidence, flags: JSON.parse(f.flags), source: JSON.parse(f.source) };
  }
  for (const { other_report_id, keys, evidence, fid, ...f } of findingRows) {
    findings.push({
      ...f,
      keys: JSON.parse(keys),
      ...(other_report_id !== null ? { other_report_id } : {}),
      ...(evidence ? { evidence: JSON.parse(evidence) } : {}),
      ...(fid ? { id: fid } : {}),
    });
  }
  return {
    file: d.file ?? '',
    sha256: d.sha256,
    format: d.format,
    size: d.size,
    report: d.report_id !== null ? { agency: d.agency, year: d.year, template: d.template!, title: d.title } : null,
    ...(d.kind !== null ? { classification: storedClassification(d) } : {}),
    fields,
    findings,
    errors: messages.filter((m) => m.level === 'error').map(toMessage),
    warnings: messages.filter((m) => m.level === 'warning').map(toMessage),
    extractor: d.extractor,
    ...(d.encoding !== null ? { encoding: d.encoding } : {}),
    ...(d.pages !== null ? { pages: d.pages } : {}),
    pipeline_version: d.pipeline_version,
    ...(d.source_url ? { source_url: d.source_url } : {}),
    ...(d.report_id !== null ? { report_id: d.report_id } : {}),
  };
}

/** The stored document behind a report, rebuilt in the shape `extract` produced (fields in key order). */
export function loadDocument(db: DB, documentId: number): ExtractedDocument & { report_id?: number } {
  const d = stmt(db, `SELECT ${DOCUMENT_COLUMNS} FROM documents d LEFT JOIN reports r ON r.document_id = d.id WHERE d.id = ?`).get(
    documentId,
  ) as DocumentRow | undefined;
  if (!d) throw new Error(`no document ${documentId}`);
  const messages = stmt(db, 'SELECT level, code, message, source, place FROM document_messages WHERE document_id = ? ORDER BY rowid').all(
    documentId,
  ) as MessageRow[];
  const fieldRows = d.report_id !== null ? (stmt(db, FIELDS_OF_REPORT).all(d.report_id) as FieldRow[]) : [];
  const findingRows = d.report_id !== null ? (stmt(db, FINDINGS_OF_REPORT).all(d.report_id) as StoredFindingRow[]) : [];
  return assembleDocument(d, messages, fieldRows, findingRows);
}
