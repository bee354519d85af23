/**
 * Scanned pages of a PDF: pages without a text layer (or with hardly any
 * text: a stamp, a page number) are read by OCR. Their tables become
 * 'ocr-ruled' tables in page points, so that tables continued across pages
 * join as on vector pages; the first page's title area becomes text.
 */
import { engineStatus, ocrImages, OcrUnavailableError, type OcrResult } from '../ocr/read.js';
import { pageImages, toPoints, type PageImage, type RenderOptions } from './page-image.js';
import type { Box, PageBlock, PageCell, PageTable, PageText } from './types.js';

/** A page with fewer content glyphs than this has no usable text layer. */
export const MIN_TEXT_CHARS = 20;

export interface ScannedResult {
  /** Blocks per OCR'd page. */
  blocks: Map<number, PageBlock[]>;
  /** Pages whose picture could not be had, with the reason. */
  failed: Map<number, string>;
  /** Skew corrected per page (degrees), for messages and debugging. */
  skew: Map<number, number>;
  /** The pictures read, per page (debugging draws them). */
  images: Map<number, PageImage>;
}

/**
 * One OCR'd picture's tables and text as page blocks in points (`img.place`
 * maps its pixels onto the page). A picture outside a PDF (`ref`: its path or
 * URL) keeps the ref and each box in its own pixels besides.
 */
export function ocrPageBlocks(page: number, img: PageImage, r: OcrResult, ref?: string): PageBlock[] {
  const out: PageBlock[] = [];
  const pic = (box: Box) => (ref ? { image: ref, pixels: box } : {});
  for (const t of r.tables) {
    const cells: PageCell[] = t.cells.map((c) => ({
      row: c.row,
      col: c.col,
      rowSpan: c.rowSpan,
      colSpan: c.colSpan,
      text: c.text,
      page,
      bbox: toPoints(img, c.box),
      reading: c.reading,
      ...pic(c.box),
    }));
    const table: PageTable = {
      kind: 'table',
      page,
      bbox: toPoints(img, t.box),
      xs: t.xs.map((x) => toPoints(img, [x, 0, x, 0])[0]),
      nRows: t.nRows,
      nCols: t.nCols,
      cells,
      method: 'ocr-ruled',
      ...(ref ? { image: ref } : {}),
    };
    out.push(table);
  }
  for (const t of r.text) {
    const text: PageText = {
      kind: 'paragraph',
      page,
      bbox: toPoints(img, t.box),
      text: t.text,
      size: 0,
      method: 'ocr-text',
      ...pic(t.box),
    };
    out.push(text);
  }
  return out.sort((a, b) => a.bbox[1] - b.bbox[1] || a.bbox[0] - b.bbox[0]);
}

/**
 * OCR of `pages` (1-based). `titlePage` also gets the text above its first
 * table read. Throws OcrUnavailableError when tesseract cannot be used.
 */
export async function readScannedPages(
  bytes: Uint8Array,
  pages: number[],
  titlePage: number | undefined,
  o: RenderOptions,
): Promise<ScannedResult> {
  // Without a usable engine, picturing the pages (pdftoppm: seconds on a large page) is wasted work.
  const engine = await engineStatus();
  if (!engine.ok) throw new OcrUnavailableError(engine.reason);
  const { images, failed } = await pageImages(bytes, pages, o);
  const order = [...images.keys()];
  const results = await ocrImages(
    order.map((p) => ({ image: images.get(p)!.image, dpi: images.get(p)!.dpi, wantText: p === titlePage })),
    { signal: o.signal, timeoutMs: o.timeoutMs, name: o.name },
  );
  const blocks = new Map<number, PageBlock[]>();
  const skew = new Map<number, number>();
  order.forEach((p, i) => {
    blocks.set(p, ocrPageBlocks(p, images.get(p)!, results[i]));
    skew.set(p, results[i].skew);
  });
  return { blocks, failed, skew, images };
}

export { OcrUnavailableError };
