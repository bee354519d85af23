/**
 * Tables 2, 3 and 4 as grids of origin cells (a merged cell appears once with
 * its spans), with labels already varied by the report's typos. Every layout
 * renders from these grids.
 */
import {
  T2_CONTENT_LABEL,
  T3_APPLICANT_HEADER,
  T3_APPLICANTS,
  T3_COLUMN_LABELS,
  T3_COLUMNS,
  T3_CORNER,
  T3_ORG_HEADER,
  T3_RESULTS_LABEL,
  T4_COLUMN_LABELS,
  T4_COLUMNS,
  T4_GROUPS,
  T4_GROUP_LABELS,
  t2Blocks,
  t3Rows,
  usesSingleOther,
  type T2Block,
} from './form.js';
import { createRng } from './prng.js';
import { TYPO_KINDS, type SynthReport, type TypoKind } from './types.js';
import { printedValue, reportSeed } from './values.js';

export type CellRole = 'title' | 'header' | 'corner' | 'label' | 'value';

export interface GridCell {
  /** Printed text; '\n' marks a line break inside the cell. */
  text: string;
  role: CellRole;
  rowspan: number;
  colspan: number;
  /** The canonical key of a value cell. */
  key?: string;
}

export interface GridTable {
  part: 't2' | 't3' | 't4';
  width: number;
  /** Number of leading header rows (for <thead>). */
  headerRows: number;
  rows: GridCell[][];
}

// ---- label variants ----

/** The typo kinds a report prints. */
export function typoSet(r: SynthReport): Set<TypoKind> {
  if (!r.typos) return new Set();
  if (Array.isArray(r.typos)) return new Set(r.typos as readonly TypoKind[]);
  const rng = createRng(reportSeed(r)).fork(11);
  const kinds = TYPO_KINDS.filter((k) => !(k === 'normative' && r.template === '2019'));
  const chosen = kinds.filter(() => rng.chance(0.5));
  return new Set(chosen.length ? chosen : [rng.pick(kinds)]);
}

const BREAKS: Record<string, string> = {
  商业企业: '商业\n企业',
  科研机构: '科研\n机构',
  社会公益组织: '社会公益\n组织',
  法律服务机构: '法律服务\n机构',
  本年新制作数量: '本年新\n制作数量',
  本年新公开数量: '本年新\n公开数量',
  '（二）部分公开（区分处理的，只计这一情形，不计其他情形）': '（二）部分公开\n（区分处理的，只计这一情形，不计其他情形）',
  [T3_RESULTS_LABEL]: [...T3_RESULTS_LABEL].join('\n'),
  未经复议直接起诉: '未经复议\n直接起诉',
};

/** Applies the report's typos to one printed label. */
export class Labeler {
  private readonly kinds: Set<TypoKind>;
  private readonly straightQuotes: boolean;

  constructor(private readonly r: SynthReport) {
    this.kinds = typoSet(r);
    this.straightQuotes = createRng(reportSeed(r)).fork(12).chance(0.5);
  }

  has(kind: TypoKind): boolean {
    return this.kinds.has(kind);
  }

  label(text: string): string {
    let t = text;
    if (this.has('prohibited-typo')) t = t.replace('其他法律行政法规禁止公开', '其他法律行政止公开');
    if (this.has('dunhao')) t = t.replace(/^(\d)\./, '$1、');
    if (this.has('quotes')) t = t.replace(/[“”]/g, this.straightQuotes ? '"' : '');
    if (this.has('normative') && this.r.template === '2021' && t === '行政规范性文件') t = '规范性文件';
    if (this.has('spaces')) {
      t = t.replace(/^第二十条第/, '第二十条 第').replace(/^([一二四])、/, '$1、 ');
    }
    if (this.has('breaks') && BREAKS[t] !== undefined) t = BREAKS[t];
    return t;
  }
}

// ---- builders ----

const cell = (text: string, role: CellRole, colspan = 1, rowspan = 1, key?: string): GridCell =>
  key === undefined ? { text, role, rowspan, colspan } : { text, role, rowspan, colspan, key };

/** Spans of the value (and header) cells after 信息内容, on a 4-column grid. */
function officialSpans(n: number): number[] {
  return n === 1 ? [3] : n === 2 ? [1, 2] : [1, 1, 1];
}

function t2BlockRows(r: SynthReport, L: Labeler, block: T2Block, width: number, headerSpans: number[], dataSpans: number[]): GridCell[][] {
  const rows: GridCell[][] = [[cell(L.label(block.title), 'title', width)]];
  rows.push([cell(T2_CONTENT_LABEL, 'header'), ...block.columns.map((c, i) => cell(L.label(c), 'header', headerSpans[i]))]);
  for (const row of block.rows) {
    rows.push([cell(L.label(row.label), 'label'), ...row.keys.map((k, i) => cell(printedValue(r, k), 'value', dataSpans[i], 1, k))]);
  }
  return rows;
}

/** Table 2 as one table on the official 4-column grid (14 rows for 2021). */
export function t2Official(r: SynthReport, L: Labeler): GridTable {
  const rows = t2Blocks(r.template).flatMap((b) =>
    t2BlockRows(r, L, b, 4, officialSpans(b.columns.length), officialSpans(b.columns.length)),
  );
  return { part: 't2', width: 4, headerRows: 0, rows };
}

/** Table 2 as one table per block (4 for 2021, 5 for 2019); each block's title and header rows are its header. */
export function t2Split(r: SynthReport, L: Labeler): GridTable[] {
  return t2Blocks(r.template).map((b) => ({
    part: 't2',
    width: 4,
    headerRows: 2,
    rows: t2BlockRows(r, L, b, 4, officialSpans(b.columns.length), officialSpans(b.columns.length)),
  }));
}

/**
 * Table 2 on a 5-column grid whose colspans drift between header and data
 * rows, as in [SH2019]: e.g. 上一年项目数量 is one column in the header but its
 * value spans two, and 本年增/减 sits under a two-column header.
 */
export function t2Drift(r: SynthReport, L: Labeler): GridTable {
  const rows = t2Blocks(r.template).flatMap((b, i) => {
    let header: number[];
    let data: number[];
    if (b.columns.length === 1) [header, data] = [[4], [4]];
    else if (b.columns.length === 2)
      [header, data] = [
        [2, 2],
        [2, 2],
      ];
    else if (i === 0 && r.template === '2019')
      [header, data] = [
        [1, 2, 1],
        [1, 2, 1],
      ];
    else
      [header, data] = [
        [1, 2, 1],
        [2, 1, 1],
      ];
    return t2BlockRows(r, L, b, 5, header, data);
  });
  return { part: 't2', width: 5, headerRows: 0, rows };
}

export type HeaderStyle = 'official' | 'split';

/**
 * Table 3 on its 10-column grid. 'official': the merges of [TPL-DOCX].
 * 'split': the same header drawn with fewer merges (empty cells where the
 * official form merges), as some portals' <thead> does.
 */
export function t3Table(r: SynthReport, L: Labeler, style: HeaderStyle = 'official'): GridTable {
  const head = (c: string): GridCell => cell(L.label(T3_COLUMN_LABELS[c as keyof typeof T3_COLUMN_LABELS]), 'header');
  const rows: GridCell[][] =
    style === 'official'
      ? [
          [cell(T3_CORNER, 'corner', 3, 3), cell(T3_APPLICANT_HEADER, 'header', 7)],
          [cell(L.label('自然人'), 'header', 1, 2), cell(T3_ORG_HEADER, 'header', 5), cell(L.label('总计'), 'header', 1, 2)],
          T3_APPLICANTS.slice(1).map(head),
        ]
      : [
          [cell(T3_CORNER, 'corner', 3, 2), cell(T3_APPLICANT_HEADER, 'header', 7)],
          [cell(L.label('自然人'), 'header'), cell(T3_ORG_HEADER, 'header', 5), cell('', 'header')],
          [cell('', 'header', 3), cell('', 'header'), ...T3_APPLICANTS.slice(1).map(head), head('total')],
        ];
  const single = usesSingleOther(r);
  const defs = t3Rows(single);
  const resultsSpan = defs.filter((d) => d.result).length + 1; // + （七）总计
  const groupSize = (g: string): number => defs.filter((d) => d.group === g).length;
  let prevGroup: string | undefined;
  for (const d of defs) {
    const values = T3_COLUMNS.map((c) => cell(printedValue(r, `t3.${d.id}.${c}`), 'value', 1, 1, `t3.${d.id}.${c}`));
    const labels: GridCell[] = [];
    if (d.id === 'granted') labels.push(cell(L.label(T3_RESULTS_LABEL), 'label', 1, resultsSpan));
    if (!d.result && d.id !== 'total') labels.push(cell(L.label(d.label), 'label', 3));
    else if (!d.group) labels.push(cell(L.label(d.label), 'label', 2));
    else {
      if (d.group !== prevGroup) labels.push(cell(L.label(d.group), 'label', 1, groupSize(d.group)));
      labels.push(cell(L.label(d.label), 'label'));
    }
    prevGroup = d.group;
    rows.push([...labels, ...values]);
  }
  return { part: 't3', width: 10, headerRows: 3, rows };
}

/** Table 4 on its 15-column grid (4 rows). */
export function t4Table(r: SynthReport, L: Labeler, style: HeaderStyle = 'official'): GridTable {
  const parts = T4_COLUMNS.map((c) => T4_COLUMN_LABELS[c]);
  const row1 = [cell(T4_GROUP_LABELS.review, 'header', 5), cell(T4_GROUP_LABELS.litigation, 'header', 10)];
  const sub = [cell(L.label(T4_GROUP_LABELS.litigation_direct), 'header', 5), cell(T4_GROUP_LABELS.litigation_after_review, 'header', 5)];
  const rows: GridCell[][] =
    style === 'official'
      ? [row1, [...parts.map((p) => cell(p, 'header', 1, 2)), ...sub], [...parts, ...parts].map((p) => cell(p, 'header'))]
      : [
          row1,
          [...parts.map((p) => cell(p, 'header')), ...sub],
          [...parts.map(() => cell('', 'header')), ...[...parts, ...parts].map((p) => cell(p, 'header'))],
        ];
  rows.push(T4_GROUPS.flatMap((g) => T4_COLUMNS.map((c) => cell(printedValue(r, `t4.${g}.${c}`), 'value', 1, 1, `t4.${g}.${c}`))));
  return { part: 't4', width: 15, headerRows: 3, rows };
}

/** Origin cells placed on the grid: for every slot, the cell covering it and that cell's origin. */
export interface PlacedGrid {
  covering: GridCell[][];
  origin: Map<GridCell, [number, number]>;
}

export function placeGrid(t: GridTable): PlacedGrid {
  const covering: (GridCell | undefined)[][] = t.rows.map(() => new Array<GridCell | undefined>(t.width).fill(undefined));
  const origin = new Map<GridCell, [number, number]>();
  t.rows.forEach((row, ri) => {
    let c = 0;
    for (const cl of row) {
      while (c < t.width && covering[ri][c]) c++;
      if (c + cl.colspan > t.width) throw new Error(`table ${t.part}: row ${ri} overflows its ${t.width} columns`);
      origin.set(cl, [ri, c]);
      for (let dr = 0; dr < cl.rowspan; dr++) {
        for (let dc = 0; dc < cl.colspan; dc++) {
          if (ri + dr >= t.rows.length) throw new Error(`table ${t.part}: rowspan past the end`);
          if (covering[ri + dr][c + dc]) throw new Error(`table ${t.part}: overlapping cells at ${ri + dr},${c + dc}`);
          covering[ri + dr][c + dc] = cl;
        }
      }
      c += cl.colspan;
    }
  });
  covering.forEach((slots, ri) =>
    slots.forEach((cl, c) => {
      if (!cl) throw new Error(`table ${t.part}: slot ${ri},${c} is empty`);
    }),
  );
  return { covering: covering as GridCell[][], origin };
}

/**
 * The slots a reader sees row by row: origin cells in column order, and one
 * empty placeholder (null) for each cell that reaches into this row from above
 * (rowspan), as web-to-text copies print them (000_97b5ed2afefa8716.txt).
 * Columns covered by a colspan in the same row produce nothing.
 */
export function visualRows(t: GridTable): (GridCell | null)[][] {
  const { covering, origin } = placeGrid(t);
  return covering.map((slots, ri) => {
    const out: (GridCell | null)[] = [];
    slots.forEach((cl, c) => {
      const [or, oc] = origin.get(cl)!;
      if (oc === c) out.push(or === ri ? cl : null);
    });
    return out;
  });
}

/** One entry per grid slot: the origin cell in its top-left slot, null in every slot it only covers. */
export function slotRows(t: GridTable): (GridCell | null)[][] {
  const { covering, origin } = placeGrid(t);
  return covering.map((slots, ri) =>
    slots.map((cl, c) => {
      const [or, oc] = origin.get(cl)!;
      return or === ri && oc === c ? cl : null;
    }),
  );
}
