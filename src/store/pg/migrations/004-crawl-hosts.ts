/**
 * PostgreSQL migration 4: many portals in one crawl, platform API requests,
 * change detection on extracted content; translated from
 * ../../migrations/004-crawl-hosts.ts (rules in 001-core.ts).
 */
import type { Migration } from './types.js';

export const pgMigration004: Migration = {
  version: 4,
  name: 'crawl hosts, platform requests, content hash',
  sql: `
ALTER TABLE crawl_frontier ADD COLUMN host text;
ALTER TABLE crawl_frontier ADD COLUMN request text;
ALTER TABLE crawl_frontier ADD COLUMN error_message text;
ALTER TABLE crawl_frontier ADD COLUMN filename text;
CREATE INDEX crawl_frontier_host_queue ON crawl_frontier(run_id, host, state, priority, id);

ALTER TABLE url_versions ADD COLUMN content_hash text;
-- The bytes last seen for this version (a fetch that differed only by page noise moves it).
ALTER TABLE url_versions ADD COLUMN last_sha256 text;

ALTER TABLE crawl_runs ADD COLUMN hosts integer NOT NULL DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN hosts_failing integer NOT NULL DEFAULT 0;

-- One row per host and run (kept across runs: the nightly history of each portal).
CREATE TABLE crawl_hosts (
  run_id         bigint NOT NULL REFERENCES crawl_runs(id) ON DELETE CASCADE,
  host           text NOT NULL,
  pages          integer NOT NULL DEFAULT 0,
  documents      integer NOT NULL DEFAULT 0,
  reports        integer NOT NULL DEFAULT 0,
  new            integer NOT NULL DEFAULT 0,
  changed        integer NOT NULL DEFAULT 0,
  failed         integer NOT NULL DEFAULT 0,
  blocked        integer NOT NULL DEFAULT 0,
  skipped        integer NOT NULL DEFAULT 0,
  bytes          bigint NOT NULL DEFAULT 0,
  last_error     text,
  last_error_url text,
  PRIMARY KEY (run_id, host)
);
CREATE INDEX crawl_hosts_host ON crawl_hosts(host, run_id);
`,
};
