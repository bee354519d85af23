/**
 * The document model as one stream of logical rows, whatever the format:
 * table rows (with the labels of row-spanning cells above them carried along)
 * and text lines ("行政许可 97" is a row too). Section mappers read rows, not
 * formats.
 */
import type { Block, Cell, DocumentModel, Reading, SourceLocation, TableBlock } from '../model.js';
import { parseValue } from './values.js';

export interface RowCell {
  text: string;
  source: SourceLocation;
  /** The slot is covered by a cell that starts in an earlier row (rowspan), or inherited from a blank placeholder. */
  covered: boolean;
  rowSpan: number;
  colSpan: number;
  /** Column position: the grid column of the cell's first slot, or its index in a text row. */
  pos: number;
  /** OCR: the recogniser's confidence and alternatives. */
  reading?: Reading;
  /** The reader found the cell's bytes or markup broken (Cell.damaged). */
  damaged?: boolean;
}

export interface LogicalRow {
  /** Position in the stream. */
  seq: number;
  kind: 'table' | 'text';
  /** How the cells were obtained: the table's method, or 'text-row' for a text line. */
  method: string;
  structure: 'grid' | 'rows' | 'text';
  tableIndex?: number;
  blockIndex: number;
  cells: RowCell[];
  /** Text of the row's own cells, for section detection. */
  text: string;
  /** A text line or a single-cell table row: it may be a heading. */
  headingLike: boolean;
}

export interface SplitRow {
  /** Label cells, left to right, including covered ones (parents). */
  labels: RowCell[];
  /** Cells after the last label cell. */
  values: RowCell[];
}

/** Where a row was printed, for the messages about it: its first cell's place without the column. */
export function rowPlace(row: LogicalRow): SourceLocation | undefined {
  const first = row.cells[0]?.source;
  if (!first) return undefined;
  const { col: _col, chars: _chars, ...place } = first;
  return place;
}

export function isBlankText(s: string): boolean {
  return s.replace(/[\s\u00a0\u200b\ufeff]/g, '') === '';
}

function isLabelText(s: string): boolean {
  return parseValue(s).kind === 'text';
}

/** Splits a row at its last label cell: what follows are the value cells. */
export function splitRow(row: LogicalRow): SplitRow {
  let last = -1;
  row.cells.forEach((c, i) => {
    if (isLabelText(c.text)) last = i;
  });
  return { labels: row.cells.slice(0, last + 1), values: row.cells.slice(last + 1) };
}

/** The most specific label of a row: its last non-blank label cell. */
export function rowLabel(split: SplitRow): string {
  for (let i = split.labels.length - 1; i >= 0; i--) if (!isBlankText(split.labels[i].text)) return split.labels[i].text;
  return '';
}

function gridRows(t: TableBlock): RowCell[][] {
  const slots: (Cell | undefined)[][] = Array.from({ length: t.nRows }, () => new Array<Cell | undefined>(t.nCols));
  for (const c of t.cells) {
    for (let r = c.row; r < Math.min(t.nRows, c.row + Math.max(1, c.rowSpan)); r++) {
      for (let k = c.col; k < Math.min(t.nCols, c.col + Math.max(1, c.colSpan)); k++) slots[r][k] = c;
    }
  }
  return slots.map((rowSlots, r) => {
    const out: RowCell[] = [];
    let prev: Cell | undefined;
    rowSlots.forEach((c, k) => {
      if (!c || c === prev) return;
      prev = c;
      out.push({
        text: c.text,
        source: c.source,
        covered: c.row !== r,
        rowSpan: c.rowSpan,
        colSpan: c.colSpan,
        pos: k,
        ...(c.reading ? { reading: c.reading } : {}),
        ...(c.damaged ? { damaged: true } : {}),
      });
    });
    return out;
  });
}

/** Text tables have no spans: leading blank cells stand for labels spanning down from the row above. */
function textRows(t: TableBlock): RowCell[][] {
  const byRow = new Map<number, Cell[]>();
  for (const c of t.cells) {
    const r = byRow.get(c.row) ?? [];
    r.push(c);
    byRow.set(c.row, r);
  }
  const rows: RowCell[][] = [];
  let prev: RowCell[] = [];
  for (const r of [...byRow.keys()].sort((a, b) => a - b)) {
    const cells = byRow.get(r)!.sort((a, b) => a.col - b.col);
    const out: RowCell[] = cells.map((c, i) => ({
      text: c.text,
      source: c.source,
      covered: false,
      rowSpan: 1,
      colSpan: 1,
      pos: i,
      ...(c.damaged ? { damaged: true } : {}),
    }));
    // Only a row with a label of its own has placeholders: in a row of values a leading blank is a blank value.
    const ownLabel = out.findIndex((c) => !isBlankText(c.text) && isLabelText(c.text));
    for (let i = 0; i < ownLabel && isBlankText(out[i].text); i++) {
      const above = prev[i];
      if (above && !isBlankText(above.text) && isLabelText(above.text)) out[i] = { ...above, covered: true, pos: i };
      else break;
    }
    rows.push(out);
    prev = out;
  }
  return rows;
}

const VALUE_TOKEN = String.raw`[-+−]?[\d,，]+(?:\.\d+)?(?:万元|元)?`;
/** A text line that ends in whitespace-separated numbers: "行政许可 97", "规章 0 0 0". */
const TEXT_ROW = new RegExp(`^(.*?\\S)\\s+((?:${VALUE_TOKEN}\\s+)*${VALUE_TOKEN})$`);
const NUMBERS_ONLY = new RegExp(`^((?:${VALUE_TOKEN}\\s+)*${VALUE_TOKEN})$`);

function textLineCells(b: Block & { kind: 'heading' | 'paragraph' }): RowCell[] {
  const text = b.text.trim();
  const cell = (t: string, pos: number): RowCell => ({ text: t, source: b.source, covered: false, rowSpan: 1, colSpan: 1, pos });
  const m = text.match(TEXT_ROW);
  if (m && isLabelText(m[1])) return [cell(m[1], 0), ...m[2].split(/\s+/).map((t, i) => cell(t, i + 1))];
  const n = text.match(NUMBERS_ONLY);
  if (n) return n[1].split(/\s+/).map(cell);
  return [cell(text, 0)];
}

export function rowStream(doc: DocumentModel): LogicalRow[] {
  const rows: LogicalRow[] = [];
  doc.blocks.forEach((b, blockIndex) => {
    if (b.kind === 'table') {
      const cellRows = b.structure === 'grid' ? gridRows(b) : textRows(b);
      for (const cells of cellRows) {
        const own = cells.filter((c) => !c.covered && !isBlankText(c.text));
        rows.push({
          seq: rows.length,
          kind: 'table',
          method: b.method,
          structure: b.structure,
          tableIndex: b.index,
          blockIndex,
          cells,
          text: own.map((c) => c.text).join(' '),
          headingLike: own.length === 1,
        });
      }
    } else {
      rows.push({
        seq: rows.length,
        kind: 'text',
        // A line from a damaged source keeps that method: it is no surer than the tables around it.
        method: b.method === 'pdf-damaged' ? b.method : 'text-row',
        structure: 'text',
        blockIndex,
        cells: textLineCells(b),
        text: b.text,
        headingLike: true,
      });
    }
  });
  return rows;
}
