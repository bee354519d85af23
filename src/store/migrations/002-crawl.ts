/**
 * Migration 2: the crawler's tables. The frontier is durable so that a killed
 * crawl resumes; url_versions keeps every content a URL ever served, because
 * silent edits after publication are evidence.
 */
import type { Migration } from './types.js';

export const migration002: Migration = {
  version: 2,
  name: 'crawl runs, frontier, url versions, links, lock',
  sql: `
-- One row per \`ogi crawl\` run, with its summary. A killed run stays 'running'
-- until the next run resumes it (same start URLs) or abandons it.
CREATE TABLE crawl_runs (
  id          INTEGER PRIMARY KEY,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  status      TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'interrupted', 'abandoned')),
  seeds       TEXT NOT NULL,           -- JSON array of the canonical start URLs
  options     TEXT NOT NULL,           -- JSON of the effective options
  pid         INTEGER,
  host        TEXT,
  resumed     INTEGER NOT NULL DEFAULT 0,
  new         INTEGER NOT NULL DEFAULT 0,
  changed     INTEGER NOT NULL DEFAULT 0,
  unchanged   INTEGER NOT NULL DEFAULT 0,
  failed      INTEGER NOT NULL DEFAULT 0,
  blocked     INTEGER NOT NULL DEFAULT 0,
  skipped     INTEGER NOT NULL DEFAULT 0,
  pages       INTEGER NOT NULL DEFAULT 0,
  bytes       INTEGER NOT NULL DEFAULT 0,
  error       TEXT
);

-- The queue of the current (or interrupted) run. Rows of finished runs are
-- deleted when the next run starts; the history lives in url_versions.
CREATE TABLE crawl_frontier (
  id            INTEGER PRIMARY KEY,   -- FIFO order within a priority
  run_id        INTEGER NOT NULL REFERENCES crawl_runs(id) ON DELETE CASCADE,
  url           TEXT NOT NULL,         -- canonical URL: the identity of the item
  fetch_url     TEXT NOT NULL,         -- what is requested (canonical, but keeps index.html)
  kind          TEXT NOT NULL CHECK (kind IN ('start', 'listing', 'report', 'attachment')),
  depth         INTEGER NOT NULL,
  listing_page  INTEGER NOT NULL DEFAULT 0,  -- pagination hops: bounds endless listings
  redirects     INTEGER NOT NULL DEFAULT 0,
  referrer      TEXT,                  -- the page that linked it
  anchor        TEXT,                  -- the link text
  priority      INTEGER NOT NULL DEFAULT 1,
  state         TEXT NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'in_progress', 'done', 'failed', 'blocked', 'skipped')),
  outcome       TEXT,                  -- new | changed | unchanged | page | redirect
  http_status   INTEGER,
  error         TEXT,                  -- stable code: http-404, timeout, too-large, robots, off-host …
  bytes         INTEGER NOT NULL DEFAULT 0,
  document_id   INTEGER REFERENCES documents(id) ON DELETE SET NULL,
  redirect_to   TEXT,
  discovered_at TEXT NOT NULL,
  fetched_at    TEXT,
  UNIQUE (run_id, url)
);
CREATE INDEX crawl_frontier_queue ON crawl_frontier(run_id, state, priority, id);

-- Every state a URL was seen in, append-only. A new row only when something
-- changed: first content ('new'), other content ('changed': the old document
-- stays), gone (404/410 after content), back with its last content ('restored')
-- or too large to download.
CREATE TABLE url_versions (
  id              INTEGER PRIMARY KEY,
  url             TEXT NOT NULL,       -- canonical URL
  fetched_url     TEXT NOT NULL,       -- the URL as requested (= document_locations.location)
  status          TEXT NOT NULL CHECK (status IN ('new', 'changed', 'restored', 'gone', 'too-large')),
  sha256          TEXT,
  document_id     INTEGER REFERENCES documents(id) ON DELETE SET NULL,
  http_status     INTEGER,
  etag            TEXT,
  last_modified   TEXT,
  content_type    TEXT,
  bytes           INTEGER,
  fetched_at      TEXT NOT NULL,       -- when this version was first seen
  last_checked_at TEXT NOT NULL,       -- last time the server confirmed it (304 or same bytes)
  run_id          INTEGER REFERENCES crawl_runs(id) ON DELETE SET NULL
);
CREATE INDEX url_versions_url ON url_versions(url, id);
CREATE INDEX url_versions_document ON url_versions(document_id);

-- The links the crawler followed (and redirects). Lets a nightly run revisit
-- the attachments of a page the server answered 304 for.
CREATE TABLE crawl_links (
  from_url   TEXT NOT NULL,
  to_url     TEXT NOT NULL,
  kind       TEXT NOT NULL,            -- listing | report | attachment | redirect
  anchor     TEXT,
  first_seen TEXT NOT NULL,
  last_seen  TEXT NOT NULL,
  PRIMARY KEY (from_url, to_url)
) WITHOUT ROWID;
CREATE INDEX crawl_links_to ON crawl_links(to_url);

-- At most one crawl per database. A holder whose process is gone (same host)
-- or whose heartbeat is old is taken over.
CREATE TABLE crawl_lock (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  run_id       INTEGER,
  pid          INTEGER NOT NULL,
  host         TEXT NOT NULL,
  started_at   TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL
);

-- The newest version of every URL.
CREATE VIEW url_latest AS
SELECT v.* FROM url_versions v
WHERE v.id = (SELECT MAX(id) FROM url_versions w WHERE w.url = v.url);

-- URLs whose content changed after it was first fetched: one row per version.
CREATE VIEW url_edits AS
SELECT v.url, v.id AS version_id, v.status, v.sha256, v.document_id, v.fetched_at, v.last_checked_at
FROM url_versions v
WHERE v.url IN (SELECT url FROM url_versions WHERE status = 'changed')
ORDER BY v.url, v.id;
`,
};
