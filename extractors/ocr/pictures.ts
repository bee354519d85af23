/**
 * Pictures of report pages or tables outside a PDF (图片版 HTML articles,
 * tables pasted into Word as pictures) → document blocks, read exactly like
 * scanned PDF pages: each picture is a page of its own size (pixels at its
 * resolution), OCR'd by the one path (read.ts), its tables turned into page
 * blocks (pdf/scanned.ts), tables cut by a picture break joined again
 * (pdf/continuation.ts) and numbered (pdf/assemble.ts). Every block keeps
 * the picture's ref and its pixel box.
 */
import type { Block, Message } from '../../src/model.js';
import { ExtractError, throwIfAborted, type ExtractOptions } from '../../src/contract/extractor.js';
import { toModelBlocks } from '../pdf/assemble.js';
import { joinPages } from '../pdf/continuation.js';
import { ocrPageBlocks } from '../pdf/scanned.js';
import type { PageImage } from '../pdf/page-image.js';
import { ocrImages, OcrUnavailableError } from './read.js';
import { decodePicture, pictureDpi } from './picture.js';

export interface Picture {
  /** The picture's path or URL (what the document refers to). */
  ref: string;
  bytes: Uint8Array;
  /** Printed width in inches, when the container says (a picture in a Word file). */
  inches?: number;
}

export interface PicturesRead {
  blocks: Block[];
  /** Refs whose tables or text were read. */
  read: string[];
  /** Refs that could not be decoded (or are too small to hold a table), with the reason. */
  skipped: Map<string, string>;
  /** Largest skew corrected, in degrees. */
  skew: number;
}

/** Smaller than this (pixels, either side) is an icon, a logo or a stamp, not a page or a table. */
const MIN_SIDE = 200;

/** Time asked for per picture (as per scanned PDF page): reading one takes 2–8 s on an idle core. */
export const OCR_MS_PER_PICTURE = 20_000;

export interface PicturesOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  name: string;
  /** Also read the title area of the first picture (the document has no title of its own). */
  wantText: boolean;
}

/** OCR of pictures in document order. Throws OcrUnavailableError without tesseract. */
export async function readPictures(pictures: Picture[], o: PicturesOptions): Promise<PicturesRead> {
  const skipped = new Map<string, string>();
  const pages: { ref: string; page: PageImage }[] = [];
  for (const p of pictures) {
    throwIfAborted(o.signal, o.name);
    try {
      const { image, density } = decodePicture(p.bytes);
      if (image.width < MIN_SIDE || image.height < MIN_SIDE) {
        skipped.set(p.ref, `${image.width}×${image.height} pixels is too small to hold a table`);
        continue;
      }
      const dpi = pictureDpi(image, density, p.inches);
      // A picture is a page of its own: its pixels mapped onto points at its resolution.
      pages.push({ ref: p.ref, page: { image, dpi, place: [0, 0, (image.width * 72) / dpi, (image.height * 72) / dpi], how: 'embedded' } });
    } catch (e) {
      skipped.set(p.ref, (e as Error).message);
    }
  }
  if (!pages.length) return { blocks: [], read: [], skipped, skew: 0 };
  const results = await ocrImages(
    pages.map((p, i) => ({ image: p.page.image, dpi: p.page.dpi, wantText: o.wantText && i === 0 })),
    { signal: o.signal, timeoutMs: o.timeoutMs, name: o.name },
  );
  const perPage = pages.map((p, i) => ocrPageBlocks(i + 1, p.page, results[i], p.ref));
  const heights = new Map(pages.map((p, i) => [i + 1, p.page.place[3]]));
  return {
    blocks: toModelBlocks(joinPages(perPage, heights)),
    read: pages.filter((_, i) => perPage[i].length).map((p) => p.ref),
    skipped,
    skew: Math.max(0, ...results.map((r) => Math.abs(r.skew))),
  };
}

/**
 * `added` put into `blocks` at position `at`, everything numbered again
 * (block positions, table indices) as the extractors number them.
 */
export function insertBlocks(blocks: Block[], at: number, added: Block[]): Block[] {
  const out = [...blocks.slice(0, at), ...added, ...blocks.slice(at)];
  let table = 0;
  return out.map((b, i) => {
    if (b.kind !== 'table') return { ...b, source: { ...b.source, block: i } };
    const index = table++;
    return {
      ...b,
      index,
      source: { ...b.source, table: index },
      cells: b.cells.map((c) => ({ ...c, source: { ...c.source, table: index } })),
    };
  });
}

export interface FoundPicture {
  ref: string;
  /** Block position the picture stands at in the document. */
  at: number;
  /** Printed width in inches, when known. */
  inches?: number;
}

export interface IntoOptions {
  name: string;
  /** The document has no title of its own: read the first picture's title area too. */
  wantText: boolean;
  /**
   * The pictures are the report (an image-only article): without OCR the
   * document has nothing to give, so that is an error, not a warning.
   */
  required: boolean;
}

/** "page1.jpg, page2.jpg …" (at most four). */
function refList(refs: string[]): string {
  const names = refs.map((r) => r.split('/').pop() || r);
  return names.length > 4 ? `${names.slice(0, 4).join(', ')} …` : names.join(', ');
}

/**
 * The pictures of a document read into its blocks, for every extractor that
 * meets pictures (HTML, Word): the supplied ones (`bytes(ref)`) are OCR'd and
 * their blocks put where the first of them stands; what is missing, skipped
 * or unreadable is said in `warnings`. Without the OCR engine: `ocr-unavailable`,
 * an error when the pictures are the report (`required`), else a warning.
 */
export async function readPicturesInto(
  blocks: Block[],
  found: FoundPicture[],
  bytes: (ref: string) => Uint8Array | undefined,
  options: ExtractOptions,
  o: IntoOptions,
  warnings: Message[],
): Promise<{ blocks: Block[]; read: boolean }> {
  const supplied = found.flatMap((f) => {
    const b = bytes(f.ref);
    return b ? [{ ...f, bytes: b }] : [];
  });
  if (!supplied.length) {
    warnings.push({
      code: 'pictures-not-read',
      message: `${found.length} picture(s) in the document may hold the report (${refList(found.map((f) => f.ref))}); they were not supplied, so they were not read (a saved page keeps them in NAME_files/)`,
    });
    return { blocks, read: false };
  }
  const missing = found.filter((f) => !supplied.some((s) => s.ref === f.ref));
  if (missing.length) {
    warnings.push({
      code: 'picture-missing',
      message: `${missing.length} picture(s) could not be had: ${refList(missing.map((f) => f.ref))}`,
    });
  }
  options.extendTime?.(supplied.length * OCR_MS_PER_PICTURE);
  let r: PicturesRead;
  try {
    r = await readPictures(supplied, { signal: options.signal, timeoutMs: options.timeoutMs, name: o.name, wantText: o.wantText });
  } catch (e) {
    if (e instanceof ExtractError) throw e;
    const code = e instanceof OcrUnavailableError ? 'ocr-unavailable' : 'ocr-failed';
    const message = `${supplied.length} picture(s) could not be read by OCR: ${(e as Error).message}`;
    if (o.required) throw new ExtractError(code, `${o.name}: ${message}`);
    warnings.push({ code, message });
    return { blocks, read: false };
  }
  for (const [ref, why] of r.skipped) warnings.push({ code: 'picture-unreadable', message: `${refList([ref])}: ${why}` });
  if (!r.read.length) return { blocks, read: false };
  warnings.push({
    code: 'ocr-pictures',
    message: `${r.read.length} picture(s) read by OCR (tesseract chi_sim)${r.skew ? `, deskewed by up to ${r.skew}°` : ''}: ${refList(r.read)}`,
  });
  return { blocks: insertBlocks(blocks, supplied[0].at, r.blocks), read: true };
}
