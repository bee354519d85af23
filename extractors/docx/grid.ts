/**
 * Word's merge markup → origin cells on the table grid.
 *
 * Word writes a merged cell as one w:tc with w:gridSpan (horizontal) and as a
 * column of w:tc with w:vMerge restart/continue (vertical). Rows may skip grid
 * columns before/after their cells (w:gridBefore/w:gridAfter). The model wants
 * one origin cell per merged area with its spans; covered slots get nothing.
 */
import type { Cell } from '../../src/model.js';
import { DEFAULT_LIMITS, formatLimit, type Limits, overLimit } from '../../src/contract/limits.js';

export interface RawCell {
  text: string;
  /** w:gridSpan, default 1. */
  span: number;
  /** w:vMerge: 'restart' starts a vertical merge, 'continue' extends the cell above. */
  vMerge?: 'restart' | 'continue';
  /** Legacy horizontal merge (w:hMerge): 'continue' extends the cell to its left. */
  hMerge?: 'restart' | 'continue';
}

export interface RawRow {
  gridBefore: number;
  gridAfter: number;
  cells: RawCell[];
}

export interface Grid {
  cells: Cell[];
  nRows: number;
  nCols: number;
}

/**
 * Spans cost the slots they cover (w:gridSpan="100000000" is a loop of 10⁸),
 * so slots are counted against `limits.tableCells` as they are filled, and
 * the finished grid (rows × columns) must fit too.
 */
export function buildGrid(rows: RawRow[], gridCols: number, table: number, limits: Limits = DEFAULT_LIMITS): Grid {
  const tooLarge = () =>
    overLimit(
      'docx-table-too-large',
      'tableCells',
      limits,
      `table ${table} spans more than ${formatLimit('tableCells', limits.tableCells)} grid slots (rows × columns)`,
    );
  let slots = 0;
  const charge = (n: number) => {
    slots += n;
    if (slots > limits.tableCells) throw tooLarge();
  };
  const cells: Cell[] = [];
  // The origin cell covering each grid column in the previous row.
  let above: (Cell | undefined)[] = [];
  let nCols = gridCols;
  rows.forEach((row, r) => {
    const here: (Cell | undefined)[] = [];
    let col = Math.max(0, row.gridBefore);
    charge(col + Math.max(0, row.gridAfter));
    let left: Cell | undefined;
    for (const raw of row.cells) {
      const span = Math.max(1, raw.span);
      charge(span);
      if (raw.hMerge === 'continue' && left && left.row === r) {
        left.colSpan += span;
        left.text = joinText(left.text, raw.text);
        for (let c = col; c < col + span; c++) here[c] = left;
        col += span;
        continue;
      }
      const up = above[col];
      if (raw.vMerge === 'continue' && up && up.col === col && up.row + up.rowSpan === r) {
        up.rowSpan += 1;
        // Text in a continuation slot is not shown by Word as a separate cell; keep it on the origin rather than lose it.
        up.text = joinText(up.text, raw.text);
        for (let c = col; c < col + Math.max(span, up.colSpan); c++) here[c] = up;
        left = up;
        col += span;
        continue;
      }
      const cell: Cell = { row: r, col, rowSpan: 1, colSpan: span, text: raw.text, source: { table, row: r, col } };
      cells.push(cell);
      for (let c = col; c < col + span; c++) here[c] = cell;
      left = cell;
      col += span;
    }
    nCols = Math.max(nCols, col + Math.max(0, row.gridAfter));
    above = here;
  });
  if (rows.length * nCols > limits.tableCells) throw tooLarge();
  return { cells, nRows: rows.length, nCols };
}

function joinText(a: string, b: string): string {
  if (!b) return a;
  if (!a) return b;
  return a + '\n' + b;
}
