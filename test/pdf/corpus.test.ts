/**
 * The real report: 淮安市洪泽区人民政府 2023 (WPS PDF with a text layer),
 * checked cell by cell against the hand-checked gold file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DocumentModel, TableBlock } from '../../src/model.js';
import { ROOT, at, cellByText, extract, loadJson, numbers, tables, texts } from './helpers.js';

interface Gold {
  fields: Record<string, number | null>;
}

const gold = loadJson<Gold>(join(ROOT, 'test', 'fixtures', 'gold', 'hzq2023_working.json'));
let doc: DocumentModel;
let t2: TableBlock, t3: TableBlock, t4: TableBlock;

beforeAll(async () => {
  doc = await extract(new Uint8Array(readFileSync(join(ROOT, 'corpus', 'hzq2023_working.pdf'))), 'hzq2023_working.pdf');
  [t2, t3, t4] = tables(doc);
});

function goldValues(prefix: string): number[] {
  return Object.entries(gold.fields)
    .filter(([k, v]) => k.startsWith(prefix) && v !== null)
    .map(([, v]) => v as number);
}

const sorted = (a: number[]) => [...a].sort((x, y) => x - y);

describe('hzq2023_working.pdf', () => {
  it('reads metadata from the Info dictionary and warns about nothing', () => {
    expect(doc.format).toBe('pdf');
    expect(doc.meta.extractor).toBe('pdf');
    expect(doc.meta.pages).toBe(5);
    expect(doc.meta.title).toBe('洪泽区人民政府2023年政府信息公开工作年度报告');
    expect(doc.meta.warnings).toEqual([]);
  });

  it('finds exactly the three ruled tables, page-split parts merged', () => {
    expect(tables(doc).map((t) => [t.method, t.structure, t.nRows, t.nCols, t.source.page])).toEqual([
      ['pdf-ruled', 'grid', 14, 4, 2],
      ['pdf-ruled', 'grid', 26, 10, 3],
      ['pdf-ruled', 'grid', 4, 15, 4],
    ]);
    expect(tables(doc).some((t) => t.continues)).toBe(false);
  });

  it('table 2 continues from page 2 onto page 3 with its own cell pages', () => {
    expect(at(t2, 7, 0)?.text).toBe('第二十条第（六）项');
    expect(at(t2, 7, 0)?.source.page).toBe(2);
    expect(at(t2, 9, 0)?.text).toBe('行政处罚');
    expect(at(t2, 9, 0)?.source.page).toBe(3);
    expect(at(t2, 9, 1)).toMatchObject({ text: '4119', colSpan: 3 });
    expect(at(t2, 13, 1)?.text).toBe('7730.28');
  });

  it('table 3: the cell under 自然人 in 一、本年新收 is the gold value', () => {
    const natural = cellByText(t3, '自然人')!;
    const newRow = cellByText(t3, '一、本年新收政府信息公开申请数量')!;
    expect(natural).toBeDefined();
    expect(newRow).toMatchObject({ col: 0, colSpan: 3 });
    expect(Number(at(t3, newRow.row, natural.col)?.text)).toBe(gold.fields['t3.new.natural_person']);
  });

  it('table 3 header: merged corner, wrapped header words joined', () => {
    expect(at(t3, 0, 0)).toMatchObject({ row: 0, col: 0, rowSpan: 3, colSpan: 3 });
    expect(at(t3, 0, 0)?.text).toBe('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）');
    expect(at(t3, 0, 3)).toMatchObject({ text: '申请人情况', colSpan: 7 });
    expect(at(t3, 1, 4)).toMatchObject({ text: '法人或其他组织', colSpan: 5 });
    expect([4, 5, 6, 7, 8].map((c) => at(t3, 2, c)?.text)).toEqual(['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他']);
    expect(at(t3, 1, 9)).toMatchObject({ text: '总计', rowSpan: 2 });
  });

  it('table 3: the vertical label is one cell spanning all 20 result rows across the page break', () => {
    const label = cellByText(t3, '三、本年度办理结果')!;
    expect(label).toMatchObject({ row: 5, col: 0, rowSpan: 20, colSpan: 1 });
    expect(label.source.page).toBe(3);
    // No stray copy of (part of) the label in the rows on page 4.
    expect(t3.cells.filter((c) => c.col === 0 && c.text === '')).toEqual([]);
    expect(cellByText(t3, '（四）无法提供')).toMatchObject({ rowSpan: 3 });
    expect(cellByText(t3, '3.补正后申请内容仍不明确')?.source.page).toBe(4);
  });

  it('table 3: the single （六）其他处理 row and the printed typo are kept', () => {
    expect(cellByText(t3, '（六）其他处理')).toMatchObject({ col: 1, colSpan: 2, rowSpan: 1 });
    expect(t3.cells.some((c) => c.text.includes('逾期不补正'))).toBe(false);
    expect(cellByText(t3, '2.其他法律行政止公开')).toBeDefined();
    expect(cellByText(t3, '5.要求行政机关确认或重新出具已获取信息')).toBeDefined();
  });

  it("table 4's fifteen numbers in order", () => {
    const last = t4.cells.filter((c) => c.row === 3).sort((a, b) => a.col - b.col);
    expect(last.map((c) => c.text)).toEqual(['10', '1', '0', '0', '0', '0', '0', '0', '0', '0', '5', '0', '0', '0', '0']);
    const keys = ['review', 'litigation_direct', 'litigation_after_review'].flatMap((g) =>
      ['upheld', 'corrected', 'other', 'pending', 'total'].map((p) => `t4.${g}.${p}`),
    );
    expect(last.map((c) => Number(c.text))).toEqual(keys.map((k) => gold.fields[k]));
  });

  it('every gold number of tables 2, 3 and 4 is its own cell in the right table, and nothing else is', () => {
    expect(sorted(numbers(t2))).toEqual(sorted(goldValues('t2.')));
    expect(sorted(numbers(t3))).toEqual(sorted(goldValues('t3.')));
    expect(sorted(numbers(t4))).toEqual(sorted(goldValues('t4.')));
  });

  it('table 3 values sit at their row and column', () => {
    const col = (label: string) => cellByText(t3, label)!.col;
    const row = (label: string) => cellByText(t3, label)!.row;
    expect(at(t3, row('（二）部分公开（区分处理的，只计这一情形，不计其他情形）'), col('自然人'))?.text).toBe(
      String(gold.fields['t3.partial.natural_person']),
    );
    expect(at(t3, row('1.本机关不掌握相关政府信息'), col('总计'))?.text).toBe(String(gold.fields['t3.unable_not_held.total']));
    expect(at(t3, row('1.信访举报投诉类申请'), col('自然人'))?.text).toBe(String(gold.fields['t3.rejected_complaint.natural_person']));
    expect(at(t3, row('（七）总计'), col('总计'))?.text).toBe(String(gold.fields['t3.total.total']));
  });

  it('cells carry page, top-left bbox inside the page, table, row and col', () => {
    for (const t of tables(doc)) {
      for (const c of t.cells) {
        const [x0, y0, x1, y1] = c.source.bbox!;
        expect(x0).toBeLessThan(x1);
        expect(y0).toBeLessThan(y1);
        expect(x0).toBeGreaterThanOrEqual(0);
        expect(y1).toBeLessThanOrEqual(842);
        expect(c.source).toMatchObject({ table: t.index, row: c.row, col: c.col });
      }
    }
    // Top-left origin: table 3's header is above its last rows on page 3.
    expect(at(t3, 0, 3)!.source.bbox![1]).toBeLessThan(cellByText(t3, '2.没有现成信息需要另行制作')!.source.bbox![1]);
  });

  it('text: headings and paragraphs in order, furniture dropped, a sentence cut by a page break joined', () => {
    const all = texts(doc).map((b) => b.text);
    const order = [
      '一、总体情况',
      '二、主动公开政府信息情况',
      '三、收到和处理政府信息公开申请情况',
      '四、政府信息公开行政复议、行政诉讼情况',
      '五、存在的主要问题及改进情况',
      '六、其他需要报告的事项',
    ];
    const idx = order.map((h) => all.indexOf(h));
    expect(idx.every((i) => i >= 0)).toBe(true);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
    expect(all.some((t) => /^[-\s]*\d+[-\s]*$/.test(t))).toBe(false);
    expect(all.some((t) => t.includes('2023年全区受理政府信息公开申请21件，均在法定期限答复。'))).toBe(true);
    expect(all.some((t) => t.includes('严格执行“分级审核、先审后发”程序'))).toBe(true);
    for (const b of texts(doc)) expect(b.source.block).toBe(doc.blocks.indexOf(b));
  });

  it('blocks run top to bottom, page by page', () => {
    let last = [0, 0];
    for (const b of doc.blocks) {
      const key = [b.source.page!, b.source.bbox![1]];
      expect(key[0] > last[0] || (key[0] === last[0] && key[1] >= last[1])).toBe(true);
      last = key;
    }
  });
});
