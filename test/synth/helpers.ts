/**
 * Test-side readers of the synthesizer's output. They know the official
 * forms only through spec/fields.tsv (FIELD_SPECS) and never call the
 * generator's table code, so a wrong row or column in a renderer shows up.
 */
import * as cheerio from 'cheerio';
import type { Element } from 'domhandler';
import { FIELD_SPECS, type FieldSpec } from '../../src/spec/fields.js';
import { randomReport, TYPO_KINDS, type SynthReport } from '../generate/synth/index.js';

// ---- what the report must contain, from the spec ----

/**
 * The reports a layout test renders: five chosen to cover the options (annotations, typos,
 * single （六）, the 2019 form, Shanghai-style totals, all zero), then fifteen drawn from seeds.
 */
export function sampleReports(base: number, drawnFrom: number): SynthReport[] {
  return [
    randomReport(base + 1, { template: '2021', typos: false, blankForZero: false, annotate: true, scale: 'large' }),
    randomReport(base + 2, { template: '2021', singleOther: true, typos: TYPO_KINDS, blankForZero: true }),
    randomReport(base + 3, { template: '2019', typos: TYPO_KINDS, blankForZero: false, scale: 'medium' }),
    randomReport(base + 4, { template: '2019', totalsOnlyMainRows: true, blankForZero: true }),
    randomReport(base + 5, { scale: 'zero' }),
    ...Array.from({ length: 15 }, (_, i) => randomReport(drawnFrom + i)),
  ];
}

export function specKeys(r: SynthReport): FieldSpec[] {
  const single = r.template === '2019' || r.singleOther === true;
  return FIELD_SPECS.filter((f) => {
    if (!f.templates.includes(r.template)) return false;
    if (f.key.startsWith('t3.other.')) return single;
    if (/^t3\.other_(no_correction|unpaid_fee|misc)\./.test(f.key)) return !single;
    return true;
  });
}

/** The printed row label that identifies the key's row (the numbered item, not its group). */
export function rowLabelOf(f: FieldSpec): string {
  if (f.key.startsWith('t3.other.')) return '（六）其他处理';
  let l = f.rowLabel.replace(/^三、本年度办理结果/, '');
  const sp = l.lastIndexOf(' ');
  if (sp >= 0) l = l.slice(sp + 1);
  return l;
}

/** The group label of a numbered Table 3 item, e.g. '（三）不予公开'. */
export function groupLabelOf(f: FieldSpec): string | undefined {
  const m = f.rowLabel.match(/^(（[三四五六]）\S+) /);
  return m?.[1];
}

/** The printed Table 2 column header of the key, for the report's template. */
export function t2ColumnLabelOf(f: FieldSpec, template: string): string {
  const m = f.columnLabel.match(/^(\S+) \(2019 form: (\S+)\)$/);
  if (m) return template === '2019' ? m[2] : m[1];
  return f.columnLabel;
}

export const T3_COLUMN_ORDER = ['natural_person', 'commercial', 'research', 'social_welfare', 'legal_service', 'other_org', 'total'];
export const T3_HEADER_TEXT = ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计'];
export const T4_GROUP_ORDER = ['review', 'litigation_direct', 'litigation_after_review'];
export const T4_PART_ORDER = ['upheld', 'corrected', 'other', 'pending', 'total'];
export const T4_PART_TEXT = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];

/** The printed cell text the test expects, computed here rather than by the generator. */
export function expectPrinted(r: SynthReport, key: string): string {
  const ann = r.annotations?.[key];
  if (ann !== undefined) return ann;
  const v = r.values[key];
  if (v === null || v === undefined || (v === 0 && r.blankForZero)) return '';
  return key === 't2.procurement.amount' ? `${v}元` : String(v);
}

// ---- label comparison that tolerates the documented typos ----

export function canon(text: string): string {
  return text
    .replace(/[\s\u00a0\u3000]+/g, '')
    .replace(/[“”"]/g, '')
    .replace(/^(\d)、/, '$1.')
    .replace('其他法律行政止公开', '其他法律行政法规禁止公开');
}

export function labelMatches(printed: string, label: string): boolean {
  const p = canon(printed);
  const l = canon(label);
  return p === l || (l === '行政规范性文件' && p === '规范性文件');
}

export const squash = (s: string): string => s.replace(/[\s\u00a0\u3000]+/g, '');

// ---- HTML tables as grids ----

export interface HtmlCell {
  text: string;
  row: number;
  col: number;
  rowspan: number;
  colspan: number;
}

export interface HtmlGrid {
  cells: HtmlCell[];
  /** slots[row][col] → the origin cell covering it. */
  slots: HtmlCell[][];
  width: number;
  /** Rows dropped because they are Word's column-sizing row (<tr height=0>). */
  sizingRows: number;
}

/** Expands rowspan/colspan of one <table> (its own rows only, not nested tables). */
export function htmlGrid($: cheerio.CheerioAPI, table: Element): HtmlGrid {
  const trs = $(table)
    .find('tr')
    .filter((_, tr) => $(tr).closest('table')[0] === table);
  const slots: HtmlCell[][] = [];
  const cells: HtmlCell[] = [];
  let sizingRows = 0;
  let r = 0;
  trs.each((_, tr) => {
    if ($(tr).attr('height') === '0') {
      sizingRows++;
      return;
    }
    slots[r] ??= [];
    let c = 0;
    $(tr)
      .children('td,th')
      .each((__, td) => {
        while (slots[r][c]) c++;
        const cell: HtmlCell = {
          text: $(td)
            .text()
            .replace(/\u00a0/g, ' ')
            .trim(),
          row: r,
          col: c,
          rowspan: Number($(td).attr('rowspan') ?? 1),
          colspan: Number($(td).attr('colspan') ?? 1),
        };
        cells.push(cell);
        for (let dr = 0; dr < cell.rowspan; dr++) {
          slots[r + dr] ??= [];
          for (let dc = 0; dc < cell.colspan; dc++) slots[r + dr][c + dc] = cell;
        }
        c += cell.colspan;
      });
    r++;
  });
  const width = Math.max(0, ...slots.map((s) => s.length));
  return { cells, slots, width, sizingRows };
}

/** The innermost tables of a page (a portal's layout table holds the report's tables). */
export function reportTables($: cheerio.CheerioAPI): Element[] {
  return $('table')
    .filter((_, t) => $(t).find('table').length === 0)
    .toArray();
}

// ---- text layouts as rows of cells ----

export type TextRows = string[][];

/** cells-per-line: tab-indented lines are cells, a blank line ends a row. */
export function rowsCellsPerLine(text: string): TextRows {
  const rows: TextRows = [];
  let cur: string[] | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('\t')) {
      (cur ??= []).push(line.slice(1));
    } else {
      if (cur) rows.push(cur);
      cur = null;
    }
  }
  if (cur) rows.push(cur);
  return rows;
}

export function rowsTabs(text: string): TextRows {
  return text.split('\n').map((l) => l.split('\t'));
}

export function rowsSpaces(text: string): TextRows {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => l.split(/ {2,}/));
}

export function rowsMarkdown(text: string): TextRows {
  return text
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|(---\|)+$/.test(l))
    .map((l) => l.slice(2, -2).split(' | '));
}
