/**
 * Migration 4: many portals in one crawl, platform API requests, change
 * detection on extracted content.
 * - crawl_frontier: the host of each item (per-host scheduling and counts), the
 *   request of a platform API item (method, body, adapter: JSON), the message of
 *   an error (a portal API that answered 200 with {"success":false,"msg":…}),
 *   and the file name a download announced (Content-Disposition, showname=).
 * - url_versions.content_hash: the hash of the extracted content; a page whose
 *   bytes changed only by noise (view counters, today's date) is no new version.
 * - crawl_hosts: per run and host, what a nightly job needs to see which portals broke.
 */
import type { Migration } from './types.js';

export const migration004: Migration = {
  version: 4,
  name: 'crawl hosts, platform requests, content hash',
  sql: `
ALTER TABLE crawl_frontier ADD COLUMN host TEXT;
ALTER TABLE crawl_frontier ADD COLUMN request TEXT;
ALTER TABLE crawl_frontier ADD COLUMN error_message TEXT;
ALTER TABLE crawl_frontier ADD COLUMN filename TEXT;
CREATE INDEX crawl_frontier_host_queue ON crawl_frontier(run_id, host, state, priority, id);

ALTER TABLE url_versions ADD COLUMN content_hash TEXT;
-- The bytes last seen for this version (a fetch that differed only by page noise moves it).
ALTER TABLE url_versions ADD COLUMN last_sha256 TEXT;

ALTER TABLE crawl_runs ADD COLUMN hosts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN hosts_failing INTEGER NOT NULL DEFAULT 0;

-- One row per host and run (kept across runs: the nightly history of each portal).
CREATE TABLE crawl_hosts (
  run_id      INTEGER NOT NULL REFERENCES crawl_runs(id) ON DELETE CASCADE,
  host        TEXT NOT NULL,
  pages       INTEGER NOT NULL DEFAULT 0,   -- URLs fetched (pages, API requests, documents)
  documents   INTEGER NOT NULL DEFAULT 0,   -- documents stored or confirmed (new + changed + unchanged)
  reports     INTEGER NOT NULL DEFAULT 0,   -- of those, documents that were read as a report
  new         INTEGER NOT NULL DEFAULT 0,
  changed     INTEGER NOT NULL DEFAULT 0,
  failed      INTEGER NOT NULL DEFAULT 0,
  blocked     INTEGER NOT NULL DEFAULT 0,
  skipped     INTEGER NOT NULL DEFAULT 0,
  bytes       INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,                         -- code (and message) of the last failure
  last_error_url TEXT,
  PRIMARY KEY (run_id, host)
) WITHOUT ROWID;
CREATE INDEX crawl_hosts_host ON crawl_hosts(host, run_id);
`,
};
