/**
 * Drawn paths → ruling segments: every straight stroked piece that runs
 * horizontally or vertically, and every thin filled rectangle (many producers
 * draw table borders as filled rectangles a fraction of a point thick).
 */
import { applyX, applyY, scaleOf, type Matrix } from './matrix.js';
import { PDF_TABLE_SETTINGS } from './settings.js';
import type { Segment } from './types.js';

/** pdf.js path buffer codes (DrawOPS). */
const MOVE = 0;
const LINE = 1;
const CURVE = 2;
const QUAD = 3;
const CLOSE = 4;

const THIN_FILL = PDF_TABLE_SETTINGS.thinFill;

/** White (or nearly) paint is invisible on paper: such lines and fills are not rulings. */
export function isWhite(hex: unknown): boolean {
  const m = typeof hex === 'string' ? /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex) : null;
  return !!m && m.slice(1).every((h) => parseInt(h, 16) >= 0xf8);
}

export interface Paint {
  stroke: boolean;
  fill: boolean;
  /** Line width in user space. */
  lineWidth: number;
}

function addLine(out: Segment[], ax: number, ay: number, bx: number, by: number, thick: number): void {
  const dx = Math.abs(bx - ax);
  const dy = Math.abs(by - ay);
  const slack = Math.max(0.5, thick);
  if (dy <= slack && dx > dy) out.push({ orient: 'h', pos: (ay + by) / 2, from: Math.min(ax, bx), to: Math.max(ax, bx) });
  else if (dx <= slack && dy > dx) out.push({ orient: 'v', pos: (ax + bx) / 2, from: Math.min(ay, by), to: Math.max(ay, by) });
}

/** The box of a subpath (page space) when it is an axis-aligned rectangle. */
export function rectOf(pts: number[]): [number, number, number, number] | null {
  const n = pts.length / 2;
  if (n < 2 || n > 5) return null;
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (let i = 0; i < pts.length; i += 2) {
    x0 = Math.min(x0, pts[i]);
    x1 = Math.max(x1, pts[i]);
    y0 = Math.min(y0, pts[i + 1]);
    y1 = Math.max(y1, pts[i + 1]);
  }
  // Every corner must lie on the box edges (rotated shapes fail this).
  for (let i = 0; i < pts.length; i += 2) {
    const onX = Math.abs(pts[i] - x0) < 0.5 || Math.abs(pts[i] - x1) < 0.5;
    const onY = Math.abs(pts[i + 1] - y0) < 0.5 || Math.abs(pts[i + 1] - y1) < 0.5;
    if (!onX || !onY) return null;
  }
  return [x0, y0, x1, y1];
}

/** Appends the ruling segments of one painted path (pdf.js path buffer in user space, `m` to page space). */
export function pathSegments(buf: ArrayLike<number>, m: Matrix, paint: Paint, out: Segment[]): void {
  const thick = paint.lineWidth * scaleOf(m);
  let sub: number[] = [];
  let curved = false;
  const flush = (closed: boolean) => {
    if (sub.length >= 4) {
      if (paint.stroke) {
        for (let i = 2; i < sub.length; i += 2) addLine(out, sub[i - 2], sub[i - 1], sub[i], sub[i + 1], thick);
        if (closed) addLine(out, sub[sub.length - 2], sub[sub.length - 1], sub[0], sub[1], thick);
      }
      const r = paint.fill && !curved ? rectOf(sub) : null;
      if (r) {
        const w = r[2] - r[0];
        const h = r[3] - r[1];
        if (h <= THIN_FILL && w > h) out.push({ orient: 'h', pos: (r[1] + r[3]) / 2, from: r[0], to: r[2] });
        else if (w <= THIN_FILL && h > w) out.push({ orient: 'v', pos: (r[0] + r[2]) / 2, from: r[1], to: r[3] });
      }
    }
    sub = [];
    curved = false;
  };
  const point = (x: number, y: number) => sub.push(applyX(m, x, y), applyY(m, x, y));
  for (let i = 0; i < buf.length; ) {
    const op = buf[i++];
    if (op === MOVE) {
      flush(false);
      point(buf[i], buf[i + 1]);
      i += 2;
    } else if (op === LINE) {
      point(buf[i], buf[i + 1]);
      i += 2;
    } else if (op === CURVE || op === QUAD) {
      // A curve ends the straight run: keep what came before, go on from its end point.
      const n = op === CURVE ? 6 : 4;
      flush(false);
      point(buf[i + n - 2], buf[i + n - 1]);
      i += n;
      curved = true;
    } else if (op === CLOSE) {
      const first = sub.slice(0, 2);
      flush(true);
      if (first.length) sub.push(...first);
    } else {
      break; // unknown drawing op: stop rather than misread the buffer
    }
  }
  flush(false);
}
