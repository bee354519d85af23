/**
 * What the crawler remembers across runs: every version a URL served
 * (url_versions, append-only) and the links it followed (crawl_links).
 * A new version row only when something changed, so a nightly run that finds
 * nothing new adds nothing but last_checked_at timestamps.
 */
import type { DB } from '../db.js';

export type VersionStatus = 'new' | 'changed' | 'restored' | 'gone' | 'too-large';

export interface UrlVersion {
  id: number;
  url: string;
  fetched_url: string;
  status: VersionStatus;
  sha256: string | null;
  content_hash: string | null;
  last_sha256: string | null;
  document_id: number | null;
  http_status: number | null;
  etag: string | null;
  last_modified: string | null;
  fetched_at: string;
  last_checked_at: string;
}

/** The newest row for a URL, whatever its status. */
export function latestVersion(db: DB, url: string): UrlVersion | undefined {
  return db.prepare('SELECT * FROM url_versions WHERE url = ? ORDER BY id DESC LIMIT 1').get(url) as UrlVersion | undefined;
}

/** The newest row that had content: its validators drive conditional requests. */
export function latestContent(db: DB, url: string): UrlVersion | undefined {
  return db.prepare('SELECT * FROM url_versions WHERE url = ? AND sha256 IS NOT NULL ORDER BY id DESC LIMIT 1').get(url) as
    | UrlVersion
    | undefined;
}

export interface Observed {
  url: string;
  fetchedUrl: string;
  runId: number;
  httpStatus: number;
  sha256?: string;
  /** Hash of the extracted content (src/pipeline/content-hash.ts): decides "changed" when both versions have one. */
  contentHash?: string | null;
  documentId?: number;
  etag?: string;
  lastModified?: string;
  contentType?: string;
  bytes?: number;
}

/** Same content: the same bytes, or (when both are known) the same extracted content with other page noise. */
export function sameContent(v: UrlVersion, o: Observed): boolean {
  if (v.sha256 === o.sha256 || (v.last_sha256 !== null && v.last_sha256 === o.sha256)) return true;
  return !!o.contentHash && v.content_hash === o.contentHash;
}

/**
 * Records content just downloaded. Returns 'new' (first content of the URL),
 * 'changed' (other content than its last: a new row, the old one stays) or
 * 'unchanged' (same content: only the validators, last_sha256 and
 * last_checked_at move). Content is compared by its extracted-content hash
 * when both sides have one, so a view counter or today's date in the page is
 * no new version; otherwise by the bytes.
 */
export function recordContent(db: DB, o: Observed, now = new Date().toISOString()): 'new' | 'changed' | 'unchanged' {
  return db.transaction(() => {
    const last = latestVersion(db, o.url);
    const lastContent = last?.sha256 ? last : latestContent(db, o.url);
    if (last && last.sha256 && sameContent(last, o)) {
      db.prepare(
        `UPDATE url_versions SET last_checked_at = ?, etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified),
           last_sha256 = COALESCE(?, last_sha256), content_hash = COALESCE(content_hash, ?)
         WHERE id = ?`,
      ).run(now, o.etag ?? null, o.lastModified ?? null, o.sha256 ?? null, o.contentHash ?? null, last.id);
      return 'unchanged' as const;
    }
    if (lastContent && sameContent(lastContent, o)) {
      // Back after being gone (or too large) with the same bytes: a new state, not an edit.
      insertVersion(db, o, 'restored', now);
      return 'unchanged' as const;
    }
    const status = lastContent ? ('changed' as const) : ('new' as const);
    insertVersion(db, o, status, now);
    return status;
  })();
}

/** A 304: the last content is confirmed; refresh validators the server sent. */
export function recordNotModified(
  db: DB,
  url: string,
  etag?: string,
  lastModified?: string,
  now = new Date().toISOString(),
): UrlVersion | undefined {
  const v = latestContent(db, url);
  if (!v) return undefined;
  db.prepare(
    `UPDATE url_versions SET last_checked_at = ?, etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified) WHERE id = ?`,
  ).run(now, etag ?? null, lastModified ?? null, v.id);
  return v;
}

/** A state without content (gone, too-large): a new row only when the last row says otherwise. */
export function recordState(db: DB, o: Observed, status: 'gone' | 'too-large', now = new Date().toISOString()): boolean {
  return db.transaction(() => {
    const last = latestVersion(db, o.url);
    if (status === 'gone' && !last) return false; // never had content: a plain 404, not a removal
    if (last && last.status === status) {
      db.prepare('UPDATE url_versions SET last_checked_at = ? WHERE id = ?').run(now, last.id);
      return false;
    }
    insertVersion(db, o, status, now);
    return true;
  })();
}

function insertVersion(db: DB, o: Observed, status: VersionStatus, now: string): void {
  db.prepare(
    `INSERT INTO url_versions (url, fetched_url, status, sha256, document_id, http_status, etag, last_modified,
       content_type, bytes, fetched_at, last_checked_at, run_id, content_hash, last_sha256)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(...versionValues(o, status, now));
}

/** A url_versions row's values, in the column order both engines insert. */
export function versionValues(o: Observed, status: VersionStatus, now: string): Array<string | number | null> {
  return [
    o.url,
    o.fetchedUrl,
    status,
    o.sha256 ?? null,
    o.documentId ?? null,
    o.httpStatus,
    o.etag ?? null,
    o.lastModified ?? null,
    o.contentType ?? null,
    o.bytes ?? null,
    now,
    now,
    o.runId,
    o.contentHash ?? null,
    o.sha256 ?? null,
  ];
}

export interface LinkRow {
  to_url: string;
  kind: string;
  anchor: string | null;
}

export function recordLinks(db: DB, fromUrl: string, links: Array<{ to: string; kind: string; anchor?: string }>): void {
  if (links.length === 0) return;
  const now = new Date().toISOString();
  const stmt = db.prepare(
    `INSERT INTO crawl_links (from_url, to_url, kind, anchor, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (from_url, to_url) DO UPDATE SET last_seen = excluded.last_seen, kind = excluded.kind,
       anchor = COALESCE(excluded.anchor, crawl_links.anchor)`,
  );
  db.transaction(() => {
    for (const l of links) stmt.run(fromUrl, l.to, l.kind, l.anchor ?? null, now, now);
  })();
}

/** The links followed from a page last time it was read (for a page answered 304). */
export function linksFrom(db: DB, fromUrl: string): LinkRow[] {
  return db
    .prepare('SELECT to_url, kind, anchor FROM crawl_links WHERE from_url = ? ORDER BY first_seen, to_url')
    .all(fromUrl) as LinkRow[];
}

/**
 * Every URL whose last known state is content, with the page that first linked it:
 * a nightly run revisits them even when no page links them any more, so removals
 * (404 → 'gone') and edits of unlisted reports are noticed too.
 */
export function knownDocuments(db: DB): Array<{ url: string; fetched_url: string; referrer: string | null }> {
  return db
    .prepare(
      `SELECT v.url, v.fetched_url,
         (SELECT referrer FROM document_locations l WHERE l.location = v.fetched_url AND l.referrer IS NOT NULL LIMIT 1) AS referrer
       FROM url_versions v
       WHERE v.id = (SELECT MAX(id) FROM url_versions w WHERE w.url = v.url) AND v.status IN ('new', 'changed', 'restored')
       ORDER BY v.id`,
    )
    .all() as Array<{ url: string; fetched_url: string; referrer: string | null }>;
}
