/**
 * PostgreSQL migration 6: documents found by their extracted content;
 * translated from ../../migrations/006-content-index.ts.
 */
import type { Migration } from './types.js';

export const pgMigration006: Migration = {
  version: 6,
  name: 'content hash index',
  sql: `
CREATE INDEX documents_content_hash ON documents(content_hash) WHERE content_hash IS NOT NULL;
`,
};
