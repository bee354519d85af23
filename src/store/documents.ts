/**
 * Writing processed documents. One transaction per document; content-addressed
 * by sha256 + pipeline version, so writing the same result twice changes nothing.
 */
import { stmt, type DB } from './db.js';
import type { ExtractedDocument } from '../contract/document.js';

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
}

/** Errors that say more about the run than the document (a timeout, a crashed reader): such documents are read again. */
export function isTransientError(code: string | null): boolean {
  return code === 'timeout' || code === 'extract-crashed';
}

export type SaveStatus = 'new' | 'reprocessed' | 'unchanged';

export function findDocument(db: DB, sha256: string): StoredDocument | undefined {
  return stmt(db, 'SELECT id, pipeline_version, error_code, format FROM documents WHERE sha256 = ?').get(sha256) as
    | StoredDocument
    | undefined;
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

/**
 * Stores a processed document with its report, fields, findings and text.
 * Same sha256 and pipeline version: only the location is touched.
 * Same sha256, other version: the old rows are replaced (the document id is kept).
 */
export function saveDocument(db: DB, doc: ExtractedDocument, loc: Location, text: DocumentText | null): { id: number; status: SaveStatus } {
  return db
    .transaction(() => {
      const now = new Date().toISOString();
      const existing = findDocument(db, doc.sha256);
      if (existing && existing.pipeline_version === doc.pipeline_version && !isTransientError(existing.error_code)) {
        touchLocation(db, existing.id, loc, now);
        return { id: existing.id, status: 'unchanged' as const };
      }
      const firstError = doc.errors[0];
      const row = [
        doc.format,
        doc.size,
        doc.pipeline_version,
        doc.extractor,
        doc.encoding ?? null,
        doc.pages ?? null,
        firstError?.code ?? null,
        firstError?.message ?? null,
        now,
      ];
      let id: number;
      if (existing) {
        id = existing.id;
        stmt(
          db,
          `UPDATE documents SET format = ?, size = ?, pipeline_version = ?, extractor = ?, encoding = ?, pages = ?,
           error_code = ?, error_message = ?, processed_at = ? WHERE id = ?`,
        ).run(...row, id);
        stmt(db, 'DELETE FROM reports WHERE document_id = ?').run(id);
        stmt(db, 'DELETE FROM document_messages WHERE document_id = ?').run(id);
        stmt(db, 'DELETE FROM document_text WHERE rowid = ?').run(id);
      } else {
        id = Number(
          stmt(
            db,
            `INSERT INTO documents (format, size, pipeline_version, extractor, encoding, pages, error_code, error_message, processed_at, sha256)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(...row, doc.sha256).lastInsertRowid,
        );
      }
      touchLocation(db, id, loc, now);

      const msg = stmt(db, 'INSERT INTO document_messages (document_id, level, code, message) VALUES (?, ?, ?, ?)');
      for (const e of doc.errors) msg.run(id, 'error', e.code, e.message);
      for (const w of doc.warnings) msg.run(id, 'warning', w.code, w.message);

      if (doc.report) {
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
          'INSERT INTO findings (report_id, rule, severity, keys, expected, actual, message) VALUES (?, ?, ?, ?, ?, ?, ?)',
        );
        for (const x of doc.findings) {
          fi.run(reportId, x.rule, x.severity, JSON.stringify(x.keys), x.expected, x.actual, x.message);
        }
      }
      if (text && (text.title || text.body)) {
        stmt(db, 'INSERT INTO document_text (rowid, title, body) VALUES (?, ?, ?)').run(id, text.title, text.body);
      }
      return { id, status: existing ? ('reprocessed' as const) : ('new' as const) };
      // IMMEDIATE: several connections (ingest workers) write; a deferred read-then-write could fail to upgrade.
    })
    .immediate();
}
