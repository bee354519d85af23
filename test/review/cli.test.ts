/**
 * The reviewer's commands as users run them: `ogi export --findings`
 * (csv and jsonl, with evidence location and review state), `ogi review
 * --mark` (decisions kept across a recompute of the cross-report rules, shown
 * on the site), `ogi review --out` and its errors.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ogi } from '../helpers/cli.js';

let dir: string;
let db: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-review-cli-'));
  db = join(dir, 'ogi.sqlite');
  // The corpus PDF carries two real table-4 filing errors.
  const r = ogi(['ingest', 'corpus/hzq2023_working.pdf', 'corpus/kewei-2024-source.md', '--db', db, '--quiet', '--workers', '0']);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  return rows;
}

describe('ogi export --findings', () => {
  it('csv: one row per finding with report, rule, keys, expected, actual, message, evidence location and review state', () => {
    const r = ogi(['export', '--findings', '--format', 'csv', '--db', db, '--no-bom']);
    expect(r.code, r.stderr).toBe(0);
    const [head, ...rows] = parseCsv(r.stdout);
    expect(head).toEqual([
      'finding_id',
      'report_id',
      'agency',
      'year',
      'template',
      'rule',
      'severity',
      'keys',
      'expected',
      'actual',
      'message',
      'other_report_id',
      'evidence_location',
      'evidence',
      'file',
      'source_url',
      'review',
      'review_note',
      'reviewed_at',
    ]);
    expect(rows).toHaveLength(2);
    const row = Object.fromEntries(head.map((h, i) => [h, rows[0][i]]));
    expect(row.rule).toBe('t4-sum');
    expect(row.finding_id).toMatch(/^F[0-9a-f]{12}$/);
    expect(row.keys.split(';')).toContain('t4.review.total');
    expect(row.evidence_location).toMatch(/t4\.review\.total @ p\.4 \[/);
    expect(row.review).toBe('unreviewed');
  });

  it('jsonl: the same, with each cell’s value, confidence and source', () => {
    const r = ogi(['export', '--findings', '--format', 'jsonl', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ rule: 't4-sum', agency: '洪泽区人民政府', year: 2023, review: null });
    expect(lines[0].cells[0]).toMatchObject({ report: 'this', source: { page: 4, method: 'pdf-ruled' } });
  });
});

describe('ogi review --mark', () => {
  it('records a decision with a note; the export and the site show it; it stays after another ingest', () => {
    const [first] = ogi(['export', '--findings', '--format', 'jsonl', '--db', db])
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const m = ogi(['review', '--mark', first.finding_id, 'confirmed', '--note', 'checked against page 4', '--db', db]);
    expect(m.code, m.stderr).toBe(0);
    // Ingesting again recomputes the cross-report rules; the document's own findings keep their ids.
    expect(ogi(['ingest', 'corpus/hzq2023_working.pdf', '--db', db, '--quiet', '--workers', '0']).code).toBe(0);
    const after = ogi(['export', '--findings', '--format', 'jsonl', '--db', db])
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const same = after.find((f) => f.finding_id === first.finding_id);
    expect(same.review).toMatchObject({ decision: 'confirmed', note: 'checked against page 4' });
    // Changing one's mind replaces the decision.
    expect(ogi(['review', '--mark', first.finding_id, 'dismissed', '--db', db]).code).toBe(0);
    const csv = ogi(['export', '--findings', '--format', 'csv', '--db', db]).stdout;
    expect(csv).toContain(',dismissed,');
    const site = join(dir, 'site');
    const b = ogi(['review', '--out', site, '--db', db, '--quiet']);
    expect(b.code, b.stderr).toBe(0);
    expect(readFileSync(join(site, 'data', 'index.js'), 'utf8')).toContain(`"id":"${first.finding_id}"`);
    expect(readFileSync(join(site, 'data', 'index.js'), 'utf8')).toContain('"v":"dismissed"');
  });

  it('an unknown id or a missing decision is an error (exit 1) and writes nothing', () => {
    const unknown = ogi(['review', '--mark', 'F000000000000', 'confirmed', '--db', db]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no finding with id F000000000000');
    const bad = ogi(['review', '--mark', 'F000000000000', 'maybe', '--db', db]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('confirmed or dismissed');
    const nothing = ogi(['review', '--db', db]);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('--out DIR');
  });
});

describe('ogi review --out', () => {
  it('writes a self-contained folder: index, one page per report, one per agency, the documents, no absolute links', () => {
    const site = join(dir, 'site2');
    const r = ogi(['review', '--out', site, '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/wrote .*index\.html: 2 reports, 2 findings, 2 agencies/);
    for (const f of ['index.html', 'data/index.js', 'data/form.js', 'assets/review.js', 'assets/review.css', 'a/0.html', 'a/1.html']) {
      expect(existsSync(join(site, f)), f).toBe(true);
    }
    const index = readFileSync(join(site, 'index.html'), 'utf8');
    expect(index).not.toMatch(/(src|href)="(https?:)?\/\//);
    const report = readFileSync(join(site, 'r', '1.html'), 'utf8');
    expect(report).toContain('../data/form.js');
    expect(report).toMatch(/"doc":"docs\/[0-9a-f]{64}\.(pdf|md)"/);
  });

  it('worker threads write the same pages as one thread', () => {
    const one = join(dir, 'one');
    const two = join(dir, 'two');
    expect(ogi(['review', '--out', one, '--db', db, '--workers', '1', '--quiet']).code).toBe(0);
    expect(ogi(['review', '--out', two, '--db', db, '--workers', '3', '--quiet']).code).toBe(0);
    const pages = (d: string) =>
      ['r', 'a'].flatMap((sub) => readdirSync(join(d, sub)).map((f) => `${sub}/${f}:${readFileSync(join(d, sub, f), 'utf8')}`)).sort();
    expect(pages(two)).toEqual(pages(one));
    expect(pages(one).length).toBe(4);
  });

  it('--no-documents leaves the documents out', () => {
    const site = join(dir, 'site3');
    expect(ogi(['review', '--out', site, '--db', db, '--no-documents', '--quiet']).code).toBe(0);
    expect(readFileSync(join(site, 'r', '1.html'), 'utf8')).toContain('"doc":null');
  });

  it('never writes into a folder that holds something else', () => {
    const other = mkdtempSync(join(tmpdir(), 'ogi-not-a-site-'));
    writeFileSync(join(other, 'thesis.docx'), 'mine');
    const r = ogi(['review', '--out', other, '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('holds no earlier review site');
    expect(readdirSync(other)).toEqual(['thesis.docx']);
  });

  it('a database that does not exist is an error', () => {
    const r = ogi(['review', '--out', join(dir, 'x'), '--db', join(dir, 'missing.sqlite')]);
    expect(r.code).toBe(1);
  });
});
