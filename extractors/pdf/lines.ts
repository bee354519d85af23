/**
 * Glyphs → lines. Horizontal glyphs group by baseline, vertical ones by column;
 * Chinese text joins without spaces, and a space marks a real gap.
 */
import { isCjk, joinLines } from '../../src/text/cjk.js';
import { PDF_TABLE_SETTINGS } from './settings.js';
import type { Char, Line, Piece } from './types.js';

export { isCjk, joinLines };

function lastChar(s: string): string | undefined {
  const a = Array.from(s);
  return a[a.length - 1];
}

/** Gaps wider than this many ems split a line into pieces (column candidates). */
export const PIECE_GAP = PDF_TABLE_SETTINGS.pieceGap;
/** Latin/digit gaps wider than this many ems are word spaces. */
const WORD_GAP = 0.15;
/** Next to Chinese, only gaps wider than this many ems are spaces (justified text spreads glyphs). */
const CJK_GAP = 1.0;

/** Separator between two pieces of one line, given the gap between them. */
export function gapSeparator(left: string, right: string, gap: number, size: number): string {
  if (gap <= WORD_GAP * size) return '';
  if (isCjk(lastChar(left)) || isCjk(Array.from(right)[0])) return gap > CJK_GAP * size ? ' ' : '';
  return ' ';
}

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  return v.length ? v[v.length >> 1] : 0;
}

/** Reading direction of a line: along x, down y, or up y (text turned counter-clockwise). */
type Along = 'x' | 'y' | '-y';

function gapAlong(prev: Char, c: Char, along: Along): number {
  return along === 'x' ? c.x0 - prev.x1 : along === 'y' ? c.y0 - prev.y1 : prev.y0 - c.y1;
}

/** Text of chars already in reading order, with pieces split at wide gaps. */
function assemble(chars: Char[], along: Along): { text: string; pieces: Piece[] } {
  const pieces: Piece[] = [];
  let text = '';
  let piece: Piece | null = null;
  let prev: Char | null = null;
  for (const c of chars) {
    if (prev) {
      const gap = gapAlong(prev, c, along);
      const size = Math.max(prev.size, c.size);
      const sep = gapSeparator(prev.text, c.text, gap, size);
      text += sep;
      if (gap >= PIECE_GAP * size || !piece) {
        piece = { x0: c.x0, x1: c.x1, text: c.text };
        pieces.push(piece);
      } else {
        piece.text += sep + c.text;
        piece.x1 = Math.max(piece.x1, c.x1);
      }
    } else {
      piece = { x0: c.x0, x1: c.x1, text: c.text };
      pieces.push(piece);
    }
    text += c.text;
    prev = c;
  }
  return { text, pieces };
}

function makeLine(chars: Char[], along: Along): Line {
  const { text, pieces } = assemble(chars, along);
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const c of chars) {
    x0 = Math.min(x0, c.x0);
    y0 = Math.min(y0, c.y0);
    x1 = Math.max(x1, c.x1);
    y1 = Math.max(y1, c.y1);
  }
  return { chars, x0, y0, x1, y1, size: median(chars.map((c) => c.size)), flow: chars[0].flow, text, pieces };
}

/** Drops glyphs printed twice on top of each other (fake bold, shadowed text). */
function dedupe(sorted: Char[], along: Along): Char[] {
  const kept: Char[] = [];
  for (const c of sorted) {
    let dup = false;
    for (let k = kept.length - 1; k >= 0 && k >= kept.length - 4; k--) {
      const o = kept[k];
      if (o.text !== c.text) continue;
      // Overprinting shifts a copy by a fraction of the glyph; a real double letter ("ll") sits a full advance away.
      const extent = along === 'x' ? Math.min(o.x1 - o.x0, c.x1 - c.x0) : Math.min(o.y1 - o.y0, c.y1 - c.y0);
      const d = along === 'x' ? Math.abs(o.x0 - c.x0) : Math.abs(o.y0 - c.y0);
      const cross = along === 'x' ? Math.abs(o.y0 + o.y1 - c.y0 - c.y1) / 2 : Math.abs(o.x0 + o.x1 - c.x0 - c.x1) / 2;
      if (d < Math.max(0.3, 0.3 * extent) && cross < 0.3 * c.size) {
        dup = true;
        break;
      }
    }
    if (!dup) kept.push(c);
  }
  return kept;
}

/** Clusters chars whose centres across the flow lie close together, then orders each cluster along it. */
function cluster(chars: Char[], along: Along): Line[] {
  const across = (c: Char) => (along === 'x' ? (c.y0 + c.y1) / 2 : (c.x0 + c.x1) / 2);
  const sorted = [...chars].sort((a, b) => across(a) - across(b));
  const groups: Char[][] = [];
  let group: Char[] = [];
  let centre = 0;
  let size = 0;
  for (const c of sorted) {
    const m = across(c);
    if (group.length && Math.abs(m - centre) <= 0.45 * Math.min(size, c.size)) {
      group.push(c);
      centre += (m - centre) / group.length;
      size = Math.max(size, c.size);
    } else {
      if (group.length) groups.push(group);
      group = [c];
      centre = m;
      size = c.size;
    }
  }
  if (group.length) groups.push(group);
  return groups.map((g) => {
    g.sort(along === 'x' ? (a, b) => a.x0 - b.x0 : along === 'y' ? (a, b) => a.y0 - b.y0 : (a, b) => b.y1 - a.y1);
    return makeLine(dedupe(g, along), along);
  });
}

/** Rotated text: consecutive glyphs (content order) that touch form a line. */
function rotatedLines(chars: Char[]): Line[] {
  const out: Line[] = [];
  let run: Char[] = [];
  for (const c of chars) {
    const p = run[run.length - 1];
    if (p && Math.hypot((p.x0 + p.x1 - c.x0 - c.x1) / 2, (p.y0 + p.y1 - c.y0 - c.y1) / 2) > 2 * Math.max(p.size, c.size)) {
      out.push(makeLine(run, 'x'));
      run = [];
    }
    run.push(c);
  }
  if (run.length) out.push(makeLine(run, 'x'));
  return out;
}

/** Lines of a set of chars, top to bottom (vertical columns by their top edge), then left to right. */
export function buildLines(chars: Char[]): Line[] {
  const by: Record<Char['flow'], Char[]> = { h: [], v: [], u: [], r: [] };
  for (const c of chars) by[c.flow].push(c);
  const lines = cluster(by.h, 'x');
  if (by.v.length) lines.push(...cluster(by.v, 'y'));
  if (by.u.length) lines.push(...cluster(by.u, '-y'));
  if (by.r.length) lines.push(...rotatedLines(by.r));
  return lines.sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
}
