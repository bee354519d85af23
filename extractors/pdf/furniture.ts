/**
 * Page furniture: page numbers and running headers/footers in the page
 * margins. They are not content and would split tables and paragraphs that
 * continue across pages.
 */
import type { Line } from './types.js';

/** Share of the page height at the top and bottom where furniture lives. */
const MARGIN = 0.1;

const PAGE_NUMBER = [
  /^[-–—_·•=\s]*\d{1,4}[-–—_·•=\s]*$/, // "- 4 -", "—4—", "4"
  /^第\s*\d{1,4}\s*页(?:\s*[,，、/／]?\s*共\s*\d{1,4}\s*页)?$/, // "第 4 页", "第4页 共5页"
  /^\d{1,4}\s*[/／]\s*\d{1,4}$/, // "4 / 5"
  /^page\s*\d{1,4}(?:\s*of\s*\d{1,4})?$/i,
];

export function inMargin(line: Line, pageHeight: number): boolean {
  return line.y1 <= pageHeight * MARGIN || line.y0 >= pageHeight * (1 - MARGIN);
}

export function isPageNumber(text: string): boolean {
  const t = text.trim();
  return PAGE_NUMBER.some((re) => re.test(t));
}

/** Key under which the same header/footer matches on every page (page numbers vary). */
function runningKey(line: Line): string {
  return line.text.replace(/\d+/g, '#').replace(/\s+/g, '');
}

/** Margin lines and slanted lines (watermarks) may repeat as furniture; body text may not. */
function mayRepeat(l: Line, pageHeight: number): boolean {
  return l.flow === 'r' || inMargin(l, pageHeight);
}

/**
 * Marks furniture on every page: page-number lines in the margins, and margin
 * or slanted lines whose text recurs on at least three pages and half of all pages.
 */
export function findFurniture(pages: { lines: Line[]; height: number }[]): Set<Line> {
  const out = new Set<Line>();
  const seen = new Map<string, Set<number>>();
  pages.forEach((p, i) => {
    for (const l of p.lines) {
      if (!mayRepeat(l, p.height)) continue;
      if (inMargin(l, p.height) && isPageNumber(l.text)) out.add(l);
      const k = runningKey(l);
      if (!k) continue;
      const s = seen.get(k) ?? new Set<number>();
      s.add(i);
      seen.set(k, s);
    }
  });
  const need = Math.max(3, Math.ceil(pages.length / 2));
  pages.forEach((p) => {
    for (const l of p.lines) if (mayRepeat(l, p.height) && (seen.get(runningKey(l))?.size ?? 0) >= need) out.add(l);
  });
  return out;
}
