/**
 * The DocumentStore on PostgreSQL. The same rows, the same idempotency and
 * the same reads as the SQLite store (../store.ts), safe with any number of
 * processes writing at once:
 * - saveDocument holds an advisory lock on the document's sha256 for its
 *   transaction, so two workers storing the same bytes store them once (the
 *   second finds the first's row and only adds its location);
 * - replaceRuleFindings holds an advisory lock on the rule, so two workers
 *   finishing a batch at once never interleave a delete and an insert.
 */
import type pg from 'pg';
import type { ExtractedDocument } from '../../contract/document.js';
import type { CrossReportFinding, DocumentStore } from '../store.js';
import {
  fieldsOfReportQuery,
  toStoredFields,
  toUrlEdit,
  URL_EDITS,
  type ReportCandidate,
  type StoredField,
  type UrlEdit,
  type UrlEditRow,
} from '../cross-report.js';
import { findingId } from '../../contract/finding-id.js';
import { FINDINGS_WITHOUT_ID, missingFindingIds } from '../finding-ids.js';
import {
  assembleFindings,
  FINDING_REVIEWS,
  LIST_FINDINGS,
  MARK_FINDING,
  reviewMap,
  type DocumentMessageRow,
  type FindingReview,
  type FindingRow,
  type ReviewDecision,
  type StoredCell,
  type StoredFindingListRow,
} from '../review.js';
import {
  assembleDocument,
  DOCUMENT_COLUMNS,
  documentValues,
  FIELDS_OF_REPORT,
  FINDINGS_OF_REPORT,
  INSERT_DOCUMENT,
  isCurrent,
  REPORT_OF_SAME_CONTENT,
  sameContentWarning,
  UPDATE_DOCUMENT,
  type DocumentRecord,
  type DocumentRow,
  type FieldRow,
  type StoredFindingRow,
  type Location,
  type MessageRow,
  type SaveStatus,
  type StoredDocument,
} from '../documents.js';
import {
  buildSummary,
  ERROR_LINES_SQL,
  FINDING_LINES_SQL,
  FIRST_LOCATION,
  NON_REPORT_IDS,
  QueryError,
  REPORT_ROW_SQL,
  type ErrorLine,
  type FindingLine,
  type ReportRow,
  type SearchHit,
  type Summary,
} from '../queries.js';
import { inTransaction, LOCK, lockKeyOfHex, numbered, openPg, redactUrl, type PgClient, type PgOpenOptions, type PgPool } from './db.js';

const pgParam = (n: number) => `$${n}`;

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

const FIND_DOCUMENT = `SELECT d.id, d.pipeline_version, d.error_code, d.format, d.content_hash,
    (EXISTS (SELECT 1 FROM reports r WHERE r.document_id = d.id))::int AS has_report,
    (EXISTS (SELECT 1 FROM document_bytes b WHERE b.document_id = d.id))::int AS has_bytes
  FROM documents d WHERE d.sha256 = $1`;

const TOUCH_LOCATION = `INSERT INTO document_locations (document_id, location, kind, referrer, first_seen, last_seen)
  VALUES ($1, $2, $3, $4, $5, $5)
  ON CONFLICT (document_id, location) DO UPDATE SET last_seen = excluded.last_seen,
    referrer = COALESCE(document_locations.referrer, excluded.referrer)`;

/** Rows per page when exporting: constant memory, few round trips. */
const PAGE = 500;

export class PgStore implements DocumentStore {
  readonly engine = 'postgres';
  readonly name: string;

  private constructor(
    readonly pool: PgPool,
    url: string,
  ) {
    this.name = redactUrl(url);
  }

  /** Connects and migrates (read-write), or checks the schema is current (readonly). */
  static async open(url: string, options: PgOpenOptions = {}): Promise<PgStore> {
    const store = new PgStore(await openPg(url, options), url);
    if (!options.readonly) await store.backfillFindingIds();
    return store;
  }

  /** Gives findings stored before ids existed (migration 5) their stable id. */
  private async backfillFindingIds(): Promise<void> {
    const ids = missingFindingIds((await this.pool.query(FINDINGS_WITHOUT_ID)).rows);
    if (!ids.length) return;
    await this.pool.query('UPDATE findings f SET fid = u.fid FROM unnest($1::text[], $2::bigint[]) AS u(fid, id) WHERE f.id = u.id', [
      ids.map(([fid]) => fid),
      ids.map(([, id]) => id),
    ]);
  }

  async findDocument(sha256: string): Promise<StoredDocument | undefined> {
    return (await this.pool.query(FIND_DOCUMENT, [sha256])).rows[0];
  }

  async touchLocation(documentId: number, loc: Location): Promise<void> {
    await this.pool.query(TOUCH_LOCATION, [documentId, loc.location, loc.kind, loc.referrer ?? null, new Date().toISOString()]);
  }

  async saveDocument(record: DocumentRecord, loc: Location): Promise<{ id: number; status: SaveStatus }> {
    const { doc, text, contentHash, bytes } = record;
    return inTransaction(this.pool, async (c) => {
      // Serialises writers of the same content; the reads below see what the previous holder committed.
      await c.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK.document, lockKeyOfHex(doc.sha256)]);
      // And writers of the same extracted content: its report is stored once (REPORT_OF_SAME_CONTENT).
      if (contentHash && /^[0-9a-f]{8}/.test(contentHash))
        await c.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK.content, lockKeyOfHex(contentHash)]);
      const now = new Date().toISOString();
      const existing: StoredDocument | undefined = (await c.query(FIND_DOCUMENT, [doc.sha256])).rows[0];
      const touch = (id: number) => c.query(TOUCH_LOCATION, [id, loc.location, loc.kind, loc.referrer ?? null, now]);
      if (isCurrent(existing, doc)) {
        await touch(existing!.id);
        return { id: existing!.id, status: 'unchanged' as const };
      }
      const row = documentValues(doc, contentHash, now);
      let id: number;
      if (existing) {
        id = existing.id;
        await c.query(numbered(UPDATE_DOCUMENT), [...row, id]);
        await c.query('DELETE FROM reports WHERE document_id = $1', [id]);
        await c.query('DELETE FROM document_messages WHERE document_id = $1', [id]);
        await c.query('DELETE FROM document_text WHERE document_id = $1', [id]);
      } else {
        id = (await c.query(`${numbered(INSERT_DOCUMENT)} RETURNING id`, [...row, doc.sha256])).rows[0].id;
      }
      await touch(id);

      const same: number | undefined =
        doc.report && contentHash ? (await c.query(numbered(REPORT_OF_SAME_CONTENT), [contentHash, id])).rows[0]?.id : undefined;
      const warnings = same === undefined ? doc.warnings : [...doc.warnings, sameContentWarning(same)];
      // One statement per table (arrays unnested): a document's hundreds of fields cost one round trip.
      const messages = [...doc.errors.map((m) => ['error', m] as const), ...warnings.map((m) => ['warning', m] as const)];
      if (messages.length) {
        await c.query(
          `INSERT INTO document_messages (document_id, level, code, message, source, place)
           SELECT $1::bigint, level, code, message, source, place
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS m(level, code, message, source, place, n) ORDER BY n`,
          [
            id,
            messages.map(([l]) => l),
            messages.map(([, m]) => m.code),
            messages.map(([, m]) => m.message),
            messages.map(([, m]) => m.source ?? null),
            messages.map(([, m]) => json(m.place)),
          ],
        );
      }
      if (doc.report && same === undefined) {
        const r = await c.query(
          'INSERT INTO reports (document_id, agency, year, template, title) VALUES ($1, $2, $3, $4, $5) RETURNING id',
          [id, doc.report.agency, doc.report.year, doc.report.template, doc.report.title],
        );
        const reportId: number = r.rows[0].id;
        const fields = Object.entries(doc.fields);
        if (fields.length) {
          await c.query(
            `INSERT INTO fields (report_id, key, value, raw, confidence, flags, source)
             SELECT $1::bigint, * FROM unnest($2::text[], $3::float8[], $4::text[], $5::float8[], $6::text[], $7::text[])`,
            [
              reportId,
              fields.map(([k]) => k),
              fields.map(([, v]) => v.value),
              fields.map(([, v]) => v.raw),
              fields.map(([, v]) => v.confidence),
              fields.map(([, v]) => JSON.stringify(v.flags)),
              fields.map(([, v]) => JSON.stringify(v.source)),
            ],
          );
        }
        if (doc.findings.length) {
          await c.query(
            `INSERT INTO findings (report_id, rule, severity, keys, expected, actual, message, fid, evidence)
             SELECT $1::bigint, rule, severity, keys, expected, actual, message, fid, evidence
             FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::text[], $8::text[], $9::text[]) WITH ORDINALITY
               AS f(rule, severity, keys, expected, actual, message, fid, evidence, n) ORDER BY n`,
            [
              reportId,
              doc.findings.map((x) => x.rule),
              doc.findings.map((x) => x.severity),
              doc.findings.map((x) => JSON.stringify(x.keys)),
              doc.findings.map((x) => x.expected),
              doc.findings.map((x) => x.actual),
              doc.findings.map((x) => x.message),
              doc.findings.map((x) => findingId(x, doc.sha256, null)),
              doc.findings.map((x) => json(x.evidence)),
            ],
          );
        }
      }
      if (text && (text.title || text.body)) {
        await c.query('INSERT INTO document_text (document_id, title, body) VALUES ($1, $2, $3)', [id, text.title, text.body]);
      }
      if (bytes) await saveBytes(c, id, bytes);
      return { id, status: existing ? ('reprocessed' as const) : ('new' as const) };
    });
  }

  async loadDocument(documentId: number): Promise<ExtractedDocument & { report_id?: number }> {
    const d: DocumentRow | undefined = (
      await this.pool.query(`SELECT ${DOCUMENT_COLUMNS} FROM documents d LEFT JOIN reports r ON r.document_id = d.id WHERE d.id = $1`, [
        documentId,
      ])
    ).rows[0];
    if (!d) throw new Error(`no document ${documentId}`);
    const messages: MessageRow[] = (
      await this.pool.query('SELECT level, code, message, source, place FROM document_messages WHERE document_id = $1 ORDER BY id', [
        documentId,
      ])
    ).rows;
    let fieldRows: FieldRow[] = [];
    let findingRows: StoredFindingRow[] = [];
    if (d.report_id !== null) {
      fieldRows = await this.reportFields(d.report_id);
      findingRows = (await this.pool.query(numbered(FINDINGS_OF_REPORT), [d.report_id])).rows;
    }
    return assembleDocument(d, messages, fieldRows, findingRows);
  }

  async saveBytes(documentId: number, bytes: Uint8Array): Promise<void> {
    const c = await this.pool.connect();
    try {
      await saveBytes(c, documentId, bytes);
    } finally {
      c.release();
    }
  }

  async loadBytes(documentId: number): Promise<Uint8Array | undefined> {
    const r = await this.pool.query('SELECT bytes FROM document_bytes WHERE document_id = $1', [documentId]);
    const b: Buffer | undefined = r.rows[0]?.bytes;
    return b ? new Uint8Array(b.buffer, b.byteOffset, b.length) : undefined;
  }

  async crossReportCandidates(): Promise<ReportCandidate[]> {
    return (
      await this.pool.query(
        `SELECT r.id AS "reportId", r.document_id AS "documentId", r.agency, r.year, r.template, d.processed_at AS "processedAt"
         FROM reports r JOIN documents d ON d.id = r.document_id
         WHERE r.agency IS NOT NULL AND r.year IS NOT NULL
           AND EXISTS (SELECT 1 FROM fields f WHERE f.report_id = r.id AND f.key LIKE 't3.%')
         ORDER BY d.processed_at, r.id`,
      )
    ).rows;
  }

  async fieldsOfReport(reportId: number, prefixes: readonly string[]): Promise<Record<string, StoredField>> {
    const q = fieldsOfReportQuery(reportId, prefixes);
    // COLLATE "C": the key ranges compare code points, as SQLite does.
    return toStoredFields(
      (await this.pool.query(numbered(q.sql.replace(/key ([<>]=?) \?/g, 'key $1 ? COLLATE "C"')), q.params)).rows,
      prefixes,
    );
  }

  async replaceRuleFindings(rule: string, findings: readonly CrossReportFinding[]): Promise<number> {
    return inTransaction(this.pool, async (c) => {
      // Two workers finishing at once: the second waits, then replaces the first's findings (never adds to them).
      await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK.rule, rule]);
      await c.query('DELETE FROM findings WHERE rule = $1 AND other_report_id IS NOT NULL', [rule]);
      if (findings.length) {
        const ids = [...new Set(findings.flatMap((f) => [f.reportId, f.otherReportId]))];
        const shas = new Map<number, string>(
          (
            await c.query('SELECT r.id, d.sha256 FROM reports r JOIN documents d ON d.id = r.document_id WHERE r.id = ANY($1::bigint[])', [
              ids,
            ])
          ).rows.map((r: { id: number; sha256: string }) => [r.id, r.sha256]),
        );
        await c.query(
          `INSERT INTO findings (report_id, rule, severity, keys, expected, actual, message, other_report_id, fid, evidence)
           SELECT report_id, rule, severity, keys, expected, actual, message, other_report_id, fid, evidence
           FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::text[], $8::bigint[], $9::text[], $10::text[])
             WITH ORDINALITY AS f(report_id, rule, severity, keys, expected, actual, message, other_report_id, fid, evidence, n) ORDER BY n`,
          [
            findings.map((f) => f.reportId),
            findings.map((f) => f.rule),
            findings.map((f) => f.severity),
            findings.map((f) => JSON.stringify(f.keys)),
            findings.map((f) => f.expected),
            findings.map((f) => f.actual),
            findings.map((f) => f.message),
            findings.map((f) => f.otherReportId),
            findings.map((f) => findingId(f, shas.get(f.reportId) ?? String(f.reportId), shas.get(f.otherReportId) ?? null)),
            findings.map((f) => json(f.evidence)),
          ],
        );
      }
      return findings.length;
    });
  }

  async urlEdits(): Promise<UrlEdit[]> {
    return ((await this.pool.query(URL_EDITS)).rows as UrlEditRow[]).map(toUrlEdit);
  }

  async listFindings(): Promise<FindingRow[]> {
    const rows: StoredFindingListRow[] = (
      await this.pool.query(
        LIST_FINDINGS.replace(
          /ORDER BY r\.agency, r\.year, f\.rule, f\.id/,
          'ORDER BY r.agency COLLATE "C", r.year, f.rule COLLATE "C", f.id',
        ),
      )
    ).rows;
    // One round trip per report with findings (all its fields), not one per cell.
    const byReport = new Map<number, Map<string, StoredCell>>();
    return assembleFindings(rows, async (reportId, key) => {
      let cells = byReport.get(reportId);
      if (!cells) {
        const r = await this.pool.query('SELECT key, value, raw, confidence, source FROM fields WHERE report_id = $1', [reportId]);
        byReport.set(reportId, (cells = new Map(r.rows.map((x: StoredCell & { key: string }) => [x.key, x]))));
      }
      return cells.get(key);
    });
  }

  async documentMessages(documentId: number): Promise<DocumentMessageRow[]> {
    return (await this.pool.query('SELECT level, code, message FROM document_messages WHERE document_id = $1 ORDER BY id', [documentId]))
      .rows;
  }

  async findingReviews(): Promise<Map<string, FindingReview>> {
    return reviewMap((await this.pool.query(FINDING_REVIEWS)).rows);
  }

  async markFinding(findingId: string, decision: ReviewDecision, note: string | null): Promise<boolean> {
    const r = await this.pool.query(numbered(MARK_FINDING), [findingId, decision, note, new Date().toISOString(), findingId]);
    return (r.rowCount ?? 0) > 0;
  }

  async summary(): Promise<Summary> {
    return buildSummary(async (sql) => (await this.pool.query(sql)).rows);
  }

  /** Pages by document id (keyset): no cursor held open, constant memory. */
  async *reports(): AsyncIterable<ReportRow> {
    let after = 0;
    for (;;) {
      const r = await this.pool.query(`${REPORT_ROW_SQL} WHERE d.id > $1 ORDER BY d.id LIMIT ${PAGE}`, [after]);
      for (const row of r.rows as ReportRow[]) yield row;
      if (r.rows.length < PAGE) return;
      after = r.rows[r.rows.length - 1].document_id;
    }
  }

  async nonReportIds(): Promise<number[]> {
    return (await this.pool.query(NON_REPORT_IDS)).rows.map((r: { id: string | number }) => Number(r.id));
  }

  async reportFields(reportId: number): Promise<FieldRow[]> {
    return (await this.pool.query(numbered(FIELDS_OF_REPORT), [reportId])).rows;
  }

  async findingLines(rule: string | undefined, limit: number): Promise<FindingLine[]> {
    return (await this.pool.query(FINDING_LINES_SQL(pgParam, ' COLLATE "C"'), [rule ?? null, limit])).rows;
  }

  async errorLines(limit: number): Promise<ErrorLine[]> {
    return (await this.pool.query(ERROR_LINES_SQL(pgParam, ' COLLATE "C"'), [limit])).rows;
  }

  /**
   * One statement, in a read-only transaction that is rolled back: the
   * extended protocol refuses several statements, and the transaction refuses writes.
   */
  async query(sql: string): Promise<Record<string, unknown>[]> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN TRANSACTION READ ONLY');
      let r: pg.QueryResult;
      try {
        // queryMode (pg ≥ 8.11, not in @types/pg): the extended protocol even without parameters.
        r = await c.query({ text: sql, queryMode: 'extended' } as pg.QueryConfig);
      } catch (e) {
        throw new QueryError(`SQL error: ${(e as Error).message}`);
      }
      if (!r.fields.length) throw new QueryError('only statements that return rows (SELECT, WITH, TABLE, VALUES) are allowed');
      return r.rows;
    } finally {
      await c.query('ROLLBACK').catch(() => {});
      c.release();
    }
  }

  /** PostgreSQL's trigram indexes are kept up to date by each document's own insert: nothing waits. */
  async indexText(): Promise<number> {
    return 0;
  }

  /**
   * Substring search (case-insensitive) over titles and text. The pg_trgm GIN
   * indexes serve ILIKE for patterns of 3 characters or more; shorter ones scan.
   */
  async search(text: string, limit: number): Promise<SearchHit[]> {
    const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const r = await this.pool.query(
      `SELECT t.document_id, r.agency, r.year, ${FIRST_LOCATION('t.document_id')} AS location,
         CASE WHEN p.pos > 0 THEN
           CASE WHEN p.pos > 13 THEN '…' ELSE '' END || substr(t.body, greatest(1, p.pos - 12), least(p.pos - 1, 12))
           || '[' || substr(t.body, p.pos, $3) || ']' || substr(t.body, p.pos + $3, 12) || '…'
         ELSE substr(t.body, 1, 60) END AS snippet
       FROM document_text t
       LEFT JOIN reports r ON r.document_id = t.document_id
       CROSS JOIN LATERAL (SELECT strpos(lower(t.body), lower($4)) AS pos) p
       WHERE t.body ILIKE $1 OR t.title ILIKE $1
       ORDER BY t.document_id LIMIT $2`,
      [pattern, limit, [...text].length, text],
    );
    return r.rows;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

async function saveBytes(c: PgClient, documentId: number, bytes: Uint8Array): Promise<void> {
  await c.query(
    'INSERT INTO document_bytes (document_id, bytes) VALUES ($1, $2) ON CONFLICT (document_id) DO UPDATE SET bytes = excluded.bytes',
    [documentId, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)],
  );
}
