/**
 * Migration 1: the core tables and the text index. Plain literal SQL: a
 * shipped migration never changes. The wide views (t2_disclosure …) are
 * derived from the field list and rebuilt on open (../views.ts); before
 * that rule this migration built them from the live field list.
 */
import type { Migration } from './types.js';

export const migration001: Migration = {
  version: 1,
  name: 'documents, reports, fields, findings, text index',
  sql: `
CREATE TABLE documents (
  id               INTEGER PRIMARY KEY,
  sha256           TEXT NOT NULL UNIQUE,
  format           TEXT,
  size             INTEGER NOT NULL,
  pipeline_version TEXT NOT NULL,
  extractor        TEXT,
  encoding         TEXT,
  pages            INTEGER,
  error_code       TEXT,
  error_message    TEXT,
  processed_at     TEXT NOT NULL
);
CREATE INDEX documents_error ON documents(error_code) WHERE error_code IS NOT NULL;

-- Every path or URL a document was seen at. Same content at two places is one document.
CREATE TABLE document_locations (
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  location    TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('file', 'url')),
  referrer    TEXT,
  first_seen  TEXT NOT NULL,
  last_seen   TEXT NOT NULL,
  PRIMARY KEY (document_id, location)
);
CREATE INDEX document_locations_location ON document_locations(location);

-- Errors (fatal for the document) and warnings (it was still read).
CREATE TABLE document_messages (
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  level       TEXT NOT NULL CHECK (level IN ('error', 'warning')),
  code        TEXT NOT NULL,
  message     TEXT NOT NULL
);
CREATE INDEX document_messages_document ON document_messages(document_id);

CREATE TABLE reports (
  id          INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL UNIQUE REFERENCES documents(id) ON DELETE CASCADE,
  agency      TEXT,
  year        INTEGER,
  template    TEXT NOT NULL,
  title       TEXT
);
CREATE INDEX reports_agency_year ON reports(agency, year);

CREATE TABLE fields (
  report_id  INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  key        TEXT NOT NULL,
  value      REAL,
  raw        TEXT NOT NULL,
  confidence REAL NOT NULL,
  flags      TEXT NOT NULL DEFAULT '[]',
  source     TEXT NOT NULL,
  PRIMARY KEY (report_id, key)
) WITHOUT ROWID;

CREATE TABLE findings (
  id        INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  rule      TEXT NOT NULL,
  severity  TEXT NOT NULL,
  keys      TEXT NOT NULL,
  expected  REAL,
  actual    REAL,
  message   TEXT NOT NULL,
  -- For cross-report rules: the other report involved.
  other_report_id INTEGER REFERENCES reports(id) ON DELETE CASCADE
);
CREATE INDEX findings_report ON findings(report_id);
CREATE INDEX findings_rule ON findings(rule);

-- Full text of every extracted document; rowid = documents.id. Trigram: Chinese has no spaces.
CREATE VIRTUAL TABLE document_text USING fts5(title, body, tokenize = 'trigram');
`,
};
