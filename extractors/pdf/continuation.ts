/**
 * Tables split by a page break. When a page ends with a table and the next
 * page starts with one whose columns line up, the two are one table: the
 * second part's rows are appended (a repeated header is dropped, and a merged
 * cell cut by the break is joined again). Otherwise the second part is marked
 * `continues`.
 */
import { joinLines } from './lines.js';
import { PDF_TABLE_SETTINGS, settingsFor, type TableSettings } from './settings.js';
import type { PageBlock, PageCell, PageTable, PageText } from './types.js';

function near(xs: number[], x: number): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (Math.abs(xs[i] - x) < Math.abs(xs[best] - x)) best = i;
  return best;
}

function subset(small: number[], big: number[], tol: number): boolean {
  return small.every((x) => big.some((y) => Math.abs(x - y) <= tol));
}

/** The shift that aligns b's columns with a's, or null when they do not line up. */
export function columnShift(a: number[], b: number[], ts: Readonly<TableSettings> = PDF_TABLE_SETTINGS): number | null {
  const tol = ts.continuationTolerance;
  const shift = b[0] - a[0];
  if (Math.abs(shift) > ts.continuationMaxShift) return null;
  const bs = b.map((x) => x - shift);
  if (Math.abs(bs[bs.length - 1] - a[a.length - 1]) > tol) return null;
  return subset(bs, a, tol) || subset(a, bs, tol) ? shift : null;
}

function unionBounds(a: number[], b: number[], tol: number): number[] {
  const all = [...a, ...b].sort((x, y) => x - y);
  const out: number[] = [];
  for (const x of all) if (!out.length || x - out[out.length - 1] > tol) out.push(x);
  return out;
}

/** Re-indexes a part's cells onto the merged column boundaries. */
function remap(t: PageTable, xs: number[], shift: number, rowOffset: number): PageCell[] {
  return t.cells.map((c) => {
    const col = near(xs, t.xs[c.col] - shift);
    const end = near(xs, t.xs[c.col + c.colSpan] - shift);
    return { ...c, row: c.row + rowOffset, col, colSpan: Math.max(1, end - col) };
  });
}

function rowKey(cells: PageCell[], row: number): string {
  return cells
    .filter((c) => c.row === row)
    .sort((a, b) => a.col - b.col)
    .map((c) => `${c.col}:${c.colSpan}:${c.text.replace(/\s+/g, '')}`)
    .join('|');
}

function merge(t: PageTable, u: PageTable, shift: number, tol: number): PageTable {
  const xs = unionBounds(
    t.xs,
    u.xs.map((x) => x - shift),
    tol,
  );
  const top = remap(t, xs, 0, 0);
  let bottom = remap(u, xs, shift, t.nRows);

  // A header repeated on the new page: leading rows identical to the table's first rows.
  let k = 0;
  while (k < u.nRows - 1 && k < t.nRows) {
    const row = t.nRows + k;
    const hasText = bottom.some((c) => c.row === row && c.text.trim());
    if (!hasText || rowKey(bottom, row) !== rowKey(top, k)) break;
    k++;
  }
  if (k > 0) {
    bottom = bottom.filter((c) => c.row >= t.nRows + k).map((c) => ({ ...c, row: c.row - k }));
  }

  const lastRow = t.nRows - 1;
  const first = bottom.filter((c) => c.row === t.nRows);
  const above = (c: PageCell) => top.find((a) => a.row + a.rowSpan - 1 === lastRow && a.col === c.col && a.colSpan === c.colSpan);
  const pairs = first.map((c) => [above(c), c] as const);
  const sameShape = pairs.every(([a]) => a) && pairs.length === top.filter((a) => a.row + a.rowSpan - 1 === lastRow).length;
  const both = pairs.filter(([a, c]) => a && a.text.trim() && c.text.trim());
  let kept: PageCell[];
  if (sameShape && both.length > 0 && both.every(([a]) => a!.cut)) {
    // A row split by the page break: its text runs on in the same cells. Join them, one row fewer.
    for (const [a, c] of pairs) {
      a!.text = joinLines([a!.text, c.text]);
      a!.rowSpan += c.rowSpan - 1;
      a!.cut = c.cut;
    }
    kept = bottom.filter((c) => c.row > t.nRows).map((c) => ({ ...c, row: c.row - 1 }));
  } else {
    // A merged cell cut at a row boundary: an empty cell right below a spanning one, same columns.
    kept = [];
    for (const c of bottom) {
      const a = c.row === t.nRows && !c.text.trim() ? above(c) : undefined;
      if (a && (a.rowSpan > 1 || c.rowSpan > 1)) a.rowSpan += c.rowSpan;
      else kept.push(c);
    }
  }
  const cells = [...top, ...kept];
  const nRows = Math.max(...cells.map((c) => c.row + c.rowSpan));
  return { ...t, xs, nRows, nCols: xs.length - 1, cells };
}

/** A sentence cut by the page break: the page ends on a full line, the next starts without indent. */
function continuesText(a: PageBlock | undefined, b: PageBlock, page: number): a is PageText {
  return (
    !!a &&
    a.kind === 'paragraph' &&
    b.kind === 'paragraph' &&
    a.page === page - 1 &&
    !!a.fullEnd &&
    !!b.flushStart &&
    Math.max(a.size, b.size) / Math.min(a.size, b.size) <= 1.18
  );
}

/**
 * Flattens the pages' blocks, joining tables and paragraphs that continue
 * across a page break. `heights` (page number → height) lets a table count as
 * cut only when it runs to the bottom of its page and the next one starts at
 * the top of the following page.
 */
export function joinPages(pages: PageBlock[][], heights?: Map<number, number>): PageBlock[] {
  const edge = PDF_TABLE_SETTINGS.continuationEdgeShare;
  const nearBottom = (t: PageTable) => !heights || t.bbox[3] >= (1 - edge) * (heights.get(t.page) ?? 0);
  const nearTop = (t: PageTable) => !heights || t.bbox[1] <= edge * (heights.get(t.page) ?? Infinity);
  const out: PageBlock[] = [];
  // The table that ended the previous page: the whole (merged) table and its part on that page.
  let tail: { table: PageTable; page: number; last: PageTable } | null = null;
  let lastOfPage: PageBlock | undefined;
  for (const blocks of pages) {
    const prevLast = lastOfPage;
    lastOfPage = blocks[blocks.length - 1];
    blocks.forEach((b, i) => {
      if (i === 0 && continuesText(prevLast, b, b.page) && out[out.length - 1] === prevLast) {
        // The paragraph keeps its first part's location; its text runs on.
        const joined: PageText = {
          ...prevLast,
          text: joinLines([prevLast.text, (b as PageText).text], ' '),
          fullEnd: (b as PageText).fullEnd,
        };
        out[out.length - 1] = joined;
        if (blocks.length === 1) lastOfPage = joined;
        tail = null;
        return;
      }
      if (
        i === 0 &&
        b.kind === 'table' &&
        tail &&
        tail.page === b.page - 1 &&
        tail.table.method === b.method &&
        nearBottom(tail.last) &&
        nearTop(b)
      ) {
        const ts = settingsFor(b.method);
        const shift = columnShift(tail.table.xs, b.xs, ts);
        if (shift !== null) {
          const merged = merge(tail.table, b, shift, ts.continuationTolerance);
          out[out.lastIndexOf(tail.table)] = merged;
          tail = i === blocks.length - 1 ? { table: merged, page: b.page, last: b } : null;
          if (i === blocks.length - 1) lastOfPage = merged;
          return;
        }
        b = { ...b, continues: true };
      }
      out.push(b);
      tail = b.kind === 'table' && i === blocks.length - 1 ? { table: b, page: b.page, last: b } : null;
    });
    if (!blocks.length) tail = null;
  }
  return out;
}
