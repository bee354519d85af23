import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { expectedFields, renderHtml, renderRunTogether, renderText, type HtmlLayout, type TextLayout } from '../generate/synth/index.js';
import { measureAccuracy, type WrongCell } from '../bench/accuracy.js';
import { generateCorpus, manifestReport, type ManifestEntry } from '../bench/generate-corpus.js';
import { toRows } from '../bench/optional.js';
import { lastJsonLine, runMeasured } from '../bench/proc.js';

const tmp = mkdtempSync(join(tmpdir(), 'ogi-synth-bench-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const corpusDir = join(tmp, 'corpus-60');
const info = generateCorpus(corpusDir, 60, 3);
const entries = readFileSync(info.manifest, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as ManifestEntry);

function walk(d: string): string[] {
  return readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
}

describe('generateCorpus', () => {
  it('writes N files, one manifest line each, outside the corpus directory', () => {
    expect(walk(corpusDir)).toHaveLength(60);
    expect(entries).toHaveLength(60);
    expect(info.manifest.startsWith(corpusDir + '/')).toBe(false);
    expect(info.html + info.txt).toBe(60);
    expect(new Set(entries.map((e) => e.file)).size).toBe(60);
    expect(Object.values(info.byLayout).reduce((a, b) => a + b, 0)).toBe(60);
    expect(Object.keys(info.byLayout).length).toBeGreaterThan(6);
  });

  it('each file is exactly the rendering of the report its manifest line regenerates', () => {
    for (const e of entries) {
      const { report } = manifestReport(e);
      const f =
        e.layout === 'run-together'
          ? renderRunTogether(report)
          : ['cells-per-line', 'tabs', 'spaces', 'markdown'].includes(e.layout)
            ? renderText(report, e.layout as TextLayout)
            : renderHtml(report, e.layout as HtmlLayout);
      expect(Buffer.from(f.bytes).equals(readFileSync(join(corpusDir, e.file))), e.file).toBe(true);
    }
  });

  it('breaks identities in some reports and records the findings they must produce', () => {
    const broken = entries.filter((e) => e.broken);
    expect(broken.length).toBeGreaterThan(0);
    for (const e of broken) expect(manifestReport(e).findings.every((f) => f.rule === e.broken)).toBe(true);
    for (const e of entries.filter((x) => !x.broken)) expect(manifestReport(e).findings).toEqual([]);
  });

  it('is reproducible from its seed', () => {
    const again = generateCorpus(join(tmp, 'again'), 60, 3);
    expect(readFileSync(again.manifest, 'utf8')).toBe(readFileSync(info.manifest, 'utf8'));
  });
});

describe('measureAccuracy', () => {
  /** A database with just the tables and columns the scorer reads. */
  function fakeDb(path: string, store: (db: Database.Database, reportId: number, e: ManifestEntry) => void): void {
    const db = new Database(path);
    db.exec(`CREATE TABLE document_locations (document_id INTEGER, location TEXT);
      CREATE TABLE reports (id INTEGER PRIMARY KEY, document_id INTEGER);
      CREATE TABLE fields (report_id INTEGER, key TEXT, value REAL, confidence REAL);
      CREATE TABLE findings (report_id INTEGER, rule TEXT, keys TEXT);`);
    // One transaction: thousands of autocommits would fsync each row.
    db.transaction(() =>
      entries.forEach((e, i) => {
        db.prepare('INSERT INTO document_locations VALUES (?, ?)').run(i + 1, resolve(join(corpusDir, e.file)));
        db.prepare('INSERT INTO reports VALUES (?, ?)').run(i + 1, i + 1);
        store(db, i + 1, e);
      }),
    )();
    db.close();
  }
  const insertField = (db: Database.Database, id: number, key: string, value: number | null, conf: number): void => {
    db.prepare('INSERT INTO fields VALUES (?, ?, ?, ?)').run(id, key, value, conf);
  };

  it('scores a perfect store as all correct with every finding found', () => {
    const path = join(tmp, 'perfect.sqlite');
    fakeDb(path, (db, id, e) => {
      const { report, findings } = manifestReport(e);
      for (const [k, v] of Object.entries(expectedFields(report))) insertField(db, id, k, v, 0.99);
      for (const f of findings) db.prepare('INSERT INTO findings VALUES (?, ?, ?)').run(id, f.rule, JSON.stringify([...f.keys].reverse()));
    });
    const rows = measureAccuracy(path, corpusDir, info.manifest, 0.9);
    const sum = (
      k: 'expected' | 'correct' | 'missing' | 'wrong' | 'findingsExpected' | 'findingsFound' | 'spuriousFindings' | 'docs' | 'withReport',
    ): number => rows.reduce((s, r) => s + r[k], 0);
    expect(sum('docs')).toBe(60);
    expect(sum('withReport')).toBe(60);
    expect(sum('correct')).toBe(sum('expected'));
    expect([sum('missing'), sum('wrong'), sum('spuriousFindings')]).toEqual([0, 0, 0]);
    expect(sum('findingsFound')).toBe(sum('findingsExpected'));
  });

  it('counts missing, wrong, confident-wrong and spurious findings', () => {
    const path = join(tmp, 'flawed.sqlite');
    const first = entries[0];
    fakeDb(path, (db, id, e) => {
      if (e !== first) return; // the other reports store nothing: all missing
      const fields = Object.entries(expectedFields(manifestReport(e).report));
      fields.forEach(([k, v], i) => {
        if (i === 0)
          insertField(db, id, k, (v ?? 0) + 1, 0.95); // confident wrong
        else if (i === 1)
          insertField(db, id, k, (v ?? 0) + 1, 0.2); // wrong, low confidence
        else if (i === 2)
          return; // missing
        else insertField(db, id, k, v, 0.99);
      });
      db.prepare('INSERT INTO findings VALUES (?, ?, ?)').run(id, 't4-sum', '["t4.review.total"]');
      db.prepare('INSERT INTO findings VALUES (?, ?, ?)').run(id, 'carryover', '["t3.carried_over.total"]');
    });
    const wrong: WrongCell[] = [];
    const rows = measureAccuracy(path, corpusDir, info.manifest, 0.9, wrong, 1);
    const row = rows.find((r) => r.layout === first.layout)!;
    const total = rows.reduce((s, r) => s + r.expected, 0);
    expect(rows.reduce((s, r) => s + r.wrong, 0)).toBe(2);
    expect(rows.reduce((s, r) => s + r.confidentWrong, 0)).toBe(1);
    expect(rows.reduce((s, r) => s + r.correct, 0)).toBe(Object.keys(expectedFields(manifestReport(first).report)).length - 3);
    expect(rows.reduce((s, r) => s + r.missing + r.correct + r.wrong, 0)).toBe(total);
    expect(row.spuriousFindings).toBe(1); // carryover is not an identity the synthesizer plants
    expect(wrong).toHaveLength(1);
    expect(wrong[0].confidence).toBe(0.95);
  });
});

describe('runMeasured', () => {
  it('sees the memory a child allocates and its exit code and stdout', async () => {
    const script =
      'const b = Buffer.alloc(200 * 1024 * 1024, 1); setTimeout(() => { console.log(JSON.stringify({ ok: b.length })); process.exit(3); }, 700);';
    const m = await runMeasured(process.execPath, ['-e', script]);
    expect(m.code).toBe(3);
    expect(lastJsonLine(m.stdout)).toEqual({ ok: 200 * 1024 * 1024 });
    expect(m.samples).toBeGreaterThan(2);
    expect(m.peakRssMb).toBeGreaterThan(200);
    expect(m.hwmMb).toBeGreaterThan(200);
    expect(m.seconds).toBeGreaterThan(0.3);
  });

  it('lastJsonLine takes only a JSON object on the last line', () => {
    expect(lastJsonLine('progress\n{"a":1}\n')).toEqual({ a: 1 });
    expect(lastJsonLine('{"a":1}\nnot json')).toBeNull();
    expect(lastJsonLine('[1,2]')).toBeNull();
    expect(lastJsonLine('')).toBeNull();
  });
});

describe('optional module rows', () => {
  it('accepts camelCase or snake_case objects, single or in arrays', () => {
    expect(toRows('pdf', { docs: 10, seconds: 2, docs_per_s: 5, peak_rss_mb: 90 })).toEqual([
      {
        name: 'pdf',
        docs: 10,
        pages: undefined,
        seconds: 2,
        docsPerSec: 5,
        pagesPerSec: undefined,
        peakRssMb: 90,
        target: undefined,
        pass: undefined,
        note: undefined,
      },
    ]);
    const rows = toRows('docx', [{ name: 'ogi docx', docsPerSec: 60, pass: true }, { name: 'mammoth', docs_per_sec: 80 }, 'junk']);
    expect(rows.map((r) => [r.name, r.docsPerSec, r.pass])).toEqual([
      ['ogi docx', 60, true],
      ['mammoth', 80, undefined],
    ]);
    expect(toRows('crawl', { pages: 550, ms: 12000, pagesPerSec: 45.8 })[0]).toMatchObject({
      name: 'crawl',
      pages: 550,
      seconds: 12,
      pagesPerSec: 45.8,
    });
    expect(toRows('crawl', null)).toEqual([]);
  });
});
