/**
 * What the ingest service and the cross-report rules need from a store, and
 * the SQLite implementation. The interface is asynchronous so that a
 * networked engine (PostgreSQL) can implement it too; the store is the only
 * layer that knows which engine it is on.
 */
import type { ExtractedDocument, Finding } from '../contract/document.js';
import { openDatabase, stmt, type DB, type OpenOptions } from './db.js';
import {
  findDocument,
  indexPendingText,
  loadBytes,
  loadDocument,
  saveBytes,
  saveDocument,
  touchLocation,
  type DocumentRecord,
  type Location,
  type SaveStatus,
  type StoredDocument,
} from './documents.js';
import {
  crossReportCandidates,
  fieldsOfReport,
  replaceRuleFindings,
  urlEdits,
  type ReportCandidate,
  type StoredField,
  type UrlEdit,
} from './cross-report.js';
import {
  documentMessages,
  findingReviews,
  listFindings,
  markFinding,
  type DocumentMessageRow,
  type FindingReview,
  type FindingRow,
  type ReviewDecision,
} from './review.js';
import {
  errorLines,
  findingLines,
  iterateReports,
  NON_REPORT_IDS,
  readQuery,
  reportFields,
  search,
  summary,
  type ErrorLine,
  type FieldRow,
  type FindingLine,
  type ReportRow,
  type SearchHit,
  type Summary,
} from './queries.js';

export type { DocumentRecord, Location, SaveStatus, StoredDocument } from './documents.js';
export type { ReportCandidate, StoredField, UrlContentVersion, UrlEdit } from './cross-report.js';
export type { DocumentMessageRow, FindingReview, FindingRow, LocatedCell, ReviewDecision } from './review.js';
export type { ErrorLine, FieldRow, FindingLine, ReportRow, SearchHit, Summary } from './queries.js';
export { QueryError } from './queries.js';

/** A finding of a cross-report rule: on `reportId`, involving `otherReportId`. */
export interface CrossReportFinding extends Finding {
  reportId: number;
  otherReportId: number;
}

export interface DocumentStore {
  /** 'sqlite' or 'postgres': for messages only; callers never branch on it. */
  readonly engine: string;
  /** Where the data lives (a path or a URL without password), for messages. */
  readonly name: string;
  findDocument(sha256: string): Promise<StoredDocument | undefined>;
  touchLocation(documentId: number, loc: Location): Promise<void>;
  /** Stores one document in its own transaction. */
  saveDocument(record: DocumentRecord, loc: Location): Promise<{ id: number; status: SaveStatus }>;
  /** A stored document in the contract's shape (plus report_id and source_url). */
  loadDocument(documentId: number): Promise<ExtractedDocument>;
  /** Keeps the raw bytes of a stored document (a document stored before bytes were kept). */
  saveBytes(documentId: number, bytes: Uint8Array): Promise<void>;
  /** The raw bytes of a document, when they were kept. */
  loadBytes(documentId: number): Promise<Uint8Array | undefined>;
  /** Reports with an agency, a year and table-3 fields, oldest processed first. */
  crossReportCandidates(): Promise<ReportCandidate[]>;
  /** The fields of one report whose key starts with one of the prefixes. */
  fieldsOfReport(reportId: number, prefixes: readonly string[]): Promise<Record<string, StoredField>>;
  /** Replaces every finding of a cross-report rule in one transaction (with their stable ids); returns how many were stored. */
  replaceRuleFindings(rule: string, findings: readonly CrossReportFinding[]): Promise<number>;
  /** The post-batch step's derived data: indexes the texts stored since the last call for search; returns how many. */
  indexText(): Promise<number>;

  // Reading back (ogi report, export, query, search).
  /** Counts by format, error, year and rule (ogi report, the end of ogi ingest). */
  summary(): Promise<Summary>;
  /** Every report with its document, oldest document first, read a page at a time (constant memory). */
  reports(): AsyncIterable<ReportRow>;
  /** Ids of the documents read as something other than a report (notices, 图解, corrections …), oldest first. */
  nonReportIds(): Promise<number[]>;
  /** The fields of one report as stored (flags and source as JSON text), in key order. */
  reportFields(reportId: number): Promise<FieldRow[]>;
  /** Findings with their report's agency, year and first location (ogi report --findings). */
  findingLines(rule: string | undefined, limit: number): Promise<FindingLine[]>;
  /** Documents stored with an error code (ogi report --errors). */
  errorLines(limit: number): Promise<ErrorLine[]>;
  /** Runs one read-only SQL statement that returns rows (ogi query); a refused or failing statement throws QueryError. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Full-text search over titles and text (ogi search). */
  search(text: string, limit: number): Promise<SearchHit[]>;

  // The review workbench (ogi review, export --findings, silent-edit).
  /** Every URL version the crawler marked 'changed', with the content version before it (silent-edit). */
  urlEdits(): Promise<UrlEdit[]>;
  /** Every finding with its report, locations, cells and review state, by agency, year and rule. */
  listFindings(): Promise<FindingRow[]>;
  /** A document's errors and warnings, in stored order. */
  documentMessages(documentId: number): Promise<DocumentMessageRow[]>;
  /** Reviewers' decisions by finding id. */
  findingReviews(): Promise<Map<string, FindingReview>>;
  /** Records a decision on a finding (by its stable id); false when there is no such finding. */
  markFinding(findingId: string, decision: ReviewDecision, note: string | null): Promise<boolean>;
  close(): Promise<void>;
}

export class SqliteStore implements DocumentStore {
  readonly engine = 'sqlite';

  constructor(readonly db: DB) {}

  static open(path: string, options: OpenOptions = {}): SqliteStore {
    return new SqliteStore(openDatabase(path, options));
  }

  get name(): string {
    return this.db.name;
  }

  async findDocument(sha256: string): Promise<StoredDocument | undefined> {
    return findDocument(this.db, sha256);
  }

  async touchLocation(documentId: number, loc: Location): Promise<void> {
    this.db.transaction(() => touchLocation(this.db, documentId, loc)).immediate();
  }

  async saveDocument(record: DocumentRecord, loc: Location): Promise<{ id: number; status: SaveStatus }> {
    return saveDocument(this.db, record, loc);
  }

  async loadDocument(documentId: number): Promise<ExtractedDocument> {
    return loadDocument(this.db, documentId);
  }

  async saveBytes(documentId: number, bytes: Uint8Array): Promise<void> {
    saveBytes(this.db, documentId, bytes);
  }

  async loadBytes(documentId: number): Promise<Uint8Array | undefined> {
    return loadBytes(this.db, documentId);
  }

  async crossReportCandidates(): Promise<ReportCandidate[]> {
    return crossReportCandidates(this.db);
  }

  async fieldsOfReport(reportId: number, prefixes: readonly string[]): Promise<Record<string, StoredField>> {
    return fieldsOfReport(this.db, reportId, prefixes);
  }

  async replaceRuleFindings(rule: string, findings: readonly CrossReportFinding[]): Promise<number> {
    return replaceRuleFindings(this.db, rule, findings);
  }

  async summary(): Promise<Summary> {
    return summary(this.db);
  }

  async *reports(): AsyncIterable<ReportRow> {
    yield* iterateReports(this.db);
  }

  async nonReportIds(): Promise<number[]> {
    return stmt(this.db, NON_REPORT_IDS).pluck().all() as number[];
  }

  async reportFields(reportId: number): Promise<FieldRow[]> {
    return reportFields(this.db, reportId);
  }

  async findingLines(rule: string | undefined, limit: number): Promise<FindingLine[]> {
    return findingLines(this.db, rule, limit);
  }

  async errorLines(limit: number): Promise<ErrorLine[]> {
    return errorLines(this.db, limit);
  }

  async query(sql: string): Promise<Record<string, unknown>[]> {
    return readQuery(this.db, sql);
  }

  async indexText(): Promise<number> {
    return indexPendingText(this.db);
  }

  async search(text: string, limit: number): Promise<SearchHit[]> {
    return search(this.db, text, limit);
  }

  async urlEdits(): Promise<UrlEdit[]> {
    return urlEdits(this.db);
  }

  async listFindings(): Promise<FindingRow[]> {
    return listFindings(this.db);
  }

  async documentMessages(documentId: number): Promise<DocumentMessageRow[]> {
    return documentMessages(this.db, documentId);
  }

  async findingReviews(): Promise<Map<string, FindingReview>> {
    return findingReviews(this.db);
  }

  async markFinding(findingId: string, decision: ReviewDecision, note: string | null): Promise<boolean> {
    return markFinding(this.db, findingId, decision, note);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
