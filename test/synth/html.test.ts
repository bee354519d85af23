import * as cheerio from 'cheerio';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  HTML_LAYOUTS,
  TYPO_KINDS,
  periodSentence,
  randomReport,
  renderHtml,
  type HtmlLayout,
  type SynthReport,
} from '../generate/synth/index.js';
import {
  T3_COLUMN_ORDER,
  T3_HEADER_TEXT,
  T4_GROUP_ORDER,
  T4_PART_ORDER,
  T4_PART_TEXT,
  canon,
  expectPrinted,
  groupLabelOf,
  htmlGrid,
  labelMatches,
  reportTables,
  rowLabelOf,
  specKeys,
  squash,
  t2ColumnLabelOf,
  type HtmlCell,
  type HtmlGrid,
  sampleReports,
} from './helpers.js';

const REPORTS = sampleReports(100, 5000);

function decoded(r: SynthReport, layout: HtmlLayout): string {
  const { bytes } = renderHtml(r, layout);
  return layout.startsWith('gbk') ? iconv.decode(Buffer.from(bytes), 'gbk') : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

interface Parsed {
  $: cheerio.CheerioAPI;
  grids: HtmlGrid[];
  t2: HtmlGrid[];
  t3: HtmlGrid;
  t4: HtmlGrid;
}

const col0 = (g: HtmlGrid, row: number): string => g.slots[row]?.[0]?.text ?? '';

function parse(html: string): Parsed {
  const $ = cheerio.load(html);
  const grids = reportTables($).map((t) => htmlGrid($, t));
  const t3s = grids.filter((g) => g.slots.some((_, i) => labelMatches(col0(g, i), '一、本年新收政府信息公开申请数量')));
  const t4s = grids.filter((g) => g.width === 15);
  expect(t3s).toHaveLength(1);
  expect(t4s).toHaveLength(1);
  return { $, grids, t2: grids.filter((g) => g !== t3s[0] && g !== t4s[0]), t3: t3s[0], t4: t4s[0] };
}

/** Origin cells of a grid row, left to right. */
function origins(g: HtmlGrid, row: number): HtmlCell[] {
  return g.cells.filter((c) => c.row === row).sort((a, b) => a.col - b.col);
}

function checkT2(r: SynthReport, grids: HtmlGrid[]): void {
  const titles = grids.flatMap((g) => g.slots.map((_, i) => col0(g, i)).filter((t) => /^第二十条第（[一五六八九]）项$/.test(canon(t))));
  expect(titles).toHaveLength(r.template === '2021' ? 4 : 5);
  for (const f of specKeys(r).filter((x) => x.table === 't2')) {
    const hits = grids.flatMap((g) => g.slots.map((_, i) => [g, i] as const).filter(([, i]) => labelMatches(col0(g, i), rowLabelOf(f))));
    expect(hits, `${f.key}: one row labelled ${rowLabelOf(f)}`).toHaveLength(1);
    const [g, row] = hits[0];
    let h = row - 1;
    while (h >= 0 && canon(col0(g, h)) !== '信息内容') h--;
    expect(h, `${f.key}: header row`).toBeGreaterThanOrEqual(0);
    const header = origins(g, h).filter((c) => labelMatches(c.text, t2ColumnLabelOf(f, r.template)));
    expect(header, `${f.key}: header ${t2ColumnLabelOf(f, r.template)}`).toHaveLength(1);
    const [hc] = header;
    // The value whose first column lies under the header (tolerates [SH2019] colspan drift).
    const cells = origins(g, row).filter((c) => c.col > 0 && c.col >= hc.col && c.col < hc.col + hc.colspan);
    expect(cells, `${f.key}: one value under its header`).toHaveLength(1);
    expect(squash(cells[0].text), f.key).toBe(squash(expectPrinted(r, f.key)));
  }
}

function checkT3(r: SynthReport, g: HtmlGrid): void {
  expect(g.width).toBe(10);
  const single = r.template === '2019' || r.singleOther === true;
  expect(g.slots).toHaveLength(single ? 26 : 28);
  const first = g.slots.findIndex((_, i) => labelMatches(col0(g, i), '一、本年新收政府信息公开申请数量'));
  expect(first).toBe(3);
  for (let c = 3; c < 10; c++) {
    const texts = [0, 1, 2].map((row) => g.slots[row][c].text).filter((t) => t !== '');
    expect(canon(texts[texts.length - 1]), `header of column ${c}`).toBe(T3_HEADER_TEXT[c - 3]);
  }
  const results = g.cells.filter((c) => canon(c.text) === '三、本年度办理结果');
  expect(results).toHaveLength(1);
  expect(results[0].rowspan).toBe(single ? 20 : 22);
  for (const f of specKeys(r).filter((x) => x.table === 't3')) {
    const rows = g.slots.map((_, i) => i).filter((i) => i >= first && labelMatches(g.slots[i][2].text, rowLabelOf(f)));
    expect(rows, `${f.key}: one row labelled ${rowLabelOf(f)}`).toHaveLength(1);
    const [row] = rows;
    const group = groupLabelOf(f);
    if (group) expect(canon(g.slots[row][1].text), f.key).toBe(canon(group));
    const isResult = !/^t3\.(new|carried_over|carried_forward)\./.test(f.key);
    expect(canon(g.slots[row][0].text) === '三、本年度办理结果', f.key).toBe(isResult);
    const c = 3 + T3_COLUMN_ORDER.indexOf(f.key.split('.')[2]);
    const cell = g.slots[row][c];
    expect([cell.row, cell.col, cell.rowspan, cell.colspan], f.key).toEqual([row, c, 1, 1]);
    expect(squash(cell.text), f.key).toBe(squash(expectPrinted(r, f.key)));
  }
}

function checkT4(r: SynthReport, g: HtmlGrid): void {
  expect(g.slots).toHaveLength(4);
  for (let c = 0; c < 15; c++) {
    const texts = [0, 1, 2].map((row) => g.slots[row][c].text).filter((t) => t !== '');
    expect(canon(texts[texts.length - 1])).toBe(T4_PART_TEXT[c % 5]);
    expect(canon(g.slots[0][c].text)).toBe(c < 5 ? '行政复议' : '行政诉讼');
    if (c >= 5) expect(canon(g.slots[1][c].text)).toBe(c < 10 ? '未经复议直接起诉' : '复议后起诉');
    const key = `t4.${T4_GROUP_ORDER[Math.floor(c / 5)]}.${T4_PART_ORDER[c % 5]}`;
    expect(squash(g.slots[3][c].text), key).toBe(squash(expectPrinted(r, key)));
  }
}

function checkPage(r: SynthReport, p: Parsed): void {
  const text = squash(p.$.root().text());
  expect(text).toContain(squash(`${r.agency}${r.year}年政府信息公开工作年度报告`));
  expect(text).toContain(squash(periodSentence(r.year)));
  for (const h of [
    '一、总体情况',
    '二、主动公开政府信息情况',
    '三、收到和处理政府信息公开申请情况',
    '四、政府信息公开行政复议、行政诉讼情况',
    '五、存在的主要问题及改进情况',
    '六、其他需要报告的事项',
  ]) {
    expect(text).toContain(h);
  }
  // Sections in order, each table after its heading.
  const at = (s: string): number => text.indexOf(s);
  expect(at('一、总体情况')).toBeLessThan(at('二、主动公开政府信息情况'));
  expect(at('二、主动公开政府信息情况')).toBeLessThan(at('信息内容'));
  expect(at('三、收到和处理政府信息公开申请情况')).toBeLessThan(at('一、本年新收'));
  expect(at('四、政府信息公开行政复议、行政诉讼情况')).toBeLessThan(at('复议后起诉'));
  expect(at('复议后起诉')).toBeLessThan(at('五、存在的主要问题及改进情况'));
}

describe.each(HTML_LAYOUTS)('renderHtml %s', (layout) => {
  it('prints every value in its row and column, with the official labels', () => {
    for (const r of REPORTS) {
      const p = parse(decoded(r, layout));
      checkT2(r, p.t2);
      checkT3(r, p.t3);
      checkT4(r, p.t4);
      checkPage(r, p);
    }
  });

  it('names the file after the report and layout', () => {
    const f = renderHtml(REPORTS[0], layout);
    expect(f.name).toMatch(new RegExp(`^synth-2021-\\d{4}-[0-9a-f]{8}-${layout}\\.html$`));
  });
});

describe('layout specifics', () => {
  const r21 = REPORTS[0];
  const r19 = REPORTS[2];

  it('official: the exact grids of templates.md', () => {
    for (const [r, t2rows, t3rows] of [
      [r21, 14, 28],
      [r19, 18, 26],
    ] as const) {
      const p = parse(decoded(r, 'official'));
      expect(p.t2).toHaveLength(1);
      expect([p.t2[0].width, p.t2[0].slots.length]).toEqual([4, t2rows]);
      expect([p.t3.width, p.t3.slots.length]).toEqual([10, t3rows]);
      const corner = p.t3.cells[0];
      expect([corner.rowspan, corner.colspan]).toEqual([3, 3]);
      expect(corner.text).toBe('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）');
      expect(p.t4.cells.slice(2, 7).map((c) => c.rowspan)).toEqual([2, 2, 2, 2, 2]);
      expect(p.$('meta[charset]').attr('charset')).toBe('utf-8');
    }
    const groups = parse(decoded(r21, 'official')).t3.cells.filter((c) => /^（[三四五六]）/.test(c.text));
    expect(groups.map((c) => c.rowspan)).toEqual([8, 3, 5, 3]);
  });

  it('word-export: MsoNormal paragraphs, o:p, &nbsp; blanks, conditional comments and the sizing row', () => {
    const html = decoded(REPORTS[1], 'word-export');
    expect(html).toContain('<p class=MsoNormal');
    expect(html).toContain('<span lang=EN-US>');
    expect(html).toContain('<o:p></o:p>');
    expect(html).toContain('<o:p>&nbsp;</o:p>');
    expect(html).toContain('<!--[if gte mso 9]>');
    expect(html).toContain('<![if !supportMisalignedColumns]>');
    expect(html).toMatch(/<td width=\d+/);
    const p = parse(html);
    for (const g of p.grids) expect(g.sizingRows).toBe(1);
  });

  it('portal: nav, breadcrumb, sidebar, footer and scripts around a layout table', () => {
    const f = renderHtml(r21, 'portal');
    expect(f.contentType).toBe('text/html; charset=UTF-8');
    const html = decoded(r21, 'portal');
    const $ = cheerio.load(html);
    expect($('table.layout').length).toBe(1);
    expect($('table.layout table').length).toBe(3);
    expect($('.location').text()).toContain('当前位置');
    expect($('.sidebar').text()).toContain('政府信息公开年报');
    expect($('.footer').text()).toMatch(/版权所有/);
    expect($('.footer').text()).toMatch(/ICP备\d+号/);
    expect($('script').length).toBeGreaterThanOrEqual(2);
    expect($('.nav li').length).toBeGreaterThan(3);
  });

  it('split-thead: thead/tbody with th cells, Table 2 in one table per block, fewer header merges', () => {
    for (const [r, blocks] of [
      [r21, 4],
      [r19, 5],
    ] as const) {
      const $ = cheerio.load(decoded(r, 'split-thead'));
      expect($('table')).toHaveLength(blocks + 2);
      $('table').each((_, t) => {
        expect($(t).children('thead').length).toBe(1);
        expect($(t).children('tbody').length).toBe(1);
        expect($(t).find('thead th').length).toBeGreaterThan(0);
        expect($(t).find('thead td').length).toBe(0);
      });
      const p = parse(decoded(r, 'split-thead'));
      expect(p.t3.cells[0].rowspan).toBe(2); // the corner spans 3 rows in the official form
      expect(p.t4.cells.slice(2, 7).every((c) => c.rowspan === 1)).toBe(true);
      expect(p.$('tbody th[scope=row]').length).toBeGreaterThan(20);
    }
  });

  it('gbk: GBK bytes that round-trip, with and without a meta charset', () => {
    for (const r of REPORTS.slice(0, 5)) {
      for (const layout of ['gbk', 'gbk-noheader'] as const) {
        const f = renderHtml(r, layout);
        expect(f.contentType).toBeUndefined();
        expect(() => new TextDecoder('utf-8', { fatal: true }).decode(f.bytes)).toThrow();
        const text = iconv.decode(Buffer.from(f.bytes), 'gbk');
        expect(text).not.toContain('\ufffd');
        expect(Buffer.compare(iconv.encode(text, 'gbk'), Buffer.from(f.bytes))).toBe(0);
        // Same document as the UTF-8 official layout apart from the meta.
        expect(text.replace('<meta charset="gb2312">\n', '')).toBe(decoded(r, 'official').replace('<meta charset="utf-8">\n', ''));
        if (layout === 'gbk') expect(text).toContain('<meta charset="gb2312">');
        else expect(text.toLowerCase()).not.toContain('charset');
      }
    }
  });

  it('drift: Table 2 on a 5-column grid whose value colspans differ from their headers', () => {
    for (const r of [r21, r19]) {
      const p = parse(decoded(r, 'drift'));
      expect(p.t2).toHaveLength(1);
      expect(p.t2[0].width).toBe(5);
      const g = p.t2[0];
      const spans = (row: number): number[] => origins(g, row).map((c) => c.colspan);
      const drifting = g.slots
        .map((_, i) => i)
        .filter((i) => i > 0 && canon(col0(g, i - 1)) === '信息内容' && spans(i).join() !== spans(i - 1).join());
      expect(drifting.length).toBeGreaterThan(0);
      expect(decoded(r, 'drift')).not.toContain('<html');
    }
  });
});

describe('typos', () => {
  it('prints every deviation when asked, and none otherwise', () => {
    const base = { template: '2021' as const, scale: 'small' as const, blankForZero: false };
    const clean = decoded(randomReport(7, { ...base, typos: false }), 'official');
    const typo = decoded(randomReport(7, { ...base, typos: TYPO_KINDS }), 'official');
    expect(clean).toContain('2.其他法律行政法规禁止公开');
    expect(clean).toContain('3.危及“三安全一稳定”');
    expect(clean).toContain('<td>行政规范性文件</td>');
    expect(clean).toContain('第二十条第（一）项');
    expect(clean).not.toContain('<br>');
    expect(typo).toContain('2、其他法律行政止公开');
    expect(typo).toMatch(/3、危及"?三安全一稳定"?</);
    expect(typo).not.toContain('“三安全一稳定”');
    expect(typo).toContain('<td>规范性文件</td>');
    expect(typo).toContain('第二十条 第（一）项');
    expect(typo).toContain('商业<br>企业');
    expect(typo).toContain('三<br>、<br>本<br>年');
  });

  it('typos: true picks a seeded, non-empty subset', () => {
    const kinds = new Set<string>();
    for (let s = 0; s < 40; s++) {
      const html = decoded(randomReport(s, { template: '2021', typos: true }), 'official');
      if (html.includes('行政止公开')) kinds.add('prohibited-typo');
      if (html.includes('商业<br>企业')) kinds.add('breaks');
      if (html.includes('第二十条 第')) kinds.add('spaces');
      if (!html.includes('“三安全一稳定”')) kinds.add('quotes');
    }
    expect(kinds.size).toBe(4);
  });
});
