/**
 * Loading pdf.js (legacy build, the only one that runs on Node 20) and opening
 * documents with the options Chinese government PDFs need.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExtractError } from '../../src/contract/extractor.js';
import { raceAbort } from './abort.js';

type PdfjsLib = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
export type PdfDocument = Awaited<ReturnType<PdfjsLib['getDocument']>['promise']>;
export type PdfPage = Awaited<ReturnType<PdfDocument['getPage']>>;

const pkgDir = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/** Absolute file-system paths ending in '/': pdf.js on Node rejects file:// URLs here. */
export const assetPaths = {
  cMapUrl: path.join(pkgDir, 'cmaps') + '/',
  standardFontDataUrl: path.join(pkgDir, 'standard_fonts') + '/',
};

let loaded: Promise<PdfjsLib> | undefined;

/**
 * The legacy bundles ship core-js, which on Node 20 replaces Array.prototype.push
 * (about 30x slower, process-wide) and JSON.parse/stringify with polyfills.
 * The natives are correct for everything pdf.js does, so they are put back after
 * both bundles are evaluated. Additions (Promise.withResolvers, Map.getOrInsert…)
 * are kept: pdf.js needs them on Node 20.
 */
async function importPdfjs(): Promise<PdfjsLib> {
  const push = Array.prototype.push;
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  try {
    const lib = (await import('pdfjs-dist/legacy/build/pdf.mjs')) as PdfjsLib;
    // Preloading the worker module as globalThis.pdfjsWorker makes pdf.js use it
    // in-process instead of importing it lazily on the first document.
    const g = globalThis as { pdfjsWorker?: unknown };
    if (!g.pdfjsWorker) {
      g.pdfjsWorker = await import(pathToFileURL(path.join(pkgDir, 'legacy/build/pdf.worker.mjs')).href);
    }
    return lib;
  } finally {
    Array.prototype.push = push;
    JSON.parse = parse;
    JSON.stringify = stringify;
  }
}

/**
 * pdf.js' own exceptions. pdf.js prefetches page dictionaries into a cache of
 * promises that nobody awaits when the page tree is damaged (found by the
 * fuzzer: one deleted byte in an xref table); their rejection is unhandled,
 * and Node ends the thread for it: a worker, or the CLI reading inline.
 */
const PDFJS_EXCEPTIONS = new Set([
  'XRefEntryException',
  'XRefParseException',
  'MissingDataException',
  'ParserEOFException',
  'FormatError',
  'InvalidPDFException',
  'PasswordException',
  'UnknownErrorException',
  'AbortException',
]);

let guarded = false;

/** Ignores the unhandled rejections pdf.js leaves behind; every other one keeps Node's behaviour (it ends the thread). */
function ignoreStrayPdfjsRejections(): void {
  if (guarded) return;
  guarded = true;
  process.on('unhandledRejection', (reason) => {
    if (reason && typeof reason === 'object' && PDFJS_EXCEPTIONS.has(String((reason as { name?: unknown }).name))) return;
    throw reason;
  });
}

export function pdfjs(): Promise<PdfjsLib> {
  ignoreStrayPdfjsRejections();
  loaded ??= importPdfjs();
  return loaded;
}

/**
 * A stand-in document for pdf.js' font loader. With `disableFontFace: true`
 * (the Node default) pdf.js compiles every glyph outline into a path while
 * building operator lists, so that a canvas could draw it: a third of the
 * extraction time, for drawings nobody makes here. With font faces enabled and
 * this inert document, each font becomes one ignored @font-face rule instead.
 * If pdf.js ever needs more of the document, the font falls back to outlines:
 * slower, never wrong.
 */
const INERT_DOCUMENT = {
  createElement: () => ({ sheet: { cssRules: [], insertRule: () => 0 }, remove: () => undefined }),
  documentElement: { getElementsByTagName: () => [{ append: () => undefined }] },
};

/** getDocument options shared by the extractor, the debug renderer and the benchmark. */
export function documentParams(bytes: Uint8Array) {
  return {
    // pdf.js transfers (detaches) the buffer it is given: always pass a copy.
    data: new Uint8Array(bytes),
    cMapUrl: assetPaths.cMapUrl,
    cMapPacked: true,
    standardFontDataUrl: assetPaths.standardFontDataUrl,
    disableFontFace: false,
    ownerDocument: INERT_DOCUMENT as never, // typed as a DOM HTMLDocument; only the parts above are used
    // No eval'd glyph programs, no system fonts (nothing is drawn).
    isEvalSupported: false,
    useSystemFonts: false,
    enableXfa: false,
    // Images are never needed for text and rulings; this skips decoding them.
    maxImageSize: 1,
    verbosity: 0,
  };
}

function errorName(e: unknown): string {
  return e && typeof e === 'object' && 'name' in e ? String((e as { name: unknown }).name) : '';
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Opens a document, mapping pdf.js failures to stable ExtractError codes. */
export async function openPdf(bytes: Uint8Array, name: string, signal?: AbortSignal): Promise<PdfDocument> {
  const lib = await pdfjs();
  const task = lib.getDocument(documentParams(bytes));
  const cancel = () => void task.destroy().catch(() => undefined);
  try {
    return await raceAbort(task.promise, signal, name, cancel);
  } catch (e) {
    if (e instanceof ExtractError) throw e;
    await task.destroy().catch(() => undefined);
    if (errorName(e) === 'PasswordException') {
      throw new ExtractError('pdf-encrypted', `${name}: the PDF is encrypted and needs a password`);
    }
    throw new ExtractError('pdf-corrupt', `${name}: not a readable PDF (${errorMessage(e)})`);
  }
}
