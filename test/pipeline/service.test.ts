/**
 * The ingest service: one path for files and crawls. Workers read, one writer
 * stores, a stop is never stored, limits are outcomes that are read again,
 * and cross-report rules run once after the batch.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IngestService, type Submission } from '../../src/pipeline/service.js';
import { openDatabase } from '../../src/store/db.js';
import { SqliteStore } from '../../src/store/store.js';
import { randomReport, renderHtml, renderText } from '../generate/synth/index.js';
import { ROOT } from '../helpers/gold.js';
import { slowPdf } from './slow-pdf.js';

const CORPUS = [
  'corpus/000_97b5ed2afefa8716.txt',
  'corpus/kewei-2024-source.md',
  'corpus/shanghai_office_2019.html',
  'corpus/hzq2023_working.pdf',
  'corpus/pingtan_2019_80576_page.txt',
  'corpus/pingtan_2020_80595_page.txt',
  'test/fixtures/docx/form2021-filled.docx',
  'test/fixtures/pdf/encrypted.pdf',
];

function fileSubmission(rel: string): Submission {
  return { bytes: readFileSync(join(ROOT, rel)), name: rel, location: join(ROOT, rel), kind: 'file' };
}

const services: IngestService[] = [];
function service(store: SqliteStore, options: ConstructorParameters<typeof IngestService>[1] = {}): IngestService {
  const s = new IngestService(store, options);
  services.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
});

const count = (store: SqliteStore, table: string) => store.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

describe('IngestService', () => {
  it('stores every document in the writer’s own database, :memory: included (workers never write)', async () => {
    const store = new SqliteStore(openDatabase(':memory:'));
    const s = service(store, { workers: 2 });
    const outcomes = await Promise.all(CORPUS.map((f) => s.submit(fileSubmission(f))));
    expect(outcomes.map((o) => o.status)).toEqual(CORPUS.map(() => 'new'));
    expect(count(store, 'documents')).toBe(CORPUS.length);
    expect(outcomes.find((o) => o.errorCode === 'pdf-encrypted')).toBeDefined();
    expect(outcomes.filter((o) => o.hasReport)).toHaveLength(7);
    // Every stored report came with its fields, and an extracted document with its content hash.
    expect(count(store, 'fields')).toBeGreaterThan(1000);
    expect(outcomes.filter((o) => o.hasReport).every((o) => /^[0-9a-f]{64}$/.test(o.contentHash ?? ''))).toBe(true);
  });

  it('reads the same bytes once when they are submitted twice at the same time, and records both locations', async () => {
    const store = new SqliteStore(openDatabase(':memory:'));
    const s = service(store, { workers: 1 });
    const a = fileSubmission('corpus/shanghai_office_2019.html');
    const [x, y] = await Promise.all([s.submit(a), s.submit({ ...a, location: '/elsewhere/copy.html' })]);
    expect([x.status, y.status].sort()).toEqual(['new', 'unchanged']);
    expect(x.documentId).toBe(y.documentId);
    expect(count(store, 'documents')).toBe(1);
    expect(count(store, 'document_locations')).toBe(2);
    // Submitted again later: known content, only the location is touched.
    expect((await s.submit(a)).status).toBe('unchanged');
  });

  for (const workers of [2, 0]) {
    it(`a stop in the middle of a read stores nothing, and the next run reads the document (${workers ? 'worker pool' : 'inline'})`, async () => {
      const store = new SqliteStore(openDatabase(':memory:'));
      const stop = new AbortController();
      const s = service(store, { workers, signal: stop.signal });
      const slow = { bytes: slowPdf(300, 'stop'), name: 'slow.pdf', location: '/in/slow.pdf', kind: 'file' as const };
      const started = Date.now();
      const pending = s.submit(slow);
      setTimeout(() => stop.abort(new Error('SIGTERM')), 600);
      const out = await pending;
      expect(out.status).toBe('stopped');
      expect(out.documentId).toBeNull();
      // Cancelled, not read to the end (the whole read takes seconds).
      expect(Date.now() - started).toBeLessThan(2600 + 600);
      expect(count(store, 'documents')).toBe(0);
      // A stopped service takes nothing more.
      expect((await s.submit(fileSubmission('corpus/000_97b5ed2afefa8716.txt'))).status).toBe('stopped');

      const next = service(store, { workers });
      const again = await next.submit(slow);
      expect(again.status).toBe('new');
      expect(again.errorCode).toBeNull();
      expect(count(store, 'documents')).toBe(1);
    });
  }

  it('a document over its time limit is stored as timeout and read again by the next run', async () => {
    const store = new SqliteStore(openDatabase(':memory:'));
    const slow = { bytes: slowPdf(300, 'timeout'), name: 'slow.pdf', location: '/in/slow.pdf', kind: 'file' as const };
    const first = await service(store, { workers: 1, documentTimeoutMs: 300 }).submit(slow);
    expect(first).toMatchObject({ status: 'new', errorCode: 'timeout' });
    const msg = store.db.prepare('SELECT message FROM document_messages WHERE document_id = ?').pluck().get(first.documentId) as string;
    expect(msg).toMatch(/longer than 300 ms \(--doc-timeout-ms 300\)/);
    const second = await service(store, { workers: 1 }).submit(slow);
    expect(second).toMatchObject({ status: 'reprocessed', errorCode: null, documentId: first.documentId });
  });

  it('a worker that runs out of heap leaves an out-of-memory outcome, and the pool reads the next document', async () => {
    const store = new SqliteStore(openDatabase(':memory:'));
    // 16 MB cannot hold pdf.js and a 300-page document.
    const s = service(store, { workers: 1, workerMemoryMb: 16 });
    const out = await s.submit({ bytes: slowPdf(300, 'oom'), name: 'big.pdf', location: '/in/big.pdf', kind: 'file' });
    expect(out.errorCode).toMatch(/^(out-of-memory|extract-crashed)$/);
    const next = await s.submit(fileSubmission('corpus/000_97b5ed2afefa8716.txt'));
    expect(next).toMatchObject({ status: 'new', errorCode: null, hasReport: true });
  });

  it('keeps each document’s raw bytes as evidence, backfills them for a document stored without, and can be told not to', async () => {
    const store = new SqliteStore(openDatabase(':memory:'));
    const a = fileSubmission('corpus/hzq2023_working.pdf');
    const out = await service(store, { workers: 0 }).submit(a);
    expect(Buffer.from((await store.loadBytes(out.documentId!))!).equals(a.bytes)).toBe(true);

    const bare = new SqliteStore(openDatabase(':memory:'));
    const b = fileSubmission('corpus/000_97b5ed2afefa8716.txt');
    const first = await service(bare, { workers: 0, keepBytes: false }).submit(b);
    expect(await bare.loadBytes(first.documentId!)).toBeUndefined();
    // Seen again by a service that keeps bytes: known content, and now its bytes too.
    expect((await service(bare, { workers: 0 }).submit(b)).status).toBe('unchanged');
    expect(Buffer.from((await bare.loadBytes(first.documentId!))!).equals(b.bytes)).toBe(true);
  });

  it('finish() runs the cross-report rules once, over everything stored, pointing at both reports', async () => {
    const store = new SqliteStore(openDatabase(':memory:'));
    const s = service(store, { workers: 0 });
    const agency = '示范市测试局';
    const y1 = randomReport(101, { template: '2021', year: 2022, agency, blankForZero: false, scale: 'medium' });
    const y2 = randomReport(202, { template: '2021', year: 2023, agency, blankForZero: false, scale: 'medium' });
    const a = await s.submit({ bytes: renderHtml(y2, 'official').bytes, name: 'a-2023.html', location: '/a-2023.html', kind: 'file' });
    const b = await s.submit({ bytes: renderText(y1, 'cells-per-line').bytes, name: 'b-2022.txt', location: '/b-2022.txt', kind: 'file' });
    expect(count(store, 'findings WHERE rule = "carryover"'.replace(/"/g, "'"))).toBe(0);
    const counts = await s.finish();
    expect(counts.carryover).toBeGreaterThan(0);
    const rows = store.db
      .prepare(
        `SELECT r.document_id AS doc, o.document_id AS other FROM findings f JOIN reports r ON r.id = f.report_id
         JOIN reports o ON o.id = f.other_report_id WHERE f.rule = 'carryover'`,
      )
      .all() as { doc: number; other: number }[];
    expect(rows.length).toBe(counts.carryover);
    expect(rows.every((r) => r.doc === a.documentId && r.other === b.documentId)).toBe(true);
    // Idempotent: a second pass replaces, never duplicates.
    expect((await s.finish()).carryover).toBe(counts.carryover);
    expect(count(store, "findings WHERE rule = 'carryover'")).toBe(counts.carryover);
  });

  it('finish() indexes the batch’s texts for search; before it, search finds them all the same; a re-read replaces its text', async () => {
    const store = new SqliteStore(openDatabase(':memory:'));
    const s = service(store, { workers: 0 });
    const files = ['corpus/shanghai_office_2019.html', 'corpus/000_97b5ed2afefa8716.txt'];
    const ids = (await Promise.all(files.map((f) => s.submit(fileSubmission(f))))).map((o) => o.documentId);
    expect(count(store, 'document_text')).toBe(0);
    expect(count(store, 'document_text_pending')).toBe(2);
    // Not yet indexed: a trigram search and a short one both scan the waiting texts.
    const word = '政府信息公开';
    const hits = async () => (await store.search(word, 10)).map((h) => h.document_id).sort();
    expect(await hits()).toEqual([...ids].sort());
    expect((await store.search('公开', 10)).length).toBe(2);
    await s.finish();
    expect(count(store, 'document_text_pending')).toBe(0);
    expect(count(store, 'document_text')).toBe(2);
    expect(await hits()).toEqual([...ids].sort());
    expect((await store.search(word, 10)).every((h) => h.snippet?.includes('[政府信息'))).toBe(true);
    // Re-read under another pipeline version: its indexed text goes, the new one waits, one hit each.
    store.db.prepare("UPDATE documents SET pipeline_version = 'old' WHERE id = ?").run(ids[0]);
    expect((await s.submit(fileSubmission(files[0]))).status).toBe('reprocessed');
    expect(count(store, 'document_text')).toBe(1);
    expect(count(store, 'document_text_pending')).toBe(1);
    expect(await hits()).toEqual([...ids].sort());
    await s.finish();
    expect(await hits()).toEqual([...ids].sort());
  });
});

describe('the time limit grows with the work a document needs', async () => {
  const { engineStatus } = await import('../../extractors/ocr/tesseract.js');
  const engine = await engineStatus();
  const { ExtractionPool } = await import('../../src/pipeline/pool.js');
  const { readDocument } = await import('../../src/pipeline/read.js');
  // The reader and the pool take bytes and a name; a submission's resolver is the service's business.
  const fileInput = (rel: string) => ({ bytes: readFileSync(join(ROOT, rel)), name: rel });
  const scanned = () => fileInput('test/fixtures/ocr/filled-150.pdf');

  it.skipIf(!engine.ok)(
    'the PDF reader asks for 20 s per scanned page before it starts OCR',
    async () => {
      const asked: number[] = [];
      const out = await readDocument(scanned(), { extendTime: (ms) => asked.push(ms) });
      expect(out.doc.errors).toEqual([]);
      expect(asked).toEqual([4 * 20_000]);
      // A text PDF asks for nothing.
      const text: number[] = [];
      await readDocument(fileInput('corpus/hzq2023_working.pdf'), { extendTime: (ms) => text.push(ms) });
      expect(text).toEqual([]);
    },
    240_000,
  );

  it.skipIf(!engine.ok)(
    'the pool grants it: OCR that takes longer than the limit still ends read, not timed out',
    async () => {
      // Inline, so that no worker start-up counts against the limit; the modules are loaded by the read above.
      const pool = new ExtractionPool({ threads: 0, documentTimeoutMs: 1500 });
      try {
        const started = Date.now();
        const r = await pool.run(scanned());
        expect(r.kind).toBe('read');
        if (r.kind !== 'read') return;
        // Four pages of tesseract take longer than 1.5 s on any machine: the limit must have grown.
        expect(Date.now() - started).toBeGreaterThan(1500);
        expect(r.out.doc.errors).toEqual([]);
        expect(r.out.doc.report).not.toBeNull();
      } finally {
        await pool.close();
      }
    },
    240_000,
  );
});
