/**
 * Migration 6: documents found by their extracted content. A page fetched
 * again with only its noise changed (a view counter, today's date) is a new
 * document (other bytes) with the same content_hash; its report is stored
 * once, with the first such document (saveDocument looks it up here).
 */
import type { Migration } from './types.js';

export const migration006: Migration = {
  version: 6,
  name: 'content hash index',
  sql: `
CREATE INDEX documents_content_hash ON documents(content_hash) WHERE content_hash IS NOT NULL;
`,
};
