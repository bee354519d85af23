/**
 * PDF extractor: text-layer PDFs → the document model, tables rebuilt from
 * their ruling lines (or from alignment when there are none).
 *
 * Pages without a text layer are read by OCR (scanned.ts).
 *
 * Error codes: pdf-encrypted, pdf-corrupt, pdf-no-text, ocr-unavailable, ocr-failed, aborted;
 * budgets (guard.ts): pdf-too-many-pages, pdf-stream-too-large, and
 * pdf-too-many-operators / pdf-too-deep when no page could be read within them.
 * Warning codes: pdf-pages-truncated, pdf-page-failed, pdf-page-no-text,
 * pdf-unmapped-glyphs, pdf-font-error, ocr-pages, ocr-unavailable, ocr-failed,
 * pdf-too-many-operators, pdf-too-deep, pdf-image-too-large, pdf-stream-damaged.
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
import { declaredPages, guardOperators, scanStreams, TooDeep, TooManyOperators, type OperatorGuard } from './guard.js';
import { formatLimit, limitPhrase, type Limits, limitsOf, overLimit } from '../../src/contract/limits.js';
import { checkLineLengths } from '../../src/text/limits.js';

/** Time allowed for each tesseract or pdftoppm run when the caller sets none. */
const OCR_TIMEOUT_MS = 120_000;

/** The method of every table and line read from a damaged PDF (mapping: never confident). */
export const DAMAGED_METHOD = 'pdf-damaged';

export interface PdfSettings {
  /** Pages after this many are not read (a warning says so); `limits.pdfPagesRead` when not set. */
  maxPages?: number;
}

export const DEFAULT_SETTINGS: PdfSettings = {};

function tooManyPages(name: string, pages: number, limits: Limits): ExtractError {
  return overLimit(
    'pdf-too-many-pages',
    'pdfPages',
    limits,
    `${name} has ${pages.toLocaleString('en')} pages, more than ${formatLimit('pdfPages', limits.pdfPages)}`,
  );
}

/** A budget passed on some pages: a warning, or the error when no page was read at all. */
function overOnPages(warnings: Message[], read: number, e: ExtractError): void {
  if (read === 0) throw e;
  warnings.push({ code: e.code, message: e.message });
}

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
  const limits = limitsOf({ ...options, limits: { pdfPagesRead: settings.maxPages, ...options.limits } });
  // Budgets pdf.js does not keep (guard.ts): the declared page count and stream sizes, before it opens the file.
  const declared = declaredPages(bytes);
  if (declared !== undefined && declared > limits.pdfPages) throw tooManyPages(name, declared, limits);
  const { oversizedImages, damagedStreams } = scanStreams(bytes, limits);
  const lib = await pdfjs();
  let doc = await openPdf(bytes, name, options.signal);
  const warnings: Message[] = [];
  try {
    const numPages = doc.numPages;
    if (numPages > limits.pdfPages) throw tooManyPages(name, numPages, limits);
    const last = Math.min(numPages, limits.pdfPagesRead);
    if (numPages > last) {
      warnings.push({
        code: 'pdf-pages-truncated',
        message: `read the first ${last} of ${numPages} pages (${limitPhrase('pdfPagesRead', limits.pdfPagesRead)})`,
      });
    }
    if (oversizedImages.length) {
      const i = oversizedImages[0];
      const over = overLimit(
        'pdf-image-too-large',
        'pdfImagePixels',
        limits,
        `${oversizedImages.length} image(s) declare more than ${formatLimit('pdfImagePixels', limits.pdfImagePixels)} pixels (object ${i.object}: ${i.width} × ${i.height}); never decoded, and no page of this file is read by OCR`,
      );
      warnings.push({ code: over.code, message: over.message });
    }
    const layouts: PageLayout[] = [];
    const failed: number[] = [];
    const unmapped: number[] = [];
    const crowded: number[] = [];
    const deep: number[] = [];
    const brokenFonts = new Set<string>();
    let operators = 0;
    let stoppedAt = 0;
    for (let p = 1; p <= last; p++) {
      await yieldToEventLoop();
      throwIfAborted(options.signal, name);
      if (operators > limits.pdfOperators) {
        stoppedAt = p;
        break;
      }
      let guard: OperatorGuard | undefined;
      try {
        const page = await raceAbort(doc.getPage(p), options.signal, name);
        guard = guardOperators(
          page,
          Math.min(limits.pdfPageOperators, limits.pdfOperators - operators + 1),
          { save: lib.OPS.save, restore: lib.OPS.restore },
          limits.pdfNesting,
        );
        const content = await raceAbort(
          Promise.race([readPage(page, lib.OPS as OpsTable, lib.AnnotationMode.DISABLE), guard.tripped]),
          options.signal,
          name,
        );
        operators += guard.count();
        page.cleanup();
        if (content.unmapped) unmapped.push(p);
        content.brokenFonts.forEach((f) => brokenFonts.add(f));
        layouts.push(pageLayout(content));
      } catch (e) {
        if (e instanceof ExtractError) throw e;
        if (e instanceof TooManyOperators || e instanceof TooDeep) {
          operators += guard?.count() ?? 0;
          if (e instanceof TooDeep) deep.push(p);
          else if (operators <= limits.pdfOperators) crowded.push(p);
          // Destroying the document is the only way to stop pdf.js' evaluator; the next pages need it reopened.
          await doc.destroy();
          doc = await openPdf(bytes, name, options.signal);
          continue;
        }
        failed.push(p);
      }
    }
    const read = layouts.length;
    if (deep.length) {
      const verb = deep.length === 1 ? ['nests', 'was'] : ['nest', 'were'];
      overOnPages(
        warnings,
        read,
        overLimit(
          'pdf-too-deep',
          'pdfNesting',
          limits,
          `${pageList(deep)} ${verb[0]} graphics states more than ${formatLimit('pdfNesting', limits.pdfNesting)} deep and ${verb[1]} not read`,
        ),
      );
    }
    if (crowded.length) {
      const verb = crowded.length === 1 ? ['has', 'was'] : ['have', 'were'];
      overOnPages(
        warnings,
        read,
        overLimit(
          'pdf-too-many-operators',
          'pdfPageOperators',
          limits,
          `${pageList(crowded)} ${verb[0]} more than ${formatLimit('pdfPageOperators', limits.pdfPageOperators)} operators and ${verb[1]} not read`,
        ),
      );
    }
    if (stoppedAt || operators > limits.pdfOperators) {
      overOnPages(
        warnings,
        read,
        overLimit(
          'pdf-too-many-operators',
          'pdfOperators',
          limits,
          `the pages read hold more than ${formatLimit('pdfOperators', limits.pdfOperators)} operators; pages ${stoppedAt || last} to ${last} were not read`,
        ),
      );
    }
    if (failed.length === last) {
      throw new ExtractError('pdf-corrupt', `${name}: no page could be read`);
    }
    // Pages without a usable text layer are read by OCR (before furniture removal changes the counts).
    const scanPages = layouts.filter((l) => l.contentChars < MIN_TEXT_CHARS).map((l) => l.page);
    const pageBlocks = layoutBlocks(layouts);
    const textPages = layouts.filter((l) => l.contentChars > 0).length;
    let ocrd: number[] = [];
    // A page with an image past the pixel budget is never rendered or decoded for OCR.
    if (scanPages.length && !oversizedImages.length) {
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
      warnings.push({
        code: 'pdf-font-error',
        message: `${brokenFonts.size} font(s) could not be loaded; their text is missing, so what was read from this file is never confident`,
      });

    let blocks = toModelBlocks(joinPages(pageBlocks, new Map(layouts.map((l) => [l.page, l.height]))));
    checkLineLengths(blocks, limits);
    if (damagedStreams.length) {
      // pdf.js reads on through damaged compressed data and can show digits no intact file printed.
      warnings.push({
        code: 'pdf-stream-damaged',
        message: `${damagedStreams.length} compressed stream(s) are damaged (objects ${damagedStreams.slice(0, 8).join(', ')}${damagedStreams.length > 8 ? ' …' : ''}); what was read from this file is never confident`,
      });
    }
    // A font pdf.js could not load drops its text: a cell printed in it reads as blank (found by the
    // fuzzer: a damaged /BaseFont emptied every number of a table at 0.97). Same treatment.
    if (damagedStreams.length || brokenFonts.size) {
      blocks = blocks.map((b) => (b.method === 'pdf-aligned' || b.method.startsWith('ocr') ? b : { ...b, method: DAMAGED_METHOD }));
    }
    return {
      format: 'pdf',
      meta: { extractor: ocrd.length ? 'pdf:ocr' : 'pdf', pages: numPages, title: await title(doc), warnings },
      blocks,
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

export function createPdfExtractor(settings: PdfSettings = {}): Extractor {
  const s = { ...DEFAULT_SETTINGS, ...settings };
  return { format: 'pdf', extract: (input, options) => extractPdf(input, options, s) };
}

export const extractor: Extractor = createPdfExtractor();
