/**
 * <table> → TableBlock: the HTML table model (rowspan/colspan placement) with
 * origin cells only. A merged cell appears once at its top-left slot; the
 * slots it covers stay empty in `cells`.
 *
 * Deviations from a browser, all to keep the grid honest for mapping:
 * - spans are clamped to the table (rowspan to its row group, colspan to the
 *   last column any cell starts in), so colspan="100" on a title row does not
 *   invent 95 empty columns;
 * - a span that would overlap another cell is cut where the overlap starts,
 *   so every slot belongs to at most one origin cell.
 */
import type { Cell, TableBlock } from '../../src/model.js';
import { type HElement, type HNode, childElements, findFirst, isElement, isBlock, rawText, SKIP_TAGS } from './dom.js';
import { damagedCell } from './parse.js';
import { LineBuilder } from './text.js';
import { DEFAULT_LIMITS, type Limits, overLimit } from '../../src/contract/limits.js';

/** HTML's own limits (spec: colspan ≤ 1000, rowspan ≤ 65534). */
const MAX_COLSPAN = 1000;
const MAX_ROWSPAN = 65534;

/** The table's rows in rendering order (thead first, tfoot last) with the end of each row's group. */
export function tableRows(table: HElement): { rows: HElement[]; groupEnd: number[] } {
  const head: HElement[][] = [];
  const body: HElement[][] = [];
  const foot: HElement[][] = [];
  let loose: HElement[] | null = null;
  for (const child of childElements(table)) {
    if (child.name === 'tr') {
      // Rows outside any section (htmlparser2 trees) form one implicit group per run.
      if (!loose) body.push((loose = []));
      loose.push(child);
      continue;
    }
    loose = null;
    const trs = childElements(child).filter((e) => e.name === 'tr');
    if (child.name === 'thead' && head.length === 0) head.push(trs);
    else if (child.name === 'tfoot' && foot.length === 0) foot.push(trs);
    else if (child.name === 'tbody' || child.name === 'thead' || child.name === 'tfoot') body.push(trs);
  }
  const rows: HElement[] = [];
  const groupEnd: number[] = [];
  for (const group of [...head, ...body, ...foot]) {
    const end = rows.length + group.length;
    for (const tr of group) {
      rows.push(tr);
      groupEnd.push(end);
    }
  }
  return { rows, groupEnd };
}

function cellsOf(tr: HElement): HElement[] {
  return childElements(tr).filter((e) => e.name === 'td' || e.name === 'th');
}

function spanAttr(value: string | undefined, zeroMeans: number, max: number): number {
  if (value === undefined) return 1;
  const m = value.trim().match(/^\+?(\d+)/);
  if (!m) return 1;
  const n = Number(m[1]);
  if (n === 0) return zeroMeans;
  return Math.min(n, max);
}

/**
 * Text of a cell: <br>, block children (nested <p>, Word's MsoNormal
 * paragraphs) and Word's <o:p> paragraph marks become line breaks; each line
 * is whitespace-normalised; empty lines are dropped, so an &nbsp;-only cell is ''.
 */
export function cellText(cell: HElement): string {
  const lb = new LineBuilder();
  const stack: Array<HNode | { exit: true }> = [...cell.children].reverse();
  while (stack.length) {
    const item = stack.pop()!;
    if ('exit' in item) {
      lb.br();
      continue;
    }
    if (item.type === 'text') {
      lb.text(item.data ?? '');
      continue;
    }
    if (!isElement(item) || SKIP_TAGS.has(item.name)) continue;
    if (item.name === 'br') {
      lb.br();
      continue;
    }
    const block = isBlock(item) || item.name === 'o:p';
    if (block) {
      lb.br();
      stack.push({ exit: true });
    }
    for (let i = item.children.length - 1; i >= 0; i--) stack.push(item.children[i]);
  }
  return lb.finish().join('\n');
}

/**
 * A layout table holds the page rather than data: it contains another table
 * (see gridDespiteNesting), has a single cell, or has a handful of cells one
 * of which is running text (several paragraphs). Its cells are walked as
 * containers.
 */
const layoutCache = new WeakMap<HElement, boolean>();

export function isLayoutTable(table: HElement): boolean {
  let v = layoutCache.get(table);
  if (v === undefined) layoutCache.set(table, (v = classifyLayout(table)));
  return v;
}

/** Visible characters of a cell, not counting tables nested in it. */
function ownChars(cell: HElement): number {
  let n = 0;
  const stack: HNode[] = [...cell.children];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.type === 'text') n += (x.data ?? '').replace(/\s/g, '').length;
    else if (isElement(x) && x.name !== 'table') stack.push(...x.children);
  }
  return n;
}

/**
 * A table holding tables is a layout table, unless it is itself a data grid
 * with a small table tucked into a cell: many cells of its own, text spread
 * over them, the nested tables a minority of its text.
 */
function gridDespiteNesting(cells: HElement[], table: HElement): boolean {
  if (cells.length < 12) return false;
  const own = cells.map(ownChars);
  const ownTotal = own.reduce((a, b) => a + b, 0);
  const all = rawText(table).replace(/\s/g, '').length;
  return ownTotal > 0 && own.reduce((m, n) => Math.max(m, n), 0) < 0.5 * ownTotal && ownTotal > 0.5 * all;
}

function classifyLayout(table: HElement): boolean {
  const { rows } = tableRows(table);
  const cells = rows.flatMap(cellsOf);
  if (findFirst(table, 'table')) return !gridDespiteNesting(cells, table);
  if (cells.length <= 1) return true;
  if (cells.length <= 6) {
    for (const c of cells) {
      const blocks = childElements(c).filter((e) => isBlock(e)).length;
      if (blocks >= 3 && cellText(c).replace(/\s/g, '').length >= 200) return true;
    }
  }
  return false;
}

export interface BuiltTable {
  block: TableBlock;
  /** Spans that had to be cut (overlaps, or beyond the table's edge). */
  clamped: number;
  /** Cells whose markup the parser found broken (damaged bytes). */
  damaged: number;
}

/**
 * Builds the grid of a data table; null when no cell has text. Placing
 * spans costs the slots they cover (rowspan=65534 × colspan=1000 is 65
 * million), so slots are counted and the table refused past `maxSlots`.
 */
export function buildTable(table: HElement, index: number, limits: Limits = DEFAULT_LIMITS): BuiltTable | null {
  const { rows, groupEnd } = tableRows(table);
  const occupied: Array<Uint8Array | undefined> = [];
  const isOcc = (r: number, c: number): boolean => (occupied[r]?.[c] ?? 0) === 1;
  let slots = 0;
  const mark = (r: number, c: number): void => {
    if (++slots > limits.tableCells) {
      throw overLimit(
        'html-table-too-large',
        'tableCells',
        limits,
        `table ${index} spans more than ${limits.tableCells.toLocaleString('en')} grid slots (rows × columns)`,
      );
    }
    let row = occupied[r];
    if (!row || row.length <= c) {
      const grown = new Uint8Array(Math.max(c + 1, (row?.length ?? 0) * 2, 16));
      if (row) grown.set(row);
      occupied[r] = row = grown;
    }
    row[c] = 1;
  };

  const placed: Array<{ el: HElement; row: number; col: number; rowSpan: number; colSpan: number; declaredCol: number }> = [];
  let clamped = 0;
  for (let r = 0; r < rows.length; r++) {
    let c = 0;
    for (const el of cellsOf(rows[r])) {
      while (isOcc(r, c)) c++;
      const declaredCol = spanAttr(el.attribs.colspan, 1, MAX_COLSPAN);
      const declaredRow = spanAttr(el.attribs.rowspan, groupEnd[r] - r, MAX_ROWSPAN);
      let colSpan = declaredCol;
      for (let k = 1; k < colSpan; k++) {
        if (isOcc(r, c + k)) {
          colSpan = k;
          break;
        }
      }
      let rowSpan = Math.min(declaredRow, groupEnd[r] - r);
      // Checking a slot costs as much as marking it (every slot checked here is marked below).
      for (let k = 1; k < rowSpan; k++) {
        let blocked = false;
        for (let j = 0; j < colSpan && !blocked; j++) blocked = isOcc(r + k, c + j);
        if (blocked) {
          rowSpan = k;
          break;
        }
      }
      if (colSpan !== declaredCol || rowSpan !== declaredRow) clamped++;
      for (let i = 0; i < rowSpan; i++) for (let j = 0; j < colSpan; j++) mark(r + i, c + j);
      placed.push({ el, row: r, col: c, rowSpan, colSpan, declaredCol });
      c += colSpan;
    }
  }

  // Columns that no cell starts in carry nothing: the grid ends after the last start.
  let nCols = 0;
  for (const p of placed) nCols = Math.max(nCols, p.col + 1);
  const cells: Cell[] = [];
  let anyText = false;
  for (const p of placed) {
    const colSpan = Math.min(p.colSpan, nCols - p.col);
    // Overshooting the edge by one column is common and harmless; more is worth a warning.
    if (p.col + p.colSpan > nCols + 1 && p.colSpan === p.declaredCol) clamped++;
    const text = cellText(p.el);
    if (text) anyText = true;
    const cell: Cell = { row: p.row, col: p.col, rowSpan: p.rowSpan, colSpan, text, source: { table: index, row: p.row, col: p.col } };
    if (damagedCell(p.el)) cell.damaged = true;
    cells.push(cell);
  }
  if (!anyText) return null;
  const nRows = withoutSpacerRows(cells, rows);
  // Mapping walks the whole grid: one row of 1,000 colspan=1000 cells over 1,000 rows is 10⁹ slots.
  if (nRows * nCols > limits.tableCells) {
    throw overLimit(
      'html-table-too-large',
      'tableCells',
      limits,
      `table ${index} has ${nRows.toLocaleString('en')} rows × ${nCols.toLocaleString('en')} columns`,
    );
  }
  const kept = cells.filter((c) => c.row < nRows);
  return {
    block: {
      kind: 'table',
      index,
      structure: 'grid',
      nRows,
      nCols,
      cells: kept,
      source: { table: index },
      method: 'html-table',
    },
    clamped,
    damaged: kept.filter((c) => c.damaged).length,
  };
}

/**
 * Word closes every exported table with an invisible spacer row
 * (`<![if !supportMisalignedColumns]><tr height=0>` with empty cells). Drop
 * such trailing rows when no cell has text and nothing spans into them. Only
 * that signature: an ordinary all-blank last row is a row of blank values.
 */
function withoutSpacerRows(cells: Cell[], rows: HElement[]): number {
  let n = rows.length;
  if (n === 0 || (rows[n - 1].attribs.height ?? '').trim() !== '0') return n;
  // One pass over the cells (a page of 100,000 spacer rows must not cost rows × cells):
  // which rows hold text, and how far down the cells starting above each row reach.
  const text = new Uint8Array(n);
  const reachFrom = new Int32Array(n + 1);
  for (const c of cells) {
    if (c.text !== '') text[c.row] = 1;
    reachFrom[c.row + 1] = Math.max(reachFrom[c.row + 1], c.row + c.rowSpan);
  }
  for (let r = 1; r <= n; r++) reachFrom[r] = Math.max(reachFrom[r], reachFrom[r - 1]);
  while (n > 0 && (rows[n - 1].attribs.height ?? '').trim() === '0') {
    const last = n - 1;
    // Blank: no text in the row, and no cell from a row above spans into it.
    if (text[last] || reachFrom[last] > last) break;
    n--;
  }
  return n;
}

/** <caption> text, shown above the table. */
export function captionText(table: HElement): string {
  const cap = childElements(table).find((e) => e.name === 'caption');
  return cap ? cellText(cap).replace(/\n/g, ' ') : '';
}
