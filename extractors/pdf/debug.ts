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
import { MIN_TEXT_CHARS, readScannedPages } from './scanned.js';
import { encodePng } from '../ocr/picture.js';
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

/** Green when sure, amber when doubtful, red below 0.5 (as the field layer of ogi debug-pdf). */
function confidenceColour(c: number): string {
  return c >= 0.8 ? '#1a7f37' : c >= 0.5 ? '#bf8700' : '#cf222e';
}

/**
 * The OCR of a scanned page, drawn: the page picture (faded), each table's
 * cells as the grid rebuilt from its ruling lines, and in each cell the text
 * read with its confidence, coloured by it. The title area read as text is
 * outlined.
 */
async function scannedLayer(bytes: Uint8Array, pageNumber: number): Promise<string[]> {
  let scanned;
  try {
    scanned = await readScannedPages(bytes, [pageNumber], pageNumber, { timeoutMs: 120_000, name: 'debug.pdf' });
  } catch (e) {
    return [`<!-- no OCR layer: ${escapeXml((e as Error).message)} -->`];
  }
  const img = scanned.images.get(pageNumber);
  if (!img) return [`<!-- no OCR layer: ${escapeXml(scanned.failed.get(pageNumber) ?? 'no picture')} -->`];
  const [x0, y0, x1, y1] = img.place;
  const png = Buffer.from(encodePng(img.image)).toString('base64');
  const out = [
    `<g class="scan" data-dpi="${f(img.dpi)}" data-skew="${scanned.skew.get(pageNumber) ?? 0}" data-how="${img.how}">`,
    `<image x="${f(x0)}" y="${f(y0)}" width="${f(x1 - x0)}" height="${f(y1 - y0)}" opacity="0.55" preserveAspectRatio="none" href="data:image/png;base64,${png}"/>`,
  ];
  for (const b of scanned.blocks.get(pageNumber) ?? []) {
    if (b.kind !== 'table') {
      out.push(rect(b.bbox, 'fill="none" stroke="#6a51a3" stroke-width="0.6" stroke-dasharray="3 1"'));
      continue;
    }
    out.push(...tableSvg(b, '#2171b5'));
    for (const c of b.cells) {
      const conf = c.reading?.confidence ?? 1;
      const colour = confidenceColour(conf);
      const text = c.text.replace(/\s+/g, ' ').slice(0, 40);
      const size = Math.max(3, Math.min(7, (c.bbox[3] - c.bbox[1]) * 0.35));
      out.push(
        `<text x="${f(c.bbox[0] + 1)}" y="${f(c.bbox[3] - 1.5)}" font-size="${f(size)}" fill="${colour}"><title>${escapeXml(
          `r${c.row}c${c.col}: "${c.text}" confidence ${conf}${c.reading?.alternatives?.length ? `, also ${c.reading.alternatives.join(' / ')}` : ''}`,
        )}</title>${escapeXml(text || '∅')} <tspan font-size="${f(size * 0.6)}">${conf}</tspan></text>`,
      );
    }
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
    out.push('</g>');
    // A page without a text layer is read by OCR: draw its picture, the grid found in it and each cell's reading.
    if (layout.contentChars < MIN_TEXT_CHARS) out.push(...(await scannedLayer(bytes, pageNumber)));
    out.push('</svg>');
    return out.join('\n');
  } finally {
    await doc.destroy();
  }
}

/** A box to outline on a page picture, with a label shown on hover. */
export interface PageMark {
  bbox: Box;
  label: string;
  /** CSS class of the outline (the review site styles 'hit' and 'cell'). */
  kind?: string;
}

/**
 * Bands of a document's pages, redrawn from their own content as SVG: the
 * glyphs at their printed place and size and the drawn lines, each cropped to
 * its `region` (points, top-left origin), with `marks` outlined. The printed
 * numbers are the page's own text, drawn in the viewer's font: unlike a raster
 * of a page whose Chinese fonts are not embedded, nothing turns into empty
 * boxes. Each page is read once.
 */
export async function renderPageRegionsSvg(
  bytes: Uint8Array,
  wanted: { page: number; region: Box; marks: PageMark[] }[],
): Promise<(string | undefined)[]> {
  const lib = await pdfjs();
  const doc = await openPdf(bytes, 'evidence.pdf');
  try {
    const pages = new Map<number, Awaited<ReturnType<typeof readPage>>>();
    const out: (string | undefined)[] = [];
    for (const w of wanted) {
      if (!Number.isInteger(w.page) || w.page < 1 || w.page > doc.numPages) {
        out.push(undefined);
        continue;
      }
      let content = pages.get(w.page);
      if (!content) {
        content = await readPage(await doc.getPage(w.page), lib.OPS as OpsTable, lib.AnnotationMode.DISABLE);
        pages.set(w.page, content);
      }
      out.push(regionSvg(content, w.region, w.marks));
    }
    return out;
  } finally {
    await doc.destroy();
  }
}

function regionSvg(content: Awaited<ReturnType<typeof readPage>>, region: Box, marks: PageMark[]): string {
  const x0 = Math.max(0, region[0]);
  const y0 = Math.max(0, region[1]);
  const x1 = Math.min(content.width, region[2]);
  const y1 = Math.min(content.height, region[3]);
  const inside = (b: Box) => b[2] >= x0 && b[0] <= x1 && b[3] >= y0 && b[1] <= y1;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="page-crop" viewBox="${f(x0)} ${f(y0)} ${f(x1 - x0)} ${f(y1 - y0)}" width="${f((x1 - x0) * 1.4)}" height="${f((y1 - y0) * 1.4)}" font-family="Noto Sans CJK SC, Noto Sans SC, WenQuanYi Zen Hei, Source Han Sans SC, Microsoft YaHei, SimSun, sans-serif">`,
    `<rect x="${f(x0)}" y="${f(y0)}" width="${f(x1 - x0)}" height="${f(y1 - y0)}" fill="white"/>`,
    '<g stroke="#222" stroke-width="0.6">',
  ];
  for (const s of content.segments) {
    const b: Box = s.orient === 'h' ? [s.from, s.pos, s.to, s.pos] : [s.pos, s.from, s.pos, s.to];
    if (!inside(b)) continue;
    out.push(`<line x1="${f(b[0])}" y1="${f(b[1])}" x2="${f(b[2])}" y2="${f(b[3])}"/>`);
  }
  out.push('</g>', '<g fill="#111">');
  for (const c of content.chars) {
    if (!inside([c.x0, c.y0, c.x1, c.y1]) || !c.text.trim()) continue;
    const size = Math.max(1, c.y1 - c.y0);
    out.push(
      `<text x="${f(c.x0)}" y="${f(c.y1 - 0.15 * size)}" font-size="${f(size * 0.92)}" textLength="${f(Math.max(0.5, c.x1 - c.x0))}" lengthAdjust="spacingAndGlyphs">${escapeXml(c.text)}</text>`,
    );
  }
  out.push('</g>');
  for (const m of marks) {
    out.push(
      `<rect class="${m.kind ?? 'hit'}" x="${f(m.bbox[0] - 1)}" y="${f(m.bbox[1] - 1)}" width="${f(m.bbox[2] - m.bbox[0] + 2)}" height="${f(m.bbox[3] - m.bbox[1] + 2)}" fill="none" stroke="#d1242f" stroke-width="1.6"><title>${escapeXml(m.label)}</title></rect>`,
    );
  }
  out.push('</svg>');
  return out.join('');
}
