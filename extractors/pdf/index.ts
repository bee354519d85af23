/**
 * PDF extractor: text-layer PDFs → the document model, tables rebuilt from
 * their ruling lines (or from alignment when there are none).
 *
 * Pages without a text layer are read by OCR (scanned.ts).
 *
 * Error codes: pdf-encrypted, pdf-corrupt, pdf-no-text, ocr-unavailable, ocr-failed, aborted.
 * Warning codes: pdf-pages-truncated, pdf-page-failed, pdf-page-no-text,
 * pdf-unmapped-glyphs, pdf-font-error, ocr-pages, ocr-unavailable, ocr-failed.
 */
import type { DocumentModel, Message } from '../../src/model.js';
import {
  ExtractError,
  type ExtractInput,
  type ExtractOptions,
  type Extractor,
  throwIfAborted,
  yieldToEventLoop,
} from '../../src/contract/extractor.js';
import { toModelBlocks } from './assemble.js';
import { readPage, type OpsTable } from './content.js';
import { joinPages } from './continuation.js';
import { layoutBlocks, pageLayout, type PageLayout } from './layout.js';
import { raceAbort } from './abort.js';
import { openPdf, pdfjs, type PdfDocument } from './load.js';
import { MIN_TEXT_CHARS, OcrUnavailableError, readScannedPages, type ScannedResult } from './scanned.js';

/** Time allowed for each tesseract or pdftoppm run when the caller sets none. */
const OCR_TIMEOUT_MS = 120_000;

export interface PdfSettings {
  /** Pages after this many are not read (a warning says so). Reports have a few dozen at most. */
  maxPages: number;
}

export const DEFAULT_SETTINGS: PdfSettings = { maxPages: 300 };

/** "page 3" / "pages 2, 4" (at most eight listed). */
function pageList(pages: number[]): string {
  const list = pages.length > 8 ? `${pages.slice(0, 8).join(', ')} …` : pages.join(', ');
  return `${pages.length === 1 ? 'page' : 'pages'} ${list}`;
}

async function title(doc: PdfDocument): Promise<string | undefined> {
  try {
    const { info } = await doc.getMetadata();
    const t = (info as { Title?: unknown } | undefined)?.Title;
    return typeof t === 'string' && t.trim() ? t.trim() : undefined;
  } catch {
    return undefined;
  }
}

export async function extractPdf(
  input: ExtractInput,
  options: ExtractOptions = {},
  settings: PdfSettings = DEFAULT_SETTINGS,
): Promise<DocumentModel> {
  const { name, bytes } = input;
  throwIfAborted(options.signal, name);
  const lib = await pdfjs();
  const doc = await openPdf(bytes, name, options.signal);
  const warnings: Message[] = [];
  try {
    const numPages = doc.numPages;
    const last = Math.min(numPages, settings.maxPages);
    if (numPages > last) {
      warnings.push({ code: 'pdf-pages-truncated', message: `read the first ${last} of ${numPages} pages (maxPages)` });
    }
    const layouts: PageLayout[] = [];
    const failed: number[] = [];
    const unmapped: number[] = [];
    const brokenFonts = new Set<string>();
    for (let p = 1; p <= last; p++) {
      await yieldToEventLoop();
      throwIfAborted(options.signal, name);
      try {
        const page = await raceAbort(doc.getPage(p), options.signal, name);
        const content = await raceAbort(readPage(page, lib.OPS as OpsTable, lib.AnnotationMode.DISABLE), options.signal, name);
        page.cleanup();
        if (content.unmapped) unmapped.push(p);
        content.brokenFonts.forEach((f) => brokenFonts.add(f));
        layouts.push(pageLayout(content));
      } catch (e) {
        if (e instanceof ExtractError) throw e;
        failed.push(p);
      }
    }
    if (failed.length === last) {
      throw new ExtractError('pdf-corrupt', `${name}: no page could be read`);
    }
    // Pages without a usable text layer are read by OCR (before furniture removal changes the counts).
    const scanPages = layouts.filter((l) => l.contentChars < MIN_TEXT_CHARS).map((l) => l.page);
    const pageBlocks = layoutBlocks(layouts);
    const textPages = layouts.filter((l) => l.contentChars > 0).length;
    let ocrd: number[] = [];
    if (scanPages.length) {
      const scanned = await readScanned(input, options, scanPages, textPages === 0, warnings);
      if (scanned) {
        layouts.forEach((l, i) => {
          const add = scanned.blocks.get(l.page);
          if (add) pageBlocks[i] = [...pageBlocks[i], ...add].sort((a, b) => a.bbox[1] - b.bbox[1] || a.bbox[0] - b.bbox[0]);
        });
        ocrd = [...scanned.blocks.keys()];
      }
    }
    if (textPages === 0 && !pageBlocks.some((b) => b.length)) {
      throw new ExtractError('pdf-no-text', `${name}: the PDF has no text layer, and OCR found no table or title in its pages`);
    }
    if (failed.length) warnings.push({ code: 'pdf-page-failed', message: `${pageList(failed)} could not be read` });
    const empty = layouts.filter((l) => l.contentChars === 0 && !ocrd.includes(l.page)).map((l) => l.page);
    if (empty.length) warnings.push({ code: 'pdf-page-no-text', message: `no text layer (scanned or blank) on ${pageList(empty)}` });
    if (unmapped.length) {
      warnings.push({ code: 'pdf-unmapped-glyphs', message: `glyphs without Unicode on ${pageList(unmapped)}; some text is missing` });
    }
    if (brokenFonts.size)
      warnings.push({ code: 'pdf-font-error', message: `${brokenFonts.size} font(s) could not be loaded; their text is missing` });

    return {
      format: 'pdf',
      meta: { extractor: ocrd.length ? 'pdf:ocr' : 'pdf', pages: numPages, title: await title(doc), warnings },
      blocks: toModelBlocks(joinPages(pageBlocks, new Map(layouts.map((l) => [l.page, l.height])))),
    };
  } finally {
    await doc.destroy();
  }
}

/**
 * OCR of the pages without a text layer. Without tesseract: an error when no
 * page has text (`ocr-unavailable`), a warning otherwise; nothing else changes.
 */
async function readScanned(
  input: ExtractInput,
  options: ExtractOptions,
  pages: number[],
  onlyScans: boolean,
  warnings: Message[],
): Promise<ScannedResult | undefined> {
  const { name } = input;
  // OCR takes seconds a page: the document's time limit grows with the pages to read.
  options.extendTime?.(pages.length * OCR_MS_PER_PAGE);
  let scanned: ScannedResult;
  try {
    scanned = await readScannedPages(input.bytes, pages, pages[0] === 1 ? 1 : undefined, {
      timeoutMs: options.timeoutMs ?? OCR_TIMEOUT_MS,
      signal: options.signal,
      name,
    });
  } catch (e) {
    if (e instanceof ExtractError) throw e;
    const code = e instanceof OcrUnavailableError ? 'ocr-unavailable' : 'ocr-failed';
    const message = `${pageList(pages)} ${pages.length === 1 ? 'has' : 'have'} no text layer and could not be read by OCR: ${(e as Error).message}`;
    if (onlyScans) throw new ExtractError(code, `${name}: ${message}`);
    warnings.push({ code, message });
    return undefined;
  }
  for (const [p, why] of scanned.failed)
    warnings.push({ code: 'ocr-unavailable', message: `page ${p} could not be pictured for OCR: ${why}` });
  const read = [...scanned.blocks.keys()];
  if (read.length) {
    const skews = [...scanned.skew.values()].filter((s) => s !== 0);
    warnings.push({
      code: 'ocr-pages',
      message: `${pageList(read)} read by OCR (tesseract ${'chi_sim'})${skews.length ? `, deskewed by up to ${Math.max(...skews.map(Math.abs))}°` : ''}`,
    });
  } else if (onlyScans) {
    throw new ExtractError('ocr-unavailable', `${name}: no page could be pictured for OCR: ${[...scanned.failed.values()][0] ?? ''}`);
  }
  return scanned;
}

/** Time asked for per scanned page: a 300 dpi page takes 2–8 s on one idle core with tesseract, several times that on a busy machine. */
const OCR_MS_PER_PAGE = 20_000;

export function createPdfExtractor(settings: Partial<PdfSettings> = {}): Extractor {
  const s = { ...DEFAULT_SETTINGS, ...settings };
  return { format: 'pdf', extract: (input, options) => extractPdf(input, options, s) };
}

export const extractor: Extractor = createPdfExtractor();
