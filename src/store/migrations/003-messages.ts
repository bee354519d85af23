/**
 * Migration 3: messages keep the stage that raised them and the place they
 * apply to (vfile-style); documents keep a hash of their extracted content,
 * so that a page whose view counter changed is not a new version, and their
 * raw bytes (evidence: the review site crops pages from them, and a silent
 * edit can be shown byte for byte); ogi_meta holds facts about derived
 * objects (the wide views' definition).
 */
import type { Migration } from './types.js';

export const migration003: Migration = {
  version: 3,
  name: 'message source and place, content hash, meta',
  sql: `
ALTER TABLE document_messages ADD COLUMN source TEXT;
ALTER TABLE document_messages ADD COLUMN place TEXT;  -- JSON SourceLocation

ALTER TABLE documents ADD COLUMN content_hash TEXT;

-- The bytes as read, one row per document (content-addressed through documents.sha256).
CREATE TABLE document_bytes (
  document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  bytes       BLOB NOT NULL
);

CREATE TABLE ogi_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
};
