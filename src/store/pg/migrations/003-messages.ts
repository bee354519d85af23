/**
 * PostgreSQL migration 3: message source and place, content hash, raw bytes
 * (bytea), meta; translated from ../../migrations/003-messages.ts.
 */
import type { Migration } from './types.js';

export const pgMigration003: Migration = {
  version: 3,
  name: 'message source and place, content hash, meta',
  sql: `
ALTER TABLE document_messages ADD COLUMN source text;
ALTER TABLE document_messages ADD COLUMN place text;  -- JSON SourceLocation

ALTER TABLE documents ADD COLUMN content_hash text;

-- The bytes as read, one row per document (content-addressed through documents.sha256).
CREATE TABLE document_bytes (
  document_id bigint PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  bytes       bytea NOT NULL
);

CREATE TABLE ogi_meta (
  key   text PRIMARY KEY,
  value text NOT NULL
);
`,
};
