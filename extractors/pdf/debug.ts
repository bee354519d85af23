/**
 * A picture of what the extractor saw on one page, like pdfplumber's
 * debug_tablefinder: glyph boxes with their text, drawn segments, merged
 * rulings, table cells labelled r{row}c{col} (with spans), and text lines.
 * `ogi debug-pdf FILE --page N` writes it as an SVG file.
 */
import { alignedTables } from './aligned.js';
import { readPage, type OpsTable } from './content.js';
import { pageLayout } from './layout.js';
import { openPdf, pdfjs } from './load.js';
import { mergeSegments } from './rulings.js';
import type { Box, PageTable } from './types.js';
import { escapeXml } from '../../src/text/xml.js';

const f = (v: number) => (Math.round(v * 100) / 100).toString();

function rect(b: Box, attrs: string): string {
  return `<rect x="${f(b[0])}" y="${f(b[1])}" width="${f(b[2] - b[0])}" height="${f(b[3] - b[1])}" ${attrs}/>`;
}

function tableSvg(t: PageTable, colour: string): string[] {
  const out = [`<g class="table" data-method="${t.method}">`, rect(t.bbox, `fill="none" stroke="${colour}" stroke-width="1.5"`)];
  for (const c of t.cells) {
    out.push(rect(c.bbox, `fill="${colour}" fill-opacity="0.08" stroke="${colour}" stroke-width="0.5"`));
    const span = c.rowSpan > 1 || c.colSpan > 1 ? ` ${c.rowSpan}×${c.colSpan}` : '';
    out.push(`<text x="${f(c.bbox[0] + 1)}" y="${f(c.bbox[1] + 4.5)}" font-size="4" fill="${colour}">r${c.row}c${c.col}${span}</text>`);
  }
  out.push('</g>');
  return out;
}

/** Renders page `pageNumber` (1-based) of a PDF as an SVG string in page points. */
export async function renderDebugSvg(bytes: Uint8Array, pageNumber: number): Promise<string> {
  const lib = await pdfjs();
  const doc = await openPdf(bytes, 'debug.pdf');
  try {
    if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > doc.numPages) {
      throw new RangeError(`page ${pageNumber} is not in 1..${doc.numPages}`);
    }
    const page = await doc.getPage(pageNumber);
    const content = await readPage(page, lib.OPS as OpsTable, lib.AnnotationMode.DISABLE);
    const layout = pageLayout(content);
    const aligned = alignedTables(pageNumber, layout.lines);
    const { h, v } = mergeSegments(content.segments);
    const { width, height } = content;

    const out: string[] = [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${f(width)}" height="${f(height)}" viewBox="0 0 ${f(width)} ${f(height)}" font-family="Noto Sans CJK SC, sans-serif">`,
      `<rect x="0" y="0" width="${f(width)}" height="${f(height)}" fill="white" stroke="#999"/>`,
      '<g class="chars">',
    ];
    for (const c of content.chars) {
      out.push(rect([c.x0, c.y0, c.x1, c.y1], 'fill="none" stroke="#9ecae1" stroke-width="0.3"'));
      out.push(
        `<text x="${f(c.x0)}" y="${f(c.y1 - 0.2 * (c.y1 - c.y0))}" font-size="${f(Math.max(1, c.size * 0.8))}" fill="#333">${escapeXml(c.text)}</text>`,
      );
    }
    out.push('</g>', '<g class="segments" stroke="#bbb" stroke-width="0.4">');
    for (const s of content.segments) {
      out.push(
        s.orient === 'h'
          ? `<line x1="${f(s.from)}" y1="${f(s.pos)}" x2="${f(s.to)}" y2="${f(s.pos)}"/>`
          : `<line x1="${f(s.pos)}" y1="${f(s.from)}" x2="${f(s.pos)}" y2="${f(s.to)}"/>`,
      );
    }
    out.push('</g>', '<g class="rulings" stroke="#e31a1c" stroke-width="0.8">');
    for (const r of h) out.push(`<line x1="${f(r.from)}" y1="${f(r.pos)}" x2="${f(r.to)}" y2="${f(r.pos)}"/>`);
    for (const r of v) out.push(`<line x1="${f(r.pos)}" y1="${f(r.from)}" x2="${f(r.pos)}" y2="${f(r.to)}"/>`);
    out.push('</g>');
    for (const t of layout.tables) out.push(...tableSvg(t, '#2171b5'));
    for (const t of aligned.tables) out.push(...tableSvg(t, '#238b45'));
    out.push('<g class="lines" fill="none" stroke="#fd8d3c" stroke-width="0.4" stroke-dasharray="2 1">');
    for (const l of aligned.rest) out.push(rect([l.x0, l.y0, l.x1, l.y1], ''));
    out.push('</g>', '</svg>');
    return out.join('\n');
  } finally {
    await doc.destroy();
  }
}
