/**
 * Nightly change detection on what a report says: report pages whose view
 * counter (访问次数, 浏览量), today's date and session token change on every
 * request are no new versions on a second night; a real edit still is. The
 * bytes of every fetch are still stored (each distinct content is a document),
 * but a report is stored once per extracted content.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCrawl } from '../../src/crawl/run.js';
import { openDatabase, type DB } from '../../src/store/db.js';
import { FAST, tempDb } from './helpers/crawl.js';
import { startPortal, type Portal } from './portal.js';

let portal: Portal;
let db: DB;
const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
const OPTS = { ...FAST, render: 'never' as const };

beforeAll(async () => {
  portal = await startPortal({ plain: true, reports: 8, noise: true });
  db = openDatabase(tempDb());
});
afterAll(async () => {
  db?.close();
  await portal?.close();
});

describe('a second night over an unchanged portal whose pages carry a view counter', () => {
  it('stores 0 new versions, though every report page came back with other bytes', async () => {
    const first = await runCrawl(db, { ...OPTS, startUrls: [`${portal.origin}/`] });
    expect(first.failed).toBe(0);
    const versions = count('SELECT COUNT(*) AS n FROM url_versions');
    const noisy = count(`SELECT COUNT(*) AS n FROM url_versions WHERE url LIKE '%/art/r%' AND content_hash IS NOT NULL`);
    expect(noisy).toBeGreaterThan(3);
    const docs = count('SELECT COUNT(*) AS n FROM documents');
    const reports = count('SELECT COUNT(*) AS n FROM reports');

    portal.resetCounters();
    const second = await runCrawl(db, { ...OPTS, startUrls: [`${portal.origin}/`] });
    expect(second).toMatchObject({ new: 0, changed: 0, failed: 0 });
    expect(count('SELECT COUNT(*) AS n FROM url_versions')).toBe(versions);
    // The noisy pages really were read again (200, other bytes), and their bytes kept.
    const reread = portal.log.filter((r) => /^\/art\/r\d+\.html$/.test(r.path) && r.status === 200);
    expect(reread.length).toBeGreaterThan(3);
    expect(count('SELECT COUNT(*) AS n FROM documents')).toBeGreaterThan(docs);
    // Their reports are not stored again: the same content is one report, the new bytes point to it.
    expect(count('SELECT COUNT(*) AS n FROM reports')).toBe(reports);
    expect(count(`SELECT COUNT(*) AS n FROM document_messages WHERE code = 'same-content'`)).toBe(
      count('SELECT COUNT(*) AS n FROM documents') - docs,
    );
    expect(count(`SELECT COUNT(*) AS n FROM url_versions WHERE last_sha256 IS NOT NULL AND last_sha256 <> sha256`)).toBeGreaterThan(3);
  });

  it('still records a real edit of a noisy page as a new version', async () => {
    portal.changeReport(4);
    const third = await runCrawl(db, { ...OPTS, startUrls: [`${portal.origin}/`] });
    expect(third).toMatchObject({ new: 0, changed: 1 });
    const v = db.prepare('SELECT status FROM url_versions WHERE url = ? ORDER BY id').all(`${portal.origin}/art/r4.html`) as Array<{
      status: string;
    }>;
    expect(v.map((x) => x.status)).toEqual(['new', 'changed']);
  });
});
