/**
 * Generated fixtures (test/generate/pdf-fixtures.ts): each JSON lists the
 * origin cells the extractor must rebuild, exactly.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TableBlock } from '../../src/model.js';
import { FIXTURES, at, cellByText, extract, fixture, loadJson, tables, texts, tuples, type CellTuple } from './helpers.js';

interface Expected {
  tables: { nRows: number; nCols: number; cells: CellTuple[] }[];
}

const expected = (name: string) => loadJson<Expected>(join(FIXTURES, `${name}.json`));

function sameCells(t: TableBlock, e: Expected['tables'][number]): void {
  expect([t.nRows, t.nCols]).toEqual([e.nRows, e.nCols]);
  expect(tuples(t)).toEqual([...e.cells].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
}

describe('report-5p.pdf (LibreOffice, 2021 form from HTML)', () => {
  it('rebuilds tables 2, 3 and 4 cell-exact, merges included', async () => {
    const doc = await extract(fixture('report-5p.pdf'));
    const ts = tables(doc);
    const e = expected('report-5p');
    expect(ts.map((t) => t.method)).toEqual(['pdf-ruled', 'pdf-ruled', 'pdf-ruled']);
    ts.forEach((t, i) => sameCells(t, e.tables[i]));
    expect(doc.meta.pages).toBe(5);
  });

  it('table 3 runs over a page break and its cells keep their own page', async () => {
    const t3 = tables(await extract(fixture('report-5p.pdf')))[1];
    const pages = new Set(t3.cells.map((c) => c.source.page));
    expect(pages.size).toBe(2);
    expect(t3.continues).toBeUndefined();
    // The one-character-wide column is read as one label.
    expect(cellByText(t3, '三、本年度办理结果')).toMatchObject({ col: 0, rowSpan: 22 });
  });

  it('keeps the section headings as their own blocks, in order', async () => {
    const doc = await extract(fixture('report-5p.pdf'));
    const heads = texts(doc)
      .map((b) => b.text)
      .filter((t) => /^[一二三四五六]、/.test(t));
    expect(heads).toEqual([
      '一、总体情况',
      '二、主动公开政府信息情况',
      '三、收到和处理政府信息公开申请情况',
      '四、政府信息公开行政复议、行政诉讼情况',
      '五、存在的主要问题及改进情况',
      '六、其他需要报告的事项',
    ]);
  });
});

describe('tables split across pages', () => {
  for (const name of ['split-header', 'split-noheader']) {
    it(`${name}: one table, header not repeated, merged cell across the break joined`, async () => {
      const doc = await extract(fixture(`${name}.pdf`));
      const ts = tables(doc);
      expect(ts).toHaveLength(1);
      sameCells(ts[0], expected(name).tables[0]);
      const merged = cellByText(ts[0], '合并合计')!;
      const below = at(ts[0], merged.row + merged.rowSpan - 1, 0)!;
      expect(merged.source.page).toBe(1);
      expect(below.source.page).toBe(2);
      expect(ts[0].cells.filter((c) => c.text === '事项')).toHaveLength(1);
    });
  }

  it('continues.pdf: a different table at the top of the next page is marked continues', async () => {
    const doc = await extract(fixture('continues.pdf'));
    const ts = tables(doc);
    const e = expected('continues');
    expect(ts).toHaveLength(2);
    sameCells(ts[0], e.tables[0]);
    sameCells(ts[1], e.tables[1]);
    expect(ts[0].continues).toBeUndefined();
    expect(ts[1].continues).toBe(true);
    expect(texts(doc).map((b) => b.text)).not.toContain('1');
  });
});

describe('tables without rulings', () => {
  it('borderless.pdf: rows rebuilt from alignment', async () => {
    const doc = await extract(fixture('borderless.pdf'));
    const ts = tables(doc);
    expect(ts).toHaveLength(1);
    expect(ts[0]).toMatchObject({ method: 'pdf-aligned', structure: 'rows' });
    sameCells(ts[0], expected('borderless').tables[0]);
    expect(texts(doc).map((b) => b.text)).toContain('下表没有任何框线，只靠对齐排列。');
  });
});

describe('rulings drawn as thin filled rectangles under a transform', () => {
  it('ruled-filled.pdf: merges from missing segments; white lines and shading ignored; footer dropped', async () => {
    const doc = await extract(fixture('ruled-filled.pdf'));
    const ts = tables(doc);
    expect(ts).toHaveLength(1);
    sameCells(ts[0], expected('ruled-filled').tables[0]);
    // The cm halves the drawing: the table is 390 points wide at x = 100.
    const [x0, , x1] = ts[0].source.bbox!;
    expect(x0).toBeCloseTo(100, 0);
    expect(x1).toBeCloseTo(490, 0);
    expect(texts(doc).map((b) => b.text)).toEqual(['Quarterly counts (ruled with filled rectangles)', 'Figures are provisional.']);
  });

  it('rotated.pdf: a /Rotate 90 landscape page reads upright with the same table', async () => {
    const doc = await extract(fixture('rotated.pdf'));
    const ts = tables(doc);
    expect(ts).toHaveLength(1);
    sameCells(ts[0], expected('rotated').tables[0]);
    // Landscape page: 842 wide, so the bbox may lie beyond x = 595.
    for (const c of ts[0].cells) expect(c.source.bbox![3]).toBeLessThanOrEqual(595);
    expect(texts(doc)[0].text).toBe('Quarterly counts (ruled with filled rectangles)');
  });
});

describe('text that is not content', () => {
  it('watermark.pdf: slanted watermark out of cells and dropped, turned header read, off-page text dropped', async () => {
    const doc = await extract(fixture('watermark.pdf'));
    const ts = tables(doc);
    const e = expected('watermark');
    expect(ts).toHaveLength(3);
    ts.forEach((t, i) => sameCells(t, e.tables[i]));
    const all = doc.blocks.map((b) => (b.kind === 'table' ? b.cells.map((c) => c.text).join(' ') : b.text)).join('\n');
    expect(all).not.toMatch(/DRAFT|COPY|Off the page/);
    // Body text repeated on every page is content, not a running header.
    expect(texts(doc).map((b) => b.text)).toEqual([1, 2, 3].flatMap((p) => [`Page ${p} of the watermark test`, 'Counts are final.']));
  });
});

describe('fonts', () => {
  it('cmap-font.pdf: Chinese in a non-embedded font with a predefined CMap is read (cMaps wired)', async () => {
    const doc = await extract(fixture('cmap-font.pdf'));
    expect(doc.meta.warnings).toEqual([]);
    sameCells(tables(doc)[0], expected('cmap-font').tables[0]);
    expect(texts(doc).map((b) => b.text)).toEqual(['二、主动公开政府信息情况', '本表数据截至十二月底。']);
  });
});
