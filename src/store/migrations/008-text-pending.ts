import type { Migration } from './types.js';

/**
 * The search index is derived data, filled after each batch. Indexing each
 * document's trigrams in its own transaction cost a third of the writer's
 * time (FTS5 writes and merges a segment per commit); one insert of the
 * batch's texts costs a third of that. Texts wait here until the post-batch
 * step moves them into document_text; `ogi search` also scans them, so a
 * search during a run (or after a run that never reached its end) misses nothing.
 */
export const migration008: Migration = {
  version: 8,
  name: 'texts waiting for the search index',
  sql: `
CREATE TABLE document_text_pending (
  document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  title       TEXT NOT NULL,
  body        TEXT NOT NULL
);
`,
};
