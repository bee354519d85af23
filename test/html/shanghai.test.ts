/**
 * The real 2019 Shanghai report (a bare fragment: <p> and <table>, no <html>)
 * against its hand-checked gold file. Positions are written out by hand from
 * the printed tables, so a shifted row or column fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DocumentModel, TableBlock } from '../../src/model.js';
import { ROOT, cellAt, checkModel, extract, paragraphs, tables, textAt } from './helpers.js';

interface Gold {
  fields: Record<string, number | null>;
  raw: Record<string, string>;
}
const gold: Gold = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/gold/shanghai_office_2019.json'), 'utf8'));

/** Table 2 (index 0): row of each item and column of each value, as printed (colspans drift between blocks). */
const T2: Record<string, [number, Record<string, number>]> = {
  rules: [2, { made: 1, published: 2, total_public: 4 }],
  normative: [3, { made: 1, published: 2, total_public: 4 }],
  licensing: [6, { prev_items: 1, delta: 3, decisions: 4 }],
  other_services: [7, { prev_items: 1, delta: 3, decisions: 4 }],
  penalty: [10, { prev_items: 1, delta: 3, decisions: 4 }],
  coercion: [11, { prev_items: 1, delta: 3, decisions: 4 }],
  fees: [14, { prev_items: 1, delta: 3 }],
  procurement: [17, { items: 1, amount: 3 }],
};
/** Table 3 (index 1): data rows 3..25 in printed order; value columns 3..9. */
const T3_ROWS = [
  'new',
  'carried_over',
  'granted',
  'partial',
  'denied_state_secret',
  'denied_prohibited',
  'denied_security_stability',
  'denied_third_party',
  'denied_internal_affairs',
  'denied_process_info',
  'denied_enforcement_file',
  'denied_query',
  'unable_not_held',
  'unable_needs_creation',
  'unable_unclear',
  'rejected_complaint',
  'rejected_duplicate',
  'rejected_publication',
  'rejected_excessive',
  'rejected_confirmation',
  'other',
  'total',
  'carried_forward',
];
const T3_COLS = ['natural_person', 'commercial', 'research', 'social_welfare', 'legal_service', 'other_org', 'total'];
/** Table 4 (index 2): one value row (3), five columns per group. */
const T4_GROUPS = ['review', 'litigation_direct', 'litigation_after_review'];
const T4_COLS = ['upheld', 'corrected', 'other', 'pending', 'total'];

function position(key: string): [number, number, number] {
  const [t, row, col] = key.split('.');
  if (t === 't2') return [0, T2[row][0], T2[row][1][col]];
  if (t === 't3') return [1, 3 + T3_ROWS.indexOf(row), 3 + T3_COLS.indexOf(col)];
  return [2, 3, T4_GROUPS.indexOf(row) * 5 + T4_COLS.indexOf(col)];
}

describe('shanghai_office_2019.html', () => {
  let doc: DocumentModel;
  let ts: TableBlock[];
  beforeAll(async () => {
    doc = await extract(readFileSync(join(ROOT, 'corpus/shanghai_office_2019.html')));
    ts = tables(doc);
  });

  it('decodes, titles and keeps the fragment as its own body', () => {
    expect(doc.format).toBe('html');
    expect(doc.meta.encoding).toBe('utf-8');
    expect(doc.meta.encodingSource).toBe('utf8-valid');
    expect(doc.meta.title).toBe('2019年上海市人民政府办公厅政府信息公开工作年度报告');
    expect(doc.meta.extractor).toBe('html:fragment');
    expect(doc.meta.warnings).toEqual([]);
    checkModel(doc);
  });

  it('keeps every paragraph in order, section titles included', () => {
    const ps = paragraphs(doc);
    expect(ps[0]).toBe('2019年上海市人民政府办公厅政府信息公开工作年度报告');
    expect(ps[1]).toBe('发布日期：2020-01-31');
    const sections = [
      '一、总体情况',
      '二、主动公开政府信息情况',
      '三、收到和处理政府信息公开申请情况',
      '四、政府信息公开行政复议、行政诉讼情况',
      '五、政府信息公开工作存在的主要问题及改进情况',
      '六、其他需要报告的事项',
    ];
    const at = sections.map((s) => ps.indexOf(s));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(ps[ps.length - 1]).toBe('无。');
    // An escaped &lt; in the text stays a literal bracket.
    expect(ps.some((p) => p.includes('《上海市贯彻<长江三角洲区域一体化发展规划纲要>实施方案》'))).toBe(true);
    expect(doc.blocks.every((b) => b.kind !== 'heading')).toBe(true);
  });

  it('has the three tables, each right after its section title', () => {
    expect(ts.map((t) => [t.nRows, t.nCols, t.cells.length])).toEqual([
      [18, 5, 53],
      [26, 10, 198],
      [4, 15, 34],
    ]);
    const before = (t: TableBlock) => doc.blocks[doc.blocks.indexOf(t) - 1];
    expect(before(ts[0])).toMatchObject({ kind: 'paragraph', text: '二、主动公开政府信息情况' });
    expect(before(ts[1])).toMatchObject({ kind: 'paragraph', text: '三、收到和处理政府信息公开申请情况' });
    expect(before(ts[2])).toMatchObject({ kind: 'paragraph', text: '四、政府信息公开行政复议、行政诉讼情况' });
  });

  it('reads merged cells as origin cells with their spans', () => {
    const [t2, t3, t4] = ts;
    expect(cellAt(t2, 1, 1)?.text).toBe('本年新\n制作数量');
    expect(cellAt(t2, 1, 2)).toMatchObject({ text: '本年新\n公开数量', colSpan: 2, rowSpan: 1 });
    expect(cellAt(t2, 0, 0)).toMatchObject({ text: '第二十条第（一）项', colSpan: 5 });
    expect(cellAt(t3, 5, 0)).toMatchObject({ text: '三、本年度办理结果', rowSpan: 20, colSpan: 1 });
    expect(cellAt(t3, 0, 0)).toMatchObject({ rowSpan: 3, colSpan: 3 });
    expect(cellAt(t3, 7, 1)).toMatchObject({ text: '（三）不予公开', rowSpan: 8 });
    expect(cellAt(t3, 23, 1)).toMatchObject({ text: '（六）其他处理', colSpan: 2 });
    // Covered slots hold no cell: the merged value is never copied.
    expect(cellAt(t3, 6, 0)).toBeUndefined();
    expect(cellAt(t3, 24, 0)).toBeUndefined();
    expect(t3.cells.filter((c) => c.text === '三、本年度办理结果')).toHaveLength(1);
    expect(cellAt(t4, 1, 5)).toMatchObject({ text: '未经复议直接起诉', colSpan: 5 });
    expect(cellAt(t4, 1, 0)).toMatchObject({ text: '结果维持', rowSpan: 2 });
  });

  it('puts every gold value in the right table, row and column; blanks are empty, not 0', () => {
    const keys = Object.keys(gold.fields);
    expect(keys.length).toBe(198);
    let blanks = 0;
    for (const key of keys) {
      const [t, row, col] = position(key);
      const v = gold.fields[key];
      const want = gold.raw[key] ?? (v === null ? '' : String(v));
      expect(textAt(ts[t], row, col), key).toBe(want);
      if (v === null) blanks++;
    }
    expect(blanks).toBe(135);
  });

  it('labels the rows the gold keys are read from', () => {
    const t3 = ts[1];
    expect(textAt(t3, 3, 0)).toBe('一、本年新收政府信息公开申请数量');
    expect(textAt(t3, 25, 0)).toBe('四、结转下年度继续办理');
    expect(textAt(t3, 23, 1)).toBe('（六）其他处理');
    expect(textAt(ts[0], 17, 0)).toBe('政府集中采购');
  });
});
