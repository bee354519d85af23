/**
 * Evidence drawn from the documents themselves: the table fragment of a Word
 * file, the band of a PDF page redrawn from its glyphs, the image of a
 * scanned page (pdftoppm), the text around cells split from run-together
 * text; and a note, never a crash, when the bytes were not kept.
 */
import { mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTool } from '../../extractors/ocr/tesseract.js';
import type { Field } from '../../src/contract/document.js';
import type { Format } from '../../src/model.js';
import { processBytes } from '../../src/pipeline/process.js';
import { EvidenceBuilder, type EvidenceItem } from '../../src/review/evidence.js';
import type { FindingRow, LocatedCell } from '../../src/store/store.js';
import { ROOT } from '../helpers/gold.js';

function finding(cells: LocatedCell[]): FindingRow {
  return {
    id: 'F000000000001',
    reportId: 1,
    otherReportId: null,
    documentId: 1,
    agency: 'x',
    year: 2023,
    template: '2021',
    rule: 't4-sum',
    severity: 'error',
    keys: cells.map((c) => c.key),
    expected: null,
    actual: null,
    message: 'm',
    evidence: null,
    file: null,
    sourceUrl: null,
    review: null,
    cells,
  };
}

const cell = (key: string, f: Field): LocatedCell => ({
  report: 'this',
  reportId: 1,
  key,
  value: f.value,
  raw: f.raw,
  confidence: f.confidence,
  source: f.source,
});

function builder(path: string, format: Format, kept = true) {
  const bytes = kept ? new Uint8Array(readFileSync(path)) : undefined;
  const out = mkdtempSync(join(tmpdir(), 'ogi-evidence-'));
  mkdirSync(join(out, 'ev'));
  const b = new EvidenceBuilder(
    {
      document: () => ({ reportId: 1, documentId: 1, sha256: 'ab'.repeat(32), format, name: path, label: 'x 2023' }),
      bytes: async () => bytes,
    },
    out,
  );
  return { b, out };
}

async function fieldsOf(path: string): Promise<Record<string, Field>> {
  const { doc } = await processBytes({ bytes: new Uint8Array(readFileSync(path)), name: path });
  return doc.fields;
}

describe('evidence', () => {
  it('Word: the table fragment around the cells, the cells marked with their keys and printed text', async () => {
    const path = join(ROOT, 'test/fixtures/docx/form2021-t4-error.docx');
    const fields = await fieldsOf(path);
    const keys = ['t4.review.upheld', 't4.review.total'];
    const { b } = builder(path, 'docx');
    const items = await b.build(finding(keys.map((k) => cell(k, fields[k]))));
    expect(items).toHaveLength(1);
    const it0 = items[0] as Extract<EvidenceItem, { kind: 'table' }>;
    expect(it0.kind).toBe('table');
    const hits = it0.rows.flat().filter((c) => c?.hit);
    expect(hits.map((c) => c!.hit![0]).sort()).toEqual([...keys].sort());
    expect(hits.map((c) => c!.t).sort()).toEqual(keys.map((k) => fields[k].raw).sort());
  });

  it('PDF: the band of the page redrawn from its glyphs, the cells outlined, the printed numbers in it', async () => {
    const path = join(ROOT, 'test/fixtures/pdf-form/form2021-filled.pdf');
    const fields = await fieldsOf(path);
    const key = 't3.new.natural_person';
    const { b } = builder(path, 'pdf');
    const [item] = await b.build(finding([cell(key, fields[key])]));
    expect(item.kind).toBe('svg');
    const svg = (item as Extract<EvidenceItem, { kind: 'svg' }>).svg;
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain('class="hit"');
    // The glyphs of the printed number are in the drawing.
    for (const ch of fields[key].raw) expect(svg).toContain(`>${ch}</text>`);
    expect(item.caption).toContain(`page ${fields[key].source.page}`);
  });

  it.skipIf(!findTool('pdftoppm', 'OGI_PDFTOPPM').path)(
    'a scanned page: the page image around the cells (pdftoppm), as a PNG in ev/',
    async () => {
      const fields = await fieldsOf(join(ROOT, 'test/fixtures/pdf-form/form2021-filled.pdf'));
      const key = 't4.review.upheld';
      // The scan of the same form: same page geometry; the cell as OCR would place it.
      const scan = join(ROOT, 'test/fixtures/ocr/filled-150.pdf');
      const f = { ...fields[key], source: { ...fields[key].source, method: 'ocr-ruled' } };
      const { b, out } = builder(scan, 'pdf');
      const [item] = await b.build(finding([cell(key, f)]));
      expect(item.kind).toBe('img');
      const src = (item as Extract<EvidenceItem, { kind: 'img' }>).src;
      expect(src).toMatch(/^ev\/.*\.png$/);
      const png = readFileSync(join(out, src));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(statSync(join(out, src)).size).toBeGreaterThan(1000);
    },
  );

  it('run-together text: the text around the split cells, the cells marked', async () => {
    const path = join(ROOT, 'corpus/pingtan_2020_80595_page.txt');
    const fields = await fieldsOf(path);
    const key = Object.keys(fields).find((k) => fields[k].source.chars && fields[k].value !== null)!;
    const { b } = builder(path, 'txt');
    const [item] = await b.build(finding([cell(key, fields[key])]));
    expect(item.kind).toBe('text');
    const t = item as Extract<EvidenceItem, { kind: 'text' }>;
    expect(t.text.slice(t.marks[0][0], t.marks[0][1])).toBe(fields[key].raw);
  });

  it('without the kept bytes: a note that says so', async () => {
    const path = join(ROOT, 'test/fixtures/docx/form2021-t4-error.docx');
    const fields = await fieldsOf(path);
    const { b } = builder(path, 'docx', false);
    const [item] = await b.build(finding([cell('t4.review.total', fields['t4.review.total'])]));
    expect(item.kind).toBe('note');
    expect((item as Extract<EvidenceItem, { kind: 'note' }>).text).toContain('not kept');
  });

  it('text-vs-table: the sentence with the stated number marked, before the cell', async () => {
    const path = join(ROOT, 'test/fixtures/docx/form2021-t4-error.docx');
    const fields = await fieldsOf(path);
    const { b } = builder(path, 'docx');
    const f = finding([cell('t3.new.total', fields['t3.new.total'])]);
    f.evidence = { text: { sentence: '全年共收到政府信息公开申请31件。', block: 7, chars: [10, 27], number: [23, 25], stated: 31 } };
    const [sentence, table] = await b.build(f);
    expect(sentence.kind).toBe('text');
    const t = sentence as Extract<EvidenceItem, { kind: 'text' }>;
    expect(t.text.slice(t.marks[0][0], t.marks[0][1])).toBe('31');
    expect(table.kind).toBe('table');
  });
});
