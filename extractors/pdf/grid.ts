/**
 * A table frame → a grid with merged cells. Columns and rows come from the
 * distinct ruling positions; two neighbouring slots belong to one cell when
 * the ruling between them is missing.
 */
import type { Frame, Ruling } from './rulings.js';
import { PDF_TABLE_SETTINGS, type TableSettings } from './settings.js';
import type { Box } from './types.js';

export interface GridCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  bbox: Box;
}

export interface Grid {
  xs: number[];
  ys: number[];
  cells: GridCell[];
  /** Origin cell index for every slot, row-major. */
  slotCell: Int32Array;
}

function clusterPositions(values: number[], tol: number): number[] {
  const v = [...values].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const x of v) {
    const g = out[out.length - 1];
    if (g && x - g[g.length - 1] <= tol) g.push(x);
    else out.push([x]);
  }
  return out.map((g) => g.reduce((a, b) => a + b, 0) / g.length);
}

/** Share of [a, b] covered by the rulings lying at one boundary. */
function coverage(rulings: Ruling[], a: number, b: number): number {
  if (b <= a) return 1;
  let covered = 0;
  for (const r of rulings) covered += Math.max(0, Math.min(b, r.to) - Math.max(a, r.from));
  return covered / (b - a);
}

/** The rulings at each boundary position. */
function byBoundary(rulings: Ruling[], bounds: number[], tol: number): Ruling[][] {
  return bounds.map((x) => rulings.filter((r) => Math.abs(r.pos - x) <= tol));
}

/** Boundaries from one orientation, widened by where the other orientation's rulings end (open sides). */
function boundaries(positions: number[], extents: Ruling[], tol: number): number[] {
  const xs = clusterPositions(positions, tol);
  const lo = Math.min(...extents.map((r) => r.from));
  const hi = Math.max(...extents.map((r) => r.to));
  if (lo < xs[0] - 2 * tol) xs.unshift(lo);
  if (hi > xs[xs.length - 1] + 2 * tol) xs.push(hi);
  return xs;
}

export function buildGrid(frame: Frame, ts: Readonly<TableSettings> = PDF_TABLE_SETTINGS): Grid | null {
  const tol = ts.boundaryTolerance;
  const xs = boundaries(
    frame.v.map((r) => r.pos),
    frame.h,
    tol,
  );
  const ys = boundaries(
    frame.h.map((r) => r.pos),
    frame.v,
    tol,
  );
  const nRows = ys.length - 1;
  const nCols = xs.length - 1;
  // Grid paper and hatching are drawings, not tables.
  if (nRows < 1 || nCols < 2 || nRows * nCols > ts.maxSlots) return null;
  const vAt = byBoundary(frame.v, xs, tol);
  const hAt = byBoundary(frame.h, ys, tol);

  const parent = new Int32Array(nRows * nCols).map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const union = (a: number, b: number): boolean => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return false;
    parent[Math.max(ra, rb)] = Math.min(ra, rb);
    return true;
  };
  for (let r = 0; r < nRows; r++) {
    for (let c = 0; c < nCols; c++) {
      if (c + 1 < nCols && coverage(vAt[c + 1], ys[r], ys[r + 1]) < ts.edgeCoverage) union(r * nCols + c, r * nCols + c + 1);
      if (r + 1 < nRows && coverage(hAt[r + 1], xs[c], xs[c + 1]) < ts.edgeCoverage) union(r * nCols + c, (r + 1) * nCols + c);
    }
  }

  // Merged regions must be rectangles: absorb whatever lies inside a region's bounding box.
  let changed = true;
  while (changed) {
    changed = false;
    const box = new Map<number, [number, number, number, number]>();
    for (let i = 0; i < parent.length; i++) {
      const k = find(i);
      const r = Math.floor(i / nCols);
      const c = i % nCols;
      const b = box.get(k);
      if (!b) box.set(k, [r, c, r, c]);
      else {
        b[0] = Math.min(b[0], r);
        b[1] = Math.min(b[1], c);
        b[2] = Math.max(b[2], r);
        b[3] = Math.max(b[3], c);
      }
    }
    for (const [k, [r0, c0, r1, c1]] of box) {
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) if (union(k, r * nCols + c)) changed = true;
    }
  }

  const cells: GridCell[] = [];
  const slotCell = new Int32Array(nRows * nCols).fill(-1);
  const index = new Map<number, number>();
  for (let i = 0; i < parent.length; i++) {
    const k = find(i);
    let ci = index.get(k);
    const r = Math.floor(i / nCols);
    const c = i % nCols;
    if (ci === undefined) {
      // Row-major scan: the first slot seen is the top-left one.
      ci = cells.length;
      index.set(k, ci);
      cells.push({ row: r, col: c, rowSpan: 1, colSpan: 1, bbox: [xs[c], ys[r], xs[c + 1], ys[r + 1]] });
    }
    const cell = cells[ci];
    cell.rowSpan = Math.max(cell.rowSpan, r - cell.row + 1);
    cell.colSpan = Math.max(cell.colSpan, c - cell.col + 1);
    cell.bbox = [xs[cell.col], ys[cell.row], xs[cell.col + cell.colSpan], ys[cell.row + cell.rowSpan]];
    slotCell[i] = ci;
  }
  if (cells.length < 2) return null;
  // A frame whose every row is one cell is a box around text, not a table of columns.
  if (cells.every((c) => c.colSpan === nCols)) return null;
  return { xs, ys, cells, slotCell };
}

/** Index of the interval of `bounds` that contains v, or -1. */
export function locate(bounds: number[], v: number): number {
  if (v < bounds[0] || v > bounds[bounds.length - 1]) return -1;
  let lo = 0;
  let hi = bounds.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (bounds[mid] <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
