import { afterEach, describe, expect, it } from 'vitest';
import { Frontier } from '../../src/crawl/frontier.js';
import { startRun, finishRun } from '../../src/crawl/runs.js';
import { latestContent, recordContent, recordNotModified, recordState } from '../../src/crawl/versions.js';
import { openDatabase, type DB } from '../../src/store/db.js';

let db: DB;
afterEach(() => db?.close());

const item = (url: string, depth = 0, kind: 'listing' | 'report' = 'listing') => ({ url, fetchUrl: url, kind, depth });
const policy = { fresh: false, resumeWithinMs: 3600_000 };

describe('Frontier', () => {
  it('holds a URL once per run, serves reports before listings, and survives a crash', () => {
    db = openDatabase(':memory:');
    const { runId } = startRun(db, ['http://a/'], {}, policy);
    const f = new Frontier(db, runId, { maxDepth: 3, maxListingPages: 10 });
    expect(f.add([item('http://a/l1'), item('http://a/l1'), item('http://a/r1', 1, 'report')])).toBe(2);
    expect(f.add([item('http://a/l1')])).toBe(0);
    expect(f.claim()?.url).toBe('http://a/r1');
    const l1 = f.claim()!;
    expect(l1.url).toBe('http://a/l1');
    expect(f.claim()).toBeUndefined();
    // kill -9 here: the next run puts in-progress items back.
    expect(new Frontier(db, runId).requeueInProgress()).toBe(2);
    expect(f.queued()).toBe(2);
  });

  it('revives a link skipped as too deep when a shorter path finds it', () => {
    db = openDatabase(':memory:');
    const { runId } = startRun(db, ['http://a/'], {}, policy);
    const f = new Frontier(db, runId, { maxDepth: 3, maxListingPages: 10 });
    f.skip([item('http://a/deep', 4)], 'max-depth');
    expect(f.counts().skipped).toBe(1);
    f.add([item('http://a/deep', 2)]);
    expect(f.counts().skipped).toBe(0);
    expect(f.claim()).toMatchObject({ url: 'http://a/deep', depth: 2 });
    // Off-host links stay skipped whatever the depth.
    f.skip([item('http://b/x', 1)], 'off-host');
    f.add([item('http://b/x', 1)]);
    expect(f.counts().skipped).toBe(1);
  });
});

describe('runs', () => {
  it('resumes an unfinished run with the same start URLs, else abandons it and drops its frontier', () => {
    db = openDatabase(':memory:');
    const first = startRun(db, ['http://a/', 'http://b/'], {}, policy);
    new Frontier(db, first.runId).add([item('http://a/x')]);
    const again = startRun(db, ['http://b/', 'http://a/'], {}, policy);
    expect(again).toEqual({ runId: first.runId, resumed: true });
    const fresh = startRun(db, ['http://b/', 'http://a/'], {}, { ...policy, fresh: true });
    expect(fresh).toMatchObject({ resumed: false, abandoned: first.runId });
    expect(db.prepare('SELECT status FROM crawl_runs WHERE id = ?').get(first.runId)).toEqual({ status: 'abandoned' });
    expect(db.prepare('SELECT COUNT(*) AS n FROM crawl_frontier').get()).toEqual({ n: 0 });
    finishRun(db, fresh.runId, 'ok', { new: 1, changed: 0, unchanged: 0, failed: 0, blocked: 0, skipped: 0, pages: 1, bytes: 5 });
    expect(startRun(db, ['http://a/', 'http://b/'], {}, policy).resumed).toBe(false);
  });

  it('does not resume a run older than the window', () => {
    db = openDatabase(':memory:');
    const old = startRun(db, ['http://a/'], {}, policy, new Date(Date.now() - 2 * 3600_000));
    expect(startRun(db, ['http://a/'], {}, policy)).toMatchObject({ resumed: false, abandoned: old.runId });
  });
});

describe('url_versions', () => {
  function doc(sha: string): number {
    return Number(
      db.prepare(`INSERT INTO documents (sha256, size, pipeline_version, processed_at) VALUES (?, 1, '1', 'now')`).run(sha).lastInsertRowid,
    );
  }
  const obs = (sha: string, etag?: string) => ({
    url: 'http://a/r',
    fetchedUrl: 'http://a/r',
    runId: 1,
    httpStatus: 200,
    sha256: sha,
    documentId: doc(sha),
    etag,
  });

  it('adds a row for a new or changed content only, and keeps every old one', () => {
    db = openDatabase(':memory:');
    db.prepare(`INSERT INTO crawl_runs (id, started_at, status, seeds, options) VALUES (1, 'now', 'running', '[]', '{}')`).run();
    expect(recordContent(db, obs('s1', '"e1"'))).toBe('new');
    const same = { url: 'http://a/r', fetchedUrl: 'http://a/r', runId: 1, httpStatus: 200, sha256: 's1', etag: '"e1b"' };
    expect(recordContent(db, same)).toBe('unchanged');
    expect(latestContent(db, 'http://a/r')?.etag).toBe('"e1b"');
    expect(recordNotModified(db, 'http://a/r')?.sha256).toBe('s1');
    expect(recordContent(db, obs('s2'))).toBe('changed');
    const rows = db.prepare('SELECT status, sha256 FROM url_versions ORDER BY id').all();
    expect(rows).toEqual([
      { status: 'new', sha256: 's1' },
      { status: 'changed', sha256: 's2' },
    ]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM url_edits').get()).toEqual({ n: 2 });
  });

  it('records gone and too-large once, and content coming back as restored', () => {
    db = openDatabase(':memory:');
    db.prepare(`INSERT INTO crawl_runs (id, started_at, status, seeds, options) VALUES (1, 'now', 'running', '[]', '{}')`).run();
    const bare = { url: 'http://a/r', fetchedUrl: 'http://a/r', runId: 1, httpStatus: 404 };
    expect(recordState(db, bare, 'gone')).toBe(false); // never had content: just a 404
    recordContent(db, obs('s1'));
    expect(recordState(db, bare, 'gone')).toBe(true);
    expect(recordState(db, bare, 'gone')).toBe(false);
    expect(recordContent(db, { ...bare, httpStatus: 200, sha256: 's1' })).toBe('unchanged');
    expect(
      db
        .prepare('SELECT status FROM url_versions ORDER BY id')
        .all()
        .map((r) => (r as { status: string }).status),
    ).toEqual(['new', 'gone', 'restored']);
    expect(recordState(db, { ...bare, url: 'http://a/huge' }, 'too-large')).toBe(true);
    expect(recordState(db, { ...bare, url: 'http://a/huge' }, 'too-large')).toBe(false);
  });
});
