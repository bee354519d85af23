/**
 * PDF extractor: text-layer PDFs → the document model, tables rebuilt from
 * their ruling lines (or from alignment when there are none).
 *
 * Error codes: pdf-encrypted, pdf-corrupt, pdf-no-text, aborted.
 * Warning codes: pdf-pages-truncated, pdf-page-failed, pdf-page-no-text,
 * pdf-unmapped-glyphs, pdf-font-error.
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
    const pageBlocks = layoutBlocks(layouts);
    const textPages = layouts.filter((l) => l.contentChars > 0).length;
    if (textPages === 0) {
      throw new ExtractError('pdf-no-text', `${name}: the PDF has no text layer (scanned pages need OCR)`);
    }
    if (failed.length) warnings.push({ code: 'pdf-page-failed', message: `${pageList(failed)} could not be read` });
    const empty = layouts.filter((l) => l.contentChars === 0).map((l) => l.page);
    if (empty.length) warnings.push({ code: 'pdf-page-no-text', message: `no text layer (scanned or blank) on ${pageList(empty)}` });
    if (unmapped.length) {
      warnings.push({ code: 'pdf-unmapped-glyphs', message: `glyphs without Unicode on ${pageList(unmapped)}; some text is missing` });
    }
    if (brokenFonts.size)
      warnings.push({ code: 'pdf-font-error', message: `${brokenFonts.size} font(s) could not be loaded; their text is missing` });

    return {
      format: 'pdf',
      meta: { extractor: 'pdf', pages: numPages, title: await title(doc), warnings },
      blocks: toModelBlocks(joinPages(pageBlocks, new Map(layouts.map((l) => [l.page, l.height])))),
    };
  } finally {
    await doc.destroy();
  }
}

export function createPdfExtractor(settings: Partial<PdfSettings> = {}): Extractor {
  const s = { ...DEFAULT_SETTINGS, ...settings };
  return { format: 'pdf', extract: (input, options) => extractPdf(input, options, s) };
}

export const extractor: Extractor = createPdfExtractor();
