/**
 * A report is stored once per extracted content: a second document whose
 * content_hash equals a stored report's (a page fetched again with only its
 * view counter changed) is kept as a document, with the warning
 * `same-content` naming the first, and no report of its own. On both engines.
 */
import { describe, expect, it } from 'vitest';
import type { ExtractedDocument } from '../../src/contract/document.js';
import { openDatabase } from '../../src/store/db.js';
import { PgStore } from '../../src/store/pg/store.js';
import { SqliteStore, type DocumentStore } from '../../src/store/store.js';
import { freshDatabase, PG_URL } from '../helpers/pg.js';

function doc(sha: string): ExtractedDocument {
  return {
    file: `/x/${sha}.html`,
    sha256: sha.padEnd(64, '0'),
    format: 'html',
    size: 10,
    report: { agency: '某局', year: 2023, template: '2021', title: null },
    fields: {
      't3.new.total': { value: 5, raw: '5', confidence: 0.99, flags: [], source: { method: 'html-table', table: 1, row: 2, col: 3 } },
    },
    findings: [],
    errors: [],
    warnings: [],
    extractor: 'html',
    pipeline_version: 't',
  };
}

async function check(store: DocumentStore): Promise<void> {
  const hash = 'c'.repeat(64);
  const loc = (n: string) => ({ location: `http://x/${n}`, kind: 'url' as const });
  const a = await store.saveDocument({ doc: doc('a1'), text: null, contentHash: hash }, loc('a'));
  const b = await store.saveDocument({ doc: doc('b2'), text: null, contentHash: hash }, loc('a'));
  const c = await store.saveDocument({ doc: doc('c3'), text: null, contentHash: 'd'.repeat(64) }, loc('c'));
  expect([a.status, b.status, c.status]).toEqual(['new', 'new', 'new']);
  const reports = [];
  for await (const r of store.reports()) reports.push(r.document_id);
  expect(reports).toEqual([a.id, c.id]);
  const second = await store.loadDocument(b.id);
  expect(second.report).toBeNull();
  expect(second.warnings.map((w) => w.code)).toEqual(['same-content']);
  expect(second.warnings[0].message).toContain(`document ${a.id}`);
  // Read again by a new pipeline version: still one report for the content.
  await store.saveDocument({ doc: { ...doc('a1'), pipeline_version: 'u' }, text: null, contentHash: hash }, loc('a'));
  await store.saveDocument({ doc: { ...doc('b2'), pipeline_version: 'u' }, text: null, contentHash: hash }, loc('a'));
  const again = [];
  for await (const r of store.reports()) again.push(r.document_id);
  expect(again.sort()).toEqual([a.id, c.id].sort());
}

describe('one report per extracted content', () => {
  it('SQLite', async () => {
    const store = new SqliteStore(openDatabase(':memory:'));
    await check(store);
    await store.close();
  });
  it.skipIf(!PG_URL)('PostgreSQL', async () => {
    const store = await PgStore.open(await freshDatabase('ogi_same'));
    try {
      await check(store);
    } finally {
      await store.close();
    }
  });
});
