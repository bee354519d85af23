/**
 * Page contents → ordered blocks. Ruled tables first take their glyphs; the
 * remaining glyphs become lines, page furniture is dropped, aligned tables are
 * looked for among the lines, and what is left becomes paragraphs.
 */
import { alignedTables } from './aligned.js';
import { findFurniture } from './furniture.js';
import { buildLines } from './lines.js';
import { ruledTables } from './tables.js';
import { bodySize, headingLevels, paragraphs } from './text.js';
import type { Line, PageBlock, PageContent, PageTable } from './types.js';

export interface PageLayout {
  page: number;
  width: number;
  height: number;
  tables: PageTable[];
  /** Lines outside ruled tables, furniture removed. */
  lines: Line[];
  /** Glyphs of content (not furniture) on the page. */
  contentChars: number;
}

/** First pass, per page: ruled tables and the lines around them. */
export function pageLayout(content: PageContent): PageLayout {
  const { tables, rest } = ruledTables(content.page, content.chars, content.segments);
  return {
    page: content.page,
    width: content.width,
    height: content.height,
    tables,
    lines: buildLines(rest),
    contentChars: content.chars.length,
  };
}

/** Second pass, over the document: furniture, body size, then each page's blocks top to bottom. */
export function layoutBlocks(pages: PageLayout[]): PageBlock[][] {
  const furniture = findFurniture(pages);
  for (const p of pages) {
    const dropped = p.lines.filter((l) => furniture.has(l));
    p.contentChars -= dropped.reduce((n, l) => n + l.chars.length, 0);
    p.lines = p.lines.filter((l) => !furniture.has(l));
  }
  const all = pages.flatMap((p) => p.lines.filter((l) => l.flow === 'h'));
  const body = bodySize(all);
  const levels = headingLevels(all, body);
  return pages.map((p) => {
    const { tables, rest } = alignedTables(p.page, p.lines);
    const boxes = [...p.tables, ...tables].map((t) => t.bbox);
    const blocks: PageBlock[] = [...p.tables, ...tables, ...paragraphs(p.page, rest, body, levels, boxes)];
    return blocks.sort((a, b) => a.bbox[1] - b.bbox[1] || a.bbox[0] - b.bbox[0]);
  });
}
