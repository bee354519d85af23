/**
 * Migration 5: what the review workbench needs. A finding keeps a stable id
 * (src/contract/finding-id.ts: rule, contents, cells; row ids change every
 * time cross-report rules are recomputed) and the location of its evidence
 * (JSON, FindingEvidence); reviewers' decisions live apart from the findings,
 * keyed by that stable id, so they survive a recompute.
 * (Number 4 is reserved for the crawl migration landing beside this one.)
 */
import type { Migration } from './types.js';

export const migration005: Migration = {
  version: 5,
  name: 'finding ids and evidence, finding reviews',
  sql: `
ALTER TABLE findings ADD COLUMN fid TEXT;
ALTER TABLE findings ADD COLUMN evidence TEXT;  -- JSON FindingEvidence
CREATE INDEX findings_fid ON findings(fid);
CREATE INDEX findings_other_report ON findings(other_report_id) WHERE other_report_id IS NOT NULL;

-- One decision per finding (the latest): confirmed, or dismissed as a false alarm.
CREATE TABLE finding_reviews (
  fid         TEXT PRIMARY KEY,
  decision    TEXT NOT NULL CHECK (decision IN ('confirmed', 'dismissed')),
  note        TEXT,
  reviewed_at TEXT NOT NULL
);
`,
};
