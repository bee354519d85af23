/**
 * PostgreSQL migration 7: what each document is (issue 13). Only an annual disclosure
 * report has a `reports` row; a notice, a 图解, a correction, another kind of
 * report or an unrelated page is kept as a document with its kind and the
 * reason (translated from ../../migrations/007-classification.ts). A correction names the report it corrects (title, agency, year);
 * the `corrections` view links it to that report where one is stored.
 */
import type { Migration } from './types.js';

export const pgMigration007: Migration = {
  version: 7,
  name: 'document classification',
  sql: `
-- report | notice | interpretation | correction | other-report | unrelated; NULL: unread (an error) or stored by an older ogi.
ALTER TABLE documents ADD COLUMN kind text;
-- The evidence that decided it (README "Reports and other documents"), and why in words.
ALTER TABLE documents ADD COLUMN kind_code text;
ALTER TABLE documents ADD COLUMN kind_reason text;
-- A correction: the report it corrects, as its title names it.
ALTER TABLE documents ADD COLUMN corrects_title text;
ALTER TABLE documents ADD COLUMN corrects_agency text;
ALTER TABLE documents ADD COLUMN corrects_year integer;
CREATE INDEX documents_kind ON documents(kind);

-- A crawl's pages that were stored but read as no report (they are evidence), per host and run.
ALTER TABLE crawl_hosts ADD COLUMN non_reports integer NOT NULL DEFAULT 0;

-- Each correction with the stored report(s) of the agency and year it names (none yet: report_id NULL).
CREATE VIEW corrections AS
SELECT d.id AS document_id, d.corrects_title, d.corrects_agency, d.corrects_year,
       r.id AS report_id, r.document_id AS report_document_id
FROM documents d
LEFT JOIN reports r ON r.agency = d.corrects_agency AND r.year = d.corrects_year
WHERE d.kind = 'correction';
`,
};
