/** Ruled tables: rulings → frames → grids, and each glyph placed in the cell that holds its centre. */
import { buildGrid, locate, type Grid } from './grid.js';
import { buildLines, joinLines } from './lines.js';
import { findFrames, mergeSegments } from './rulings.js';
import type { Box, Char, PageCell, PageTable, Segment } from './types.js';

/** Numbers never wrap inside a cell, so a numeric cell is never cut off. */
const NUMERIC = /^[\d\s.,，%‰+\-−–—]+$/;

/**
 * A cell's text, and whether it ends in the cell's far corner (room for less
 * than a glyph plus padding there), i.e. may go on after a page break.
 */
export function readCell(chars: Char[], bbox: Box): { text: string; cut: boolean } {
  const lines = buildLines(chars);
  const text = joinLines(lines.map((l) => l.text));
  const last = lines[lines.length - 1];
  if (!last || NUMERIC.test(text)) return { text, cut: false };
  const slack = 1.2 * last.size + 6;
  const cut =
    last.flow === 'v'
      ? bbox[3] - last.y1 <= slack
      : last.flow === 'u'
        ? last.y0 - bbox[1] <= slack
        : bbox[2] - last.x1 <= slack && bbox[3] - last.y1 <= slack;
  return { text, cut };
}

function fill(page: number, grid: Grid, chars: Char[]): PageTable | null {
  const { xs, ys, cells, slotCell } = grid;
  const nCols = xs.length - 1;
  const buckets: Char[][] = cells.map(() => []);
  for (const ch of chars) {
    const c = locate(xs, (ch.x0 + ch.x1) / 2);
    const r = locate(ys, (ch.y0 + ch.y1) / 2);
    buckets[slotCell[r * nCols + c]].push(ch);
  }
  if (buckets.every((b) => b.length === 0)) return null; // decoration, not a table
  const out: PageCell[] = cells.map((c, i) => ({
    row: c.row,
    col: c.col,
    rowSpan: c.rowSpan,
    colSpan: c.colSpan,
    page,
    bbox: c.bbox,
    ...readCell(buckets[i], c.bbox),
  }));
  return {
    kind: 'table',
    page,
    bbox: [xs[0], ys[0], xs[xs.length - 1], ys[ys.length - 1]],
    xs,
    nRows: ys.length - 1,
    nCols,
    cells: out,
    method: 'pdf-ruled',
  };
}

/** Tables drawn with rulings; the glyphs they hold are removed from `rest`. */
export function ruledTables(page: number, chars: Char[], segments: Segment[]): { tables: PageTable[]; rest: Char[] } {
  const { h, v } = mergeSegments(segments);
  const tables: PageTable[] = [];
  let rest = chars;
  for (const frame of findFrames(h, v)) {
    const grid = buildGrid(frame);
    if (!grid) continue;
    const [x0, x1] = [grid.xs[0], grid.xs[grid.xs.length - 1]];
    const [y0, y1] = [grid.ys[0], grid.ys[grid.ys.length - 1]];
    const inside: Char[] = [];
    const outside: Char[] = [];
    for (const ch of rest) {
      const cx = (ch.x0 + ch.x1) / 2;
      const cy = (ch.y0 + ch.y1) / 2;
      // Slanted text (watermarks) crosses tables without belonging to a cell.
      (ch.flow !== 'r' && cx >= x0 && cx <= x1 && cy >= y0 && cy <= y1 ? inside : outside).push(ch);
    }
    const table = fill(page, grid, inside);
    if (!table) continue;
    tables.push(table);
    rest = outside;
  }
  return { tables, rest };
}
