import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  TEXT_LAYOUTS,
  periodSentence,
  randomReport,
  renderRunTogether,
  renderText,
  type SynthReport,
  type TextLayout,
} from '../generate/synth/index.js';
import {
  T3_COLUMN_ORDER,
  T4_GROUP_ORDER,
  T4_PART_ORDER,
  T4_PART_TEXT,
  canon,
  expectPrinted,
  labelMatches,
  rowLabelOf,
  rowsCellsPerLine,
  rowsMarkdown,
  rowsSpaces,
  rowsTabs,
  specKeys,
  squash,
  t2ColumnLabelOf,
  type TextRows,
  sampleReports,
} from './helpers.js';

const REPORTS = sampleReports(200, 7000);

const text = (r: SynthReport, layout: TextLayout): string => new TextDecoder('utf-8', { fatal: true }).decode(renderText(r, layout).bytes);

const PARSERS: Record<TextLayout, (t: string) => TextRows> = {
  'cells-per-line': rowsCellsPerLine,
  tabs: rowsTabs,
  spaces: rowsSpaces,
  markdown: rowsMarkdown,
};

/** How the layout prints the cell of `key`. */
function printed(r: SynthReport, key: string, layout: TextLayout): string {
  const p = expectPrinted(r, key);
  return p === '' && layout === 'spaces' ? '—' : p;
}

function findRow(rows: TextRows, label: string, key: string): [string[], number] {
  const hits = rows.map((row, i) => [row, i, row.findIndex((c) => labelMatches(c, label))] as const).filter(([, , li]) => li >= 0);
  expect(hits, `${key}: one row labelled ${label}`).toHaveLength(1);
  return [hits[0][0], hits[0][2]];
}

function checkRows(r: SynthReport, layout: TextLayout, rows: TextRows): void {
  for (const f of specKeys(r).filter((x) => x.table === 't2')) {
    const [row, li] = findRow(rows, rowLabelOf(f), f.key);
    let h = rows.indexOf(row) - 1;
    while (h >= 0 && canon(rows[h].find((c) => c.trim() !== '') ?? '') !== '信息内容') h--;
    expect(h, `${f.key}: header row`).toBeGreaterThanOrEqual(0);
    const headers = rows[h].filter((c) => c.trim() !== '').slice(1);
    const ci = headers.findIndex((c) => labelMatches(c, t2ColumnLabelOf(f, r.template)));
    expect(ci, `${f.key}: header ${t2ColumnLabelOf(f, r.template)} in ${headers.join('|')}`).toBeGreaterThanOrEqual(0);
    expect(squash(row[li + 1 + ci]), f.key).toBe(squash(printed(r, f.key, layout)));
  }
  for (const f of specKeys(r).filter((x) => x.table === 't3')) {
    const [row, li] = findRow(rows, rowLabelOf(f), f.key);
    // The seven values close the row; markdown keeps the empty slots a merged label covers.
    if (layout === 'markdown')
      expect(
        row.slice(li + 1, -7).every((c) => c === ''),
        f.key,
      ).toBe(true);
    else expect(row.length - li - 1, `${f.key}: seven values after the label`).toBe(7);
    const ci = T3_COLUMN_ORDER.indexOf(f.key.split('.')[2]);
    expect(squash(row[row.length - 7 + ci]), f.key).toBe(squash(printed(r, f.key, layout)));
  }
  const subHeader = rows.map((row) => row.filter((c) => T4_PART_TEXT.includes(canon(c))).length).lastIndexOf(10);
  expect(subHeader).toBeGreaterThan(0);
  const values = rows[subHeader + 1];
  expect(values).toHaveLength(15);
  values.forEach((v, c) => {
    const key = `t4.${T4_GROUP_ORDER[Math.floor(c / 5)]}.${T4_PART_ORDER[c % 5]}`;
    expect(squash(v), key).toBe(squash(printed(r, key, layout)));
  });
}

describe.each(TEXT_LAYOUTS)('renderText %s', (layout) => {
  it('prints every value after its row label and in its column', () => {
    for (const r of REPORTS) checkRows(r, layout, PARSERS[layout](text(r, layout)));
  });

  it('prints the title, the statistics period and the sections in order', () => {
    for (const r of REPORTS.slice(0, 5)) {
      const t = squash(text(r, layout));
      expect(t).toContain(squash(`${r.agency}${r.year}年政府信息公开工作`));
      expect(t).toContain(squash(periodSentence(r.year)));
      // The preamble names the sections too, so each heading is looked for after the previous one and a table after it.
      let at = t.indexOf(squash(periodSentence(r.year)));
      for (const h of [
        '一、总体情况',
        '二、主动公开政府信息情况',
        '信息内容',
        '收到和处理政府信息公开申请情况',
        '一、本年新收',
        '政府信息公开行政复议、行政诉讼情况',
        '复议后起诉',
        '五、存在的主要问题及改进情况',
        '六、其他需要报告的事项',
      ]) {
        const next = t.indexOf(h, at);
        expect(next, h).toBeGreaterThan(at);
        at = next;
      }
    }
  });
});

describe('text layout specifics', () => {
  it('cells-per-line reproduces 000_97b5ed2afefa8716.txt line for line (all-zero 2021 report)', () => {
    const r = randomReport(1, { template: '2021', scale: 'zero', blankForZero: false, typos: false, singleOther: false, annotate: false });
    const cut = (t: string): string[] => {
      const ls = t.split('\n');
      return ls.slice(ls.indexOf('二、主动公开政府信息情况'), ls.indexOf('五、存在的主要问题及改进情况'));
    };
    const real = cut(readFileSync(new URL('../../corpus/000_97b5ed2afefa8716.txt', import.meta.url), 'utf8'));
    expect(real.length).toBeGreaterThan(300);
    expect(cut(text(r, 'cells-per-line'))).toEqual(real);
  });

  it('cells-per-line: one tab-indented cell per line, a lone tab for an empty slot', () => {
    const t = text(REPORTS[1], 'cells-per-line');
    const cellLines = t.split('\n').filter((l) => l.startsWith('\t'));
    expect(cellLines.every((l) => !l.slice(1).includes('\t'))).toBe(true);
    expect(cellLines.filter((l) => l === '\t').length).toBeGreaterThan(50);
    expect(t).not.toContain('\n\n\n\n');
  });

  it('tabs: one table row per line', () => {
    const rows = rowsTabs(text(REPORTS[0], 'tabs'));
    // Numbered Table 3 items: two label slots (one a placeholder for the group) + item + 7 values.
    expect(rows.filter((r) => r.length === 10)).toHaveLength(8 + 3 + 5 + 3);
    expect(rows.filter((r) => r.length === 15)).toHaveLength(2);
  });

  it('spaces: cells apart by two or more spaces, blanks printed as a dash, columns aligned', () => {
    const t = text(REPORTS[1], 'spaces');
    expect(t).toContain('—');
    const t3 = t.split('\n').filter((l) => l.includes('结转下年度继续办理') || l.includes('本年新收政府信息公开申请数量'));
    expect(t3).toHaveLength(2);
    const ends = (l: string): number[] => [...l.matchAll(/\S+/g)].slice(-7).map((m) => (m.index ?? 0) + m[0].length - l.length);
    expect(ends(t3[0])).toEqual(ends(t3[1]));
  });

  it('markdown: pipe tables with a separator row, one column per grid slot', () => {
    const t = text(REPORTS[0], 'markdown');
    expect(t).toMatch(/^# /);
    expect(t.match(/^\|(---\|){4}$/gm)).toHaveLength(1);
    expect(t.match(/^\|(---\|){10}$/gm)).toHaveLength(1);
    expect(t.match(/^\|(---\|){15}$/gm)).toHaveLength(1);
    expect(rowsMarkdown(t).filter((r) => r.length === 10)).toHaveLength(28);
  });
});

describe('renderRunTogether', () => {
  const body = (r: SynthReport): string => {
    const t = new TextDecoder('utf-8', { fatal: true }).decode(renderRunTogether(r).bytes);
    const lines = t.split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe(`标题: ${r.agency}${r.year}年政府信息公开工作年度报告`);
    expect(lines[8]).toBe('==================== 正文 ====================');
    return lines[9];
  };

  it('puts the whole report on one line with each row run together', () => {
    for (const r of REPORTS) {
      const b = squash(body(r));
      expect(b).toContain(squash(periodSentence(r.year)));
      for (const f of specKeys(r).filter((x) => x.table !== 't4')) {
        const label = rowLabelOf(f);
        const rowKeys = specKeys(r)
          .filter((x) => x.table === f.table && rowLabelOf(x) === label)
          .map(
            (x) =>
              [
                x.key,
                x.table === 't3' ? T3_COLUMN_ORDER.indexOf(x.key.split('.')[2]) : T2_HEADER_ORDER.indexOf(t2ColumnLabelOf(x, r.template)),
              ] as const,
          )
          .sort((a, b) => a[1] - b[1]);
        expect(rowKeys.every(([, i]) => i >= 0)).toBe(true);
        const run = squash(rowKeys.map(([k]) => expectPrinted(r, k)).join(''));
        expect(
          labelVariants(label).some((v) => b.includes(v + run)),
          `${f.key}: ${label}${run}`,
        ).toBe(true);
      }
      const t4 = squash(T4_GROUP_ORDER.flatMap((g) => T4_PART_ORDER.map((p) => expectPrinted(r, `t4.${g}.${p}`))).join(''));
      expect(b).toContain(`尚未审结总计${t4}`);
    }
  });

  it('is named like a crawler page.txt and is deterministic', () => {
    const a = renderRunTogether(REPORTS[0]);
    expect(a.name).toMatch(/-run-together_page\.txt$/);
    expect(Buffer.from(a.bytes).equals(renderRunTogether(REPORTS[0]).bytes)).toBe(true);
  });
});

/** Table 2 column headers in printed order (2021 and 2019 forms). */
const T2_HEADER_ORDER = [
  '本年制发件数',
  '本年废止件数',
  '现行有效件数',
  '本年新制作数量',
  '本年新公开数量',
  '对外公开总数量',
  '上一年项目数量',
  '本年增/减',
  '处理决定数量',
  '本年处理决定数量',
  '本年收费金额（单位：万元）',
  '采购项目数量',
  '采购总金额',
];

/** The label as it may be printed with the documented typos, squashed. */
function labelVariants(label: string): string[] {
  let vs = [label];
  const add = (f: (v: string) => string): void => {
    vs = [...vs, ...vs.map(f)];
  };
  add((v) => v.replace(/^(\d)\./, '$1、'));
  add((v) => v.replace('其他法律行政法规禁止公开', '其他法律行政止公开'));
  add((v) => v.replace(/[“”]/g, ''));
  add((v) => v.replace(/[“”]/g, '"'));
  add((v) => (v === '行政规范性文件' ? '规范性文件' : v));
  return [...new Set(vs.map(squash))];
}
