/**
 * PostgreSQL migration 5: finding ids and evidence, finding reviews;
 * translated from ../../migrations/005-review.ts (rules in 001-core.ts).
 */
import type { Migration } from './types.js';

export const pgMigration005: Migration = {
  version: 5,
  name: 'finding ids and evidence, finding reviews',
  sql: `
ALTER TABLE findings ADD COLUMN fid text;
ALTER TABLE findings ADD COLUMN evidence text;  -- JSON FindingEvidence
CREATE INDEX findings_fid ON findings(fid);
CREATE INDEX findings_other_report ON findings(other_report_id) WHERE other_report_id IS NOT NULL;

-- One decision per finding (the latest): confirmed, or dismissed as a false alarm.
CREATE TABLE finding_reviews (
  fid         text PRIMARY KEY,
  decision    text NOT NULL CHECK (decision IN ('confirmed', 'dismissed')),
  note        text,
  reviewed_at text NOT NULL
);
`,
};
