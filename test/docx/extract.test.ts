import { describe, expect, it } from 'vitest';
import { extractor } from '../../extractors/docx/index.js';
import type { DocumentModel, TableBlock, TextBlock } from '../../src/model.js';
import { compareGrid, loadFixtures, originAt, tablesOf } from './fixtures.js';

const fixtures = loadFixtures('docx', 'docx');
const extract = (bytes: Uint8Array, name = 'x.docx') => extractor.extract({ bytes, name }, {});

const SECTIONS = [
  '一、总体情况',
  '二、主动公开政府信息情况',
  '三、收到和处理政府信息公开申请情况',
  '四、政府信息公开行政复议、行政诉讼情况',
  '五、存在的主要问题及改进情况',
  '六、其他需要报告的事项',
];

describe('docx fixtures generated from the official form', () => {
  it('covers every generated variant', () => {
    expect(fixtures.map((f) => f.name)).toEqual([
      'form2019',
      'form2021-blank-for-zero',
      'form2021-filled',
      'form2021-fonts',
      'form2021-long',
      'form2021-long-repeat',
      'form2021-single-other',
      'form2021-t4-error',
    ]);
  });

  for (const fx of fixtures) {
    describe(fx.name, () => {
      it('puts every gold value of tables 2-4 in the right origin cell', async () => {
        const model = await extract(fx.bytes, fx.path);
        const { mismatches, matched } = compareGrid(model, fx);
        expect(mismatches).toEqual([]);
        expect(matched).toBe(Object.keys(fx.gold.fields).length);
      });

      it('reads the merges of the form', async () => {
        const [t2, t3, t4] = tablesOf(await extract(fx.bytes));
        const results = fx.form === '2021' ? 22 : 20;
        expect([t3.nRows, t3.nCols]).toEqual([3 + results + 3, 10]);
        expect(originAt(t3, 0, 0)).toMatchObject({ rowSpan: 3, colSpan: 3 });
        expect(originAt(t3, 0, 3)).toMatchObject({ text: '申请人情况', rowSpan: 1, colSpan: 7 });
        expect(originAt(t3, 1, 4)).toMatchObject({ text: '法人或其他组织', colSpan: 5 });
        expect(originAt(t3, 1, 3)).toMatchObject({ text: '自然人', rowSpan: 2 });
        expect(originAt(t3, 1, 9)).toMatchObject({ text: '总计', rowSpan: 2 });
        expect(originAt(t3, 5, 0)).toMatchObject({ text: '三、本年度办理结果', rowSpan: results, colSpan: 1 });
        expect(originAt(t3, 7, 1)).toMatchObject({ text: '（三）不予公开', rowSpan: 8 });
        expect(originAt(t3, 15, 1)).toMatchObject({ text: '（四）无法提供', rowSpan: 3 });
        expect(originAt(t3, 18, 1)).toMatchObject({ text: '（五）不予处理', rowSpan: 5 });
        if (fx.form === '2021') expect(originAt(t3, 23, 1)).toMatchObject({ text: '（六）其他处理', rowSpan: 3, colSpan: 1 });
        else expect(originAt(t3, 23, 1)).toMatchObject({ text: '（六）其他处理', rowSpan: 1, colSpan: 2 });
        // Covered slots hold nothing: the merged text is not copied.
        expect(originAt(t3, 6, 0)).toBeUndefined();
        expect(t3.cells.filter((c) => c.text === '三、本年度办理结果')).toHaveLength(1);
        expect(originAt(t4, 0, 0)).toMatchObject({ text: '行政复议', colSpan: 5 });
        expect(originAt(t4, 0, 5)).toMatchObject({ text: '行政诉讼', colSpan: 10 });
        expect(originAt(t4, 1, 0)).toMatchObject({ text: '结果维持', rowSpan: 2 });
        expect([t4.nRows, t4.nCols]).toEqual([4, 15]);
        expect(t2.nCols).toBe(4);
        expect(originAt(t2, 0, 0)).toMatchObject({ text: '第二十条第（一）项', colSpan: 4 });
        if (fx.form === '2019') {
          expect(t2.nRows).toBe(18);
          expect(originAt(t2, 14, 2)).toMatchObject({ colSpan: 2 });
          expect(originAt(t2, 16, 2)).toMatchObject({ text: '采购总金额', colSpan: 2 });
        } else {
          expect(t2.nRows).toBe(14);
          expect(originAt(t2, 6, 1)).toMatchObject({ colSpan: 3 });
        }
        for (const t of [t2, t3, t4]) {
          expect(t.structure).toBe('grid');
          expect(t.method).toBe('docx-table');
          for (const c of t.cells) expect(c.source).toEqual({ table: t.index, row: c.row, col: c.col });
        }
      });

      it('keeps paragraphs and tables in body order', async () => {
        const model = await extract(fx.bytes);
        const seq = model.blocks.map((b) => (b.kind === 'table' ? `T${b.index}` : b.text));
        const at = (s: string) => seq.indexOf(s);
        expect(seq[0]).toBe(`${fx.gold.agency}${fx.gold.year}年度政府信息公开工作年度报告`);
        const order = [SECTIONS[0], SECTIONS[1], 'T0', SECTIONS[2], 'T1', SECTIONS[3], 'T2', SECTIONS[4], SECTIONS[5]].map(at);
        expect(order.every((i) => i >= 0)).toBe(true);
        expect([...order].sort((a, b) => a - b)).toEqual(order);
        model.blocks.forEach((b, i) => expect(b.kind === 'table' ? b.source.block : b.source.block).toBe(i));
        expect(model.format).toBe('docx');
        expect(model.meta.extractor).toBe('docx');
        expect(model.meta.warnings).toEqual([]);
      });
    });
  }

  it('takes the title from docProps/core.xml only when it is there', async () => {
    for (const fx of fixtures) {
      const model = await extract(fx.bytes);
      if (fx.name === 'form2021-single-other') expect(model.meta.title).toBeUndefined();
      else expect(model.meta.title).toBe(`${fx.gold.agency}${fx.gold.year}年度政府信息公开工作年度报告`);
    }
  });

  it('marks headings from styles, with levels and list labels', async () => {
    const fonts = fixtures.find((f) => f.name === 'form2021-fonts')!;
    const heads = (await extract(fonts.bytes)).blocks.filter((b): b is TextBlock => b.kind === 'heading');
    expect(heads.map((h) => [h.level, h.text])).toEqual([
      [1, '示范市教育局2024年度政府信息公开工作年度报告'],
      [1, '一、总体情况'],
      [2, '（一）主动公开情况'],
      [2, '（二）依申请公开情况'],
      [2, '（三）政府信息管理情况'],
      [2, '（四）平台建设情况'],
      [1, '二、主动公开政府信息情况'],
      [1, '三、收到和处理政府信息公开申请情况'],
      [1, '四、政府信息公开行政复议、行政诉讼情况'],
      [1, '五、存在的主要问题及改进情况'],
      [1, '六、其他需要报告的事项'],
    ]);
    // The plain template styles its section titles as body text: no headings invented.
    const filled = fixtures.find((f) => f.name === 'form2021-filled')!;
    expect((await extract(filled.bytes)).blocks.some((b) => b.kind === 'heading')).toBe(false);
  });

  it('agrees with mammoth on every table cell text (independent OOXML reader)', async () => {
    const mammoth = (await import('mammoth')).default;
    for (const fx of fixtures) {
      const { value: html } = await mammoth.convertToHtml({ buffer: Buffer.from(fx.bytes) });
      const model = await extract(fx.bytes);
      const ours = tablesOf(model).flatMap((t: TableBlock) =>
        [...t.cells].sort((a, b) => a.row - b.row || a.col - b.col).map((c) => c.text.replace(/\s+/g, '')),
      );
      const theirs = [...html.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/g)].map((m) =>
        m[1]
          .replace(/<[^>]+>/g, '')
          .replace(/&amp;/g, '&')
          .replace(/\s+/g, ''),
      );
      expect(ours, fx.name).toEqual(theirs);
    }
  });
});

export type { DocumentModel };
