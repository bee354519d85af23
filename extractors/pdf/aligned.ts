/**
 * Tables without rulings, rebuilt from alignment: a run of lines that break
 * into pieces at wide gaps, with columns where those pieces line up. Rows are
 * the printed lines, so columns may be ragged ('rows' structure).
 */
import { joinLines } from './lines.js';
import { PDF_TABLE_SETTINGS } from './settings.js';
import type { Box, Line, PageCell, PageTable, Piece } from './types.js';

const { alignedMinRows: MIN_ROWS, alignedMaxLineGap: MAX_LINE_GAP, alignedMaxSingles: MAX_SINGLES } = PDF_TABLE_SETTINGS;

interface Band {
  x0: number;
  x1: number;
}

function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

/** Columns: the x-ranges covered by the pieces of the lines with the most pieces. */
function findBands(lines: Line[]): Band[] {
  const counts = lines.map((l) => l.pieces.length).sort((a, b) => a - b);
  const typical = counts[Math.floor(counts.length / 2)];
  const intervals = lines
    .filter((l) => l.pieces.length >= typical)
    .flatMap((l) => l.pieces.map((p) => ({ x0: p.x0, x1: p.x1, size: l.size })))
    .sort((a, b) => a.x0 - b.x0);
  const bands: Band[] = [];
  for (const iv of intervals) {
    const b = bands[bands.length - 1];
    if (b && iv.x0 <= b.x1 + 0.3 * iv.size) b.x1 = Math.max(b.x1, iv.x1);
    else bands.push({ x0: iv.x0, x1: iv.x1 });
  }
  return bands;
}

function bandsOf(p: Piece, bands: Band[]): number[] {
  const hit: number[] = [];
  bands.forEach((b, i) => {
    if (overlap(p.x0, p.x1, b.x0, b.x1) > 0) hit.push(i);
  });
  if (hit.length) return hit;
  // In a gap between bands: the nearest one.
  let best = 0;
  let dist = Infinity;
  bands.forEach((b, i) => {
    const d = Math.min(Math.abs(p.x0 - b.x1), Math.abs(p.x1 - b.x0));
    if (d < dist) {
      dist = d;
      best = i;
    }
  });
  return [best];
}

function buildTable(page: number, lines: Line[], bands: Band[]): PageTable {
  interface Slot {
    texts: string[];
    span: number;
    bbox: Box;
  }
  const rows: (Slot | undefined)[][] = [];
  let prevLine: Line | undefined;
  for (const line of lines) {
    const slots: (Slot | undefined)[] = new Array(bands.length);
    for (const p of line.pieces) {
      const hit = bandsOf(p, bands);
      const first = hit[0];
      const s = slots[first];
      if (s) {
        s.texts.push(p.text);
        s.bbox[2] = Math.max(s.bbox[2], p.x1);
        s.span = Math.max(s.span, hit[hit.length - 1] - first + 1);
      } else slots[first] = { texts: [p.text], span: hit[hit.length - 1] - first + 1, bbox: [p.x0, line.y0, p.x1, line.y1] };
    }
    const prev = rows[rows.length - 1];
    const onlyFirst = slots.every((s, i) => (i === 0) === !!s);
    // A wrapped label (a line with text in the first column only) continues the row above.
    if (prev && prevLine && onlyFirst && prev[0] && prev.some((s, i) => i > 0 && s) && line.y0 - prevLine.y1 < 0.8 * line.size) {
      prev[0].texts.push(...slots[0]!.texts);
      prev[0].bbox[3] = line.y1;
      prev[0].bbox[2] = Math.max(prev[0].bbox[2], slots[0]!.bbox[2]);
    } else rows.push(slots);
    prevLine = line;
  }
  const cells: PageCell[] = [];
  rows.forEach((slots, r) => {
    const rowY0 = Math.min(...slots.filter((s): s is Slot => !!s).map((s) => s.bbox[1]));
    const rowY1 = Math.max(...slots.filter((s): s is Slot => !!s).map((s) => s.bbox[3]));
    for (let c = 0; c < bands.length; ) {
      const s = slots[c];
      const span = s ? Math.min(s.span, bands.length - c) : 1;
      cells.push({
        row: r,
        col: c,
        rowSpan: 1,
        colSpan: span,
        text: s ? joinLines(s.texts, ' ') : '',
        page,
        bbox: s ? s.bbox : [bands[c].x0, rowY0, bands[c].x1, rowY1],
      });
      c += span;
    }
  });
  const xs = [bands[0].x0];
  for (let i = 1; i < bands.length; i++) xs.push((bands[i - 1].x1 + bands[i].x0) / 2);
  xs.push(bands[bands.length - 1].x1);
  return {
    kind: 'table',
    page,
    bbox: [
      Math.min(...lines.map((l) => l.x0)),
      Math.min(...lines.map((l) => l.y0)),
      Math.max(...lines.map((l) => l.x1)),
      Math.max(...lines.map((l) => l.y1)),
    ],
    xs,
    nRows: rows.length,
    nCols: bands.length,
    cells,
    method: 'pdf-aligned',
  };
}

/** Finds aligned tables among a page's lines (top to bottom); returns them and the lines they did not take. */
export function alignedTables(page: number, lines: Line[]): { tables: PageTable[]; rest: Line[] } {
  const tables: PageTable[] = [];
  const taken = new Set<Line>();
  let i = 0;
  while (i < lines.length) {
    if (lines[i].flow !== 'h' || lines[i].pieces.length < 2) {
      i++;
      continue;
    }
    // Grow a run from this multi-piece line.
    const run: Line[] = [lines[i]];
    let singles: Line[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j];
      const last = singles.length ? singles[singles.length - 1] : run[run.length - 1];
      if (l.flow !== 'h' || l.y0 - last.y1 > MAX_LINE_GAP * Math.max(l.size, last.size)) break;
      if (l.pieces.length >= 2) {
        run.push(...singles, l);
        singles = [];
      } else if (singles.length < MAX_SINGLES) singles.push(l);
      else break;
    }
    const multi = run.filter((l) => l.pieces.length >= 2);
    const bands = multi.length >= MIN_ROWS ? findBands(multi) : [];
    // Every column must be used by at least two lines, or this is prose with odd gaps.
    const used = bands.map((b) => multi.filter((l) => l.pieces.some((p) => overlap(p.x0, p.x1, b.x0, b.x1) > 0)).length);
    if (bands.length >= 2 && used.every((n) => n >= 2)) {
      tables.push(buildTable(page, run, bands));
      for (const l of run) taken.add(l);
      i = i + run.length;
    } else i++;
  }
  return { tables, rest: lines.filter((l) => !taken.has(l)) };
}
