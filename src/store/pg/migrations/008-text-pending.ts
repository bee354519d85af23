/**
 * PostgreSQL migration 8: SQLite's texts waiting for the search index
 * (../../migrations/008-text-pending.ts) have no counterpart here: the pg_trgm
 * GIN indexes take each text as it is inserted. The number is kept so both
 * engines stay at the same schema version; it records that choice.
 */
import type { Migration } from './types.js';

export const pgMigration008: Migration = {
  version: 8,
  name: 'texts waiting for the search index',
  sql: `
COMMENT ON TABLE document_text IS 'searched through its pg_trgm indexes, which take each text as it is inserted (SQLite fills its index after each batch instead)';
`,
};
