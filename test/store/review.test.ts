/**
 * Findings keep a stable id across everything that rewrites them (a document
 * read again by a new pipeline version, cross-report rules recomputed), so a
 * reviewer's decision stays attached; findings stored before ids existed get
 * theirs on open; url edits pair each changed version with the one before.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExtractedDocument, Field, Finding } from '../../src/contract/document.js';
import { findingId } from '../../src/contract/finding-id.js';
import { openDatabase } from '../../src/store/db.js';
import { SqliteStore } from '../../src/store/store.js';

const field = (value: number): Field => ({
  value,
  raw: String(value),
  confidence: 0.99,
  flags: [],
  source: { method: 'html-table', table: 2, row: 3, col: 9 },
});

function doc(sha: string, version: string, findings: Finding[], year = 2023): ExtractedDocument {
  return {
    file: `/x/${sha}.html`,
    sha256: sha.padEnd(64, '0'),
    format: 'html',
    size: 10,
    report: { agency: '某局', year, template: '2021', title: null },
    fields: { 't4.review.total': field(0), 't4.review.upheld': field(3), 't3.new.total': field(5), 't3.carried_over.total': field(1) },
    findings,
    errors: [],
    warnings: [],
    extractor: 'html',
    pipeline_version: version,
  };
}

const T4: Finding = {
  rule: 't4-sum',
  severity: 'error',
  keys: ['t4.review.upheld', 't4.review.total'],
  expected: 3,
  actual: 0,
  message: 'x',
};

describe('finding ids and reviews', () => {
  it('a document read again by another pipeline version keeps its findings’ ids, and their reviews', async () => {
    const store = new SqliteStore(openDatabase(':memory:'));
    await store.saveDocument({ doc: doc('a', '1', [T4]), text: null, contentHash: null }, { location: '/x/a.html', kind: 'file' });
    const [f] = await store.listFindings();
    expect(f.id).toBe(findingId(T4, 'a'.padEnd(64, '0'), null));
    expect(await store.markFinding(f.id, 'confirmed', 'seen')).toBe(true);
    const saved = await store.saveDocument(
      { doc: doc('a', '2', [T4]), text: null, contentHash: null },
      { location: '/x/a.html', kind: 'file' },
    );
    expect(saved.status).toBe('reprocessed');
    const [g] = await store.listFindings();
    expect(g.id).toBe(f.id);
    expect(g.review).toMatchObject({ decision: 'confirmed', note: 'seen' });
    expect(g.cells.map((c) => [c.key, c.source.table])).toEqual([
      ['t4.review.upheld', 2],
      ['t4.review.total', 2],
    ]);
    await store.close();
  });

  it('cross-report findings keep their id when recomputed; a text finding’s id depends on where its sentence is', async () => {
    const store = new SqliteStore(openDatabase(':memory:'));
    const a = await store.saveDocument({ doc: doc('a', '1', [], 2022), text: null, contentHash: null }, { location: 'a', kind: 'file' });
    const b = await store.saveDocument({ doc: doc('b', '1', [], 2023), text: null, contentHash: null }, { location: 'b', kind: 'file' });
    const [ra, rb] = [(await store.loadDocument(a.id)).report_id!, (await store.loadDocument(b.id)).report_id!];
    const cross = { ...T4, rule: 'carryover', reportId: rb, otherReportId: ra };
    await store.replaceRuleFindings('carryover', [cross]);
    const [first] = (await store.listFindings()).filter((f) => f.rule === 'carryover');
    await store.markFinding(first.id, 'dismissed', null);
    await store.replaceRuleFindings('carryover', [cross]);
    const [again] = (await store.listFindings()).filter((f) => f.rule === 'carryover');
    expect(again.id).toBe(first.id);
    expect(again.review?.decision).toBe('dismissed');
    const text = (block: number): Finding => ({
      ...T4,
      rule: 'text-vs-table',
      evidence: { text: { sentence: 's', block, chars: [0, 1], number: [0, 1], stated: 1 } },
    });
    expect(findingId(text(1), 'a', null)).not.toBe(findingId(text(2), 'a', null));
    await store.close();
  });

  it('findings stored before ids existed get them when the database is opened', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ogi-fid-')), 'db.sqlite');
    const db = openDatabase(path);
    const store = new SqliteStore(db);
    return store
      .saveDocument({ doc: doc('c', '1', [T4]), text: null, contentHash: null }, { location: 'c', kind: 'file' })
      .then(async () => {
        db.prepare('UPDATE findings SET fid = NULL').run();
        db.close();
        const again = new SqliteStore(openDatabase(path));
        const [f] = await again.listFindings();
        expect(f.id).toBe(findingId(T4, 'c'.padEnd(64, '0'), null));
        await again.close();
      });
  });

  it('url edits: each changed version with the content version before it', async () => {
    const db = openDatabase(':memory:');
    const store = new SqliteStore(db);
    const ids: number[] = [];
    for (const s of ['a', 'b', 'c'])
      ids.push((await store.saveDocument({ doc: doc(s, '1', []), text: null, contentHash: `h${s}` }, { location: 'u', kind: 'url' })).id);
    db.prepare(`INSERT INTO crawl_runs (started_at, status, seeds, options) VALUES ('2025-01-01', 'ok', '[]', '{}')`).run();
    const v = db.prepare(
      `INSERT INTO url_versions (url, fetched_url, status, sha256, document_id, fetched_at, last_checked_at, run_id) VALUES ('u', 'u', ?, ?, ?, ?, ?, 1)`,
    );
    v.run('new', 'a', ids[0], '2025-01-01', '2025-01-01');
    v.run('changed', 'b', ids[1], '2025-02-01', '2025-02-01');
    v.run('gone', null, null, '2025-03-01', '2025-03-01');
    v.run('changed', 'c', ids[2], '2025-04-01', '2025-04-01');
    const edits = await store.urlEdits();
    expect(edits.map((e) => [e.before.documentId, e.after.documentId, e.before.fetchedAt, e.after.fetchedAt])).toEqual([
      [ids[0], ids[1], '2025-01-01', '2025-02-01'],
      [ids[1], ids[2], '2025-02-01', '2025-04-01'],
    ]);
    expect(edits[0].after.contentHash).toBe('hb');
    expect(edits[0].after.reportId).not.toBeNull();
    await store.close();
  });
});
