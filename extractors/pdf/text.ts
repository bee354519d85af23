/**
 * Lines outside tables → paragraphs and headings. A line joins the paragraph
 * above when that one runs to the right margin and this one is not indented:
 * wrapped sentences come back whole, while headings and list items (short
 * lines, first-line indents) stay blocks of their own.
 */
import { joinLines } from './lines.js';
import type { Box, Line, PageText } from './types.js';

/** Lines at least this much larger than body text are headings. */
const HEADING_RATIO = 1.15;
const MAX_HEADING_CHARS = 60;

/** The most common glyph size of the document's text lines (weighted by glyph count). */
export function bodySize(lines: Line[]): number {
  const weight = new Map<number, number>();
  for (const l of lines) {
    const k = Math.round(l.size * 2) / 2;
    weight.set(k, (weight.get(k) ?? 0) + l.chars.length);
  }
  let best = 0;
  let w = -1;
  for (const [k, n] of weight) if (n > w) [best, w] = [k, n];
  return best;
}

function isHeading(line: Line, body: number): boolean {
  return body > 0 && line.size >= body * HEADING_RATIO && Array.from(line.text).length <= MAX_HEADING_CHARS;
}

/** Heading levels by size: the largest heading size is level 1. */
export function headingLevels(lines: Line[], body: number): Map<number, number> {
  const sizes = [...new Set(lines.filter((l) => isHeading(l, body)).map((l) => Math.round(l.size * 2) / 2))].sort((a, b) => b - a);
  return new Map(sizes.map((s, i) => [s, Math.min(6, i + 1)]));
}

function sameSize(a: number, b: number): boolean {
  return Math.max(a, b) / Math.min(a, b) <= 1.18;
}

/** Paragraph and heading blocks of one page, top to bottom. */
export function paragraphs(page: number, lines: Line[], body: number, levels: Map<number, number>, tables: Box[] = []): PageText[] {
  const h = lines.filter((l) => l.flow === 'h');
  const full = h.filter((l) => l.size > 0);
  // Text column: left margin from the leftmost lines, right margin from the rightmost.
  const left = full.length ? Math.min(...full.map((l) => l.x0)) : 0;
  const right = full.length ? Math.max(...full.map((l) => l.x1)) : 0;

  // Typical gap between lines of the page: double-spaced text has wide gaps inside paragraphs too.
  const gaps: number[] = [];
  for (let i = 1; i < h.length; i++) {
    const g = (h[i].y0 - h[i - 1].y1) / h[i].size;
    if (g > 0 && g < 3 && sameSize(h[i].size, h[i - 1].size)) gaps.push(g);
  }
  gaps.sort((a, b) => a - b);
  const lineGap = Math.min(2.5, Math.max(1.3, 1.3 * (gaps[gaps.length >> 1] ?? 0)));
  // Nothing joins across a table.
  const tableBetween = (a: Line, b: Line) => tables.some((t) => t[1] >= a.y1 - 1 && t[3] <= b.y0 + 1);

  const out: PageText[] = [];
  let cur: { lines: Line[]; heading: boolean } | null = null;
  const flush = () => {
    if (!cur) return;
    const ls = cur.lines;
    const size = ls[0].size;
    out.push({
      kind: cur.heading ? 'heading' : 'paragraph',
      page,
      bbox: [
        Math.min(...ls.map((l) => l.x0)),
        Math.min(...ls.map((l) => l.y0)),
        Math.max(...ls.map((l) => l.x1)),
        Math.max(...ls.map((l) => l.y1)),
      ],
      text: joinLines(
        ls.map((l) => l.text),
        ' ',
      ),
      size,
      level: cur.heading ? levels.get(Math.round(size * 2) / 2) : undefined,
      flushStart: !cur.heading && ls[0].flow === 'h' && ls[0].x0 <= left + 1.0 * size,
      fullEnd: !cur.heading && ls[ls.length - 1].flow === 'h' && ls[ls.length - 1].x1 >= right - 2 * size,
    });
    cur = null;
  };
  for (const line of lines) {
    const heading = line.flow === 'h' && isHeading(line, body);
    if (cur && !heading && !cur.heading && line.flow === 'h') {
      const last = cur.lines[cur.lines.length - 1];
      const joins =
        last.flow === 'h' &&
        sameSize(last.size, line.size) &&
        line.y0 - last.y1 <= lineGap * line.size &&
        line.y0 > last.y0 &&
        !tableBetween(last, line) &&
        last.x1 >= right - 2 * line.size &&
        line.x0 <= left + 1.0 * line.size;
      if (joins) {
        cur.lines.push(line);
        continue;
      }
    }
    flush();
    cur = { lines: [line], heading };
  }
  flush();
  return out;
}
