import type { Cell, TableBlock } from '../../src/model.js';

export interface LineCell {
  text: string;
  /** 1-based line number in the file. */
  line: number;
}

export interface LineRow {
  cells: LineCell[];
  line: number;
}

export function splitLines(text: string): string[] {
  return text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/);
}

/** Rows of text cells → a TableBlock. Columns are positions in the row: text has no spans. */
export function tableFromRows(rows: LineRow[], index: number, block: number, method: string): TableBlock {
  const cells: Cell[] = [];
  rows.forEach((r, row) =>
    r.cells.forEach((c, col) =>
      cells.push({ row, col, rowSpan: 1, colSpan: 1, text: c.text, source: { table: index, row, col, line: c.line } }),
    ),
  );
  return {
    kind: 'table',
    index,
    structure: 'rows',
    nRows: rows.length,
    // A loop, not Math.max(...rows): spreading 900,000 rows overflows the stack.
    nCols: rows.reduce((m, r) => Math.max(m, r.cells.length), 0),
    cells,
    source: { table: index, block, line: rows[0]?.line },
    method,
  };
}
