/**
 * Ruling lines: drawn segments merged into lines, and lines grouped into
 * table frames (sets of horizontal and vertical rulings that touch).
 */
import { PDF_TABLE_SETTINGS, type TableSettings } from './settings.js';
import type { Box, Segment } from './types.js';

export interface Ruling {
  orient: 'h' | 'v';
  pos: number;
  from: number;
  to: number;
}

export interface Frame {
  h: Ruling[];
  v: Ruling[];
  bbox: Box;
}

/** Merges collinear segments of one orientation into rulings. */
function mergeOrient(segs: Segment[], orient: 'h' | 'v', ts: Readonly<TableSettings>): Ruling[] {
  const sorted = segs.filter((s) => s.orient === orient).sort((a, b) => a.pos - b.pos);
  // Group by position, then merge overlapping extents within each group.
  const groups: Segment[][] = [];
  for (const s of sorted) {
    const g = groups[groups.length - 1];
    if (g && s.pos - g[g.length - 1].pos <= ts.snapTolerance) g.push(s);
    else groups.push([s]);
  }
  const out: Ruling[] = [];
  for (const g of groups) {
    const pos = g.reduce((a, s) => a + s.pos, 0) / g.length;
    g.sort((a, b) => a.from - b.from);
    let cur: Ruling | null = null;
    for (const s of g) {
      if (cur && s.from <= cur.to + ts.joinTolerance) cur.to = Math.max(cur.to, s.to);
      else {
        if (cur) out.push(cur);
        cur = { orient, pos, from: s.from, to: s.to };
      }
    }
    if (cur) out.push(cur);
  }
  return out.filter((r) => r.to - r.from >= ts.minRulingLength);
}

export function mergeSegments(segments: Segment[], ts: Readonly<TableSettings> = PDF_TABLE_SETTINGS): { h: Ruling[]; v: Ruling[] } {
  return { h: mergeOrient(segments, 'h', ts), v: mergeOrient(segments, 'v', ts) };
}

function touches(h: Ruling, v: Ruling, t: number): boolean {
  return v.pos >= h.from - t && v.pos <= h.to + t && h.pos >= v.from - t && h.pos <= v.to + t;
}

/** Connected groups of crossing rulings with at least two of each orientation. */
export function findFrames(h: Ruling[], v: Ruling[], ts: Readonly<TableSettings> = PDF_TABLE_SETTINGS): Frame[] {
  const all = [...h, ...v];
  const parent = all.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  for (let i = 0; i < h.length; i++) {
    for (let j = 0; j < v.length; j++) {
      if (touches(h[i], v[j], ts.touchTolerance)) {
        const a = find(i);
        const b = find(h.length + j);
        if (a !== b) parent[a] = b;
      }
    }
  }
  const groups = new Map<number, Ruling[]>();
  all.forEach((r, i) => {
    const k = find(i);
    const g = groups.get(k) ?? [];
    g.push(r);
    groups.set(k, g);
  });
  const frames: Frame[] = [];
  for (const g of groups.values()) {
    const fh = g.filter((r) => r.orient === 'h');
    const fv = g.filter((r) => r.orient === 'v');
    if (fh.length < 2 || fv.length < 2) continue;
    const x0 = Math.min(...fh.map((r) => r.from), ...fv.map((r) => r.pos));
    const x1 = Math.max(...fh.map((r) => r.to), ...fv.map((r) => r.pos));
    const y0 = Math.min(...fv.map((r) => r.from), ...fh.map((r) => r.pos));
    const y1 = Math.max(...fv.map((r) => r.to), ...fh.map((r) => r.pos));
    frames.push({ h: fh, v: fv, bbox: [x0, y0, x1, y1] });
  }
  return frames.sort((a, b) => a.bbox[1] - b.bbox[1]);
}
