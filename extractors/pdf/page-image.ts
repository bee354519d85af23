/**
 * The picture of a scanned page: the page rendered by pdftoppm (poppler) at
 * the resolution of the picture that covers it (pdfimages -list), so a scan
 * comes out pixel for pixel, or at RENDER_DPI when the page is anything else.
 * Without pdftoppm: the image embedded in the PDF when the page is one
 * upright image, decoded by pdf.js (any filter: JPEG, JBIG2, CCITT, JPX,
 * Flate; slower). pdf.js' own canvas draws non-embedded Chinese fonts as
 * empty boxes, so it is not used for rendering.
 */
import { fromPnm, toGray, type GrayImage } from '../ocr/image.js';
import { findTool, runTool } from '../ocr/tesseract.js';
import { ExtractError } from '../../src/contract/extractor.js';
import { raceAbort } from './abort.js';
import { documentParams, pdfjs, type PdfDocument, type PdfPage } from './load.js';
import { multiply, type Matrix } from './matrix.js';
import type { Box } from './types.js';

/** Rendering resolution when the page is not one image. */
export const RENDER_DPI = 300;
/** An image covering at least this share of the page is "the page". */
const PAGE_SHARE = 0.5;

export interface PageImage {
  image: GrayImage;
  dpi: number;
  /** Where the image lies on the page (points, top-left origin): maps pixels to points. */
  place: Box;
  /** 'embedded' or 'rendered'. */
  how: 'embedded' | 'rendered';
}

interface Placement {
  id: string;
  m: Matrix;
}

/** Image paints of a page with their transform (unit square → top-left page space). */
async function placements(page: PdfPage, OPS: Record<string, number>): Promise<{ images: Placement[]; other: number }> {
  const base = page.getViewport({ scale: 1 }).transform as Matrix;
  const list = await page.getOperatorList();
  const stack: Matrix[] = [];
  let ctm = base;
  const images: Placement[] = [];
  let other = 0;
  for (let i = 0; i < list.fnArray.length; i++) {
    const fn = list.fnArray[i];
    const a = list.argsArray[i];
    if (fn === OPS.save || fn === OPS.paintFormXObjectBegin) {
      stack.push(ctm);
      if (fn === OPS.paintFormXObjectBegin && a?.[0]?.length === 6) ctm = multiply(ctm, a[0] as ArrayLike<number>);
    } else if (fn === OPS.restore || fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = multiply(ctm, a);
    else if (fn === OPS.paintImageXObject) images.push({ id: String(a[0]), m: ctm });
    else if (fn === OPS.paintInlineImageXObject || fn === OPS.paintImageMaskXObject || fn === OPS.paintImageXObjectRepeat) other++;
  }
  return { images, other };
}

function objectOf(page: PdfPage, id: string): Promise<unknown> {
  const objs = (id.startsWith('g_') ? page.commonObjs : page.objs) as unknown as { get(id: string, cb: (v: unknown) => void): void };
  return new Promise((resolve) => objs.get(id, resolve));
}

/** pdf.js ImageKind: 1 grey 1-bit, 2 RGB, 3 RGBA. */
function decoded(obj: unknown): GrayImage | null {
  const o = obj as { width?: number; height?: number; kind?: number; data?: Uint8Array | Uint8ClampedArray } | null;
  if (!o || !o.width || !o.height || !o.data) return null;
  const layout = o.kind === 1 ? 'bits' : o.kind === 2 ? 'rgb' : o.kind === 3 ? 'rgba' : null;
  return layout ? toGray(o.width, o.height, o.data, layout) : null;
}

/** The one upright image that is the page, decoded; null when the page is anything else. */
async function embedded(page: PdfPage, OPS: Record<string, number>, width: number, height: number): Promise<PageImage | null> {
  const { images, other } = await placements(page, OPS);
  if (images.length !== 1 || other) return null;
  const { id, m } = images[0];
  // Upright: no rotation or shear, rows run top to bottom (m[3] < 0 in top-left space).
  if (Math.abs(m[1]) > 1e-6 || Math.abs(m[2]) > 1e-6 || m[0] <= 0 || m[3] >= 0) return null;
  const place: Box = [m[4], m[5] + m[3], m[4] + m[0], m[5]];
  const area = (Math.min(place[2], width) - Math.max(place[0], 0)) * (Math.min(place[3], height) - Math.max(place[1], 0));
  if (area < PAGE_SHARE * width * height) return null;
  const image = decoded(await objectOf(page, id));
  if (!image) return null;
  return { image, dpi: (72 * image.width) / m[0], place, how: 'embedded' };
}

/**
 * Per page, the resolution of the one picture that covers it (`pdfimages
 * -list`, one run for the whole document); pages that are anything else are
 * absent. Empty when the tool is missing.
 */
async function pictureDpis(
  bytes: Uint8Array,
  pages: number[],
  widths: Map<number, number>,
  o: RenderOptions,
): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const tool = findTool('pdfimages', 'OGI_PDFIMAGES');
  if (!tool.path || !pages.length) return out;
  const r = await runTool(tool.path, ['-f', String(Math.min(...pages)), '-l', String(Math.max(...pages)), '-list', '-'], {
    timeoutMs: o.timeoutMs,
    signal: o.signal,
    name: o.name,
    input: bytes,
  });
  if (r.code !== 0) return out;
  // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
  const rows = r.stdout
    .toString('latin1')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((c) => c.length >= 14 && /^\d+$/.test(c[0]) && c[2] === 'image');
  for (const p of pages) {
    const mine = rows.filter((c) => c[0] === String(p));
    if (mine.length !== 1) continue;
    const [w, xppi, yppi] = [Number(mine[0][3]), Number(mine[0][12]), Number(mine[0][13])];
    if (!(xppi > 0) || Math.abs(xppi - yppi) > 0.02 * xppi || (w / xppi) * 72 < PAGE_SHARE * (widths.get(p) ?? 0)) continue;
    out.set(p, Math.round(Math.max(MIN_DPI, Math.min(MAX_DPI, xppi))));
  }
  return out;
}

/** Native picture resolutions kept as they are within these bounds; beyond, the page is rendered at the bound. */
const MIN_DPI = 100;
// 600 dpi scans are rendered at 400: cells are read at about 200 dpi anyway, and a 600 dpi page costs 35 MB of grey.
const MAX_DPI = 400;

/**
 * The page rendered by pdftoppm (poppler, native code): at the resolution of
 * the picture that covers it, so a scan's pixels come out one for one, or at
 * RENDER_DPI. Much cheaper than decoding the picture in pdf.js (about a
 * quarter of a second of JavaScript per 300 dpi JPEG page). Null without
 * pdftoppm.
 */
async function rendered(
  bytes: Uint8Array,
  pageNumber: number,
  width: number,
  height: number,
  dpi: number,
  o: RenderOptions,
): Promise<PageImage | null> {
  const tool = findTool('pdftoppm', 'OGI_PDFTOPPM');
  if (!tool.path) return null;
  const r = await runTool(tool.path, ['-f', String(pageNumber), '-l', String(pageNumber), '-r', String(dpi), '-gray', '-'], {
    timeoutMs: o.timeoutMs,
    signal: o.signal,
    name: o.name,
    input: bytes,
  });
  if (r.code !== 0 || !r.stdout.length) throw new Error(`pdftoppm failed on page ${pageNumber}: ${r.stderr.trim().slice(-200)}`);
  return { image: fromPnm(r.stdout), dpi, place: [0, 0, width, height], how: 'rendered' };
}

export class RenderUnavailableError extends Error {}

export interface RenderOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  name: string;
}

/**
 * The pictures of `pages` (1-based). A page whose picture cannot be had is
 * left out of the map with the reason in `failed`.
 */
export async function pageImages(
  bytes: Uint8Array,
  pages: number[],
  o: RenderOptions,
): Promise<{ images: Map<number, PageImage>; failed: Map<number, string> }> {
  const images = new Map<number, PageImage>();
  const failed = new Map<number, string>();
  if (!pages.length) return { images, failed };
  const lib = await pdfjs();
  // A second document that decodes images (the text pass skips them).
  const task = lib.getDocument({ ...documentParams(bytes), maxImageSize: -1 });
  let doc: PdfDocument | undefined;
  try {
    doc = await raceAbort(task.promise, o.signal, o.name, () => void task.destroy().catch(() => undefined));
    const sizes = new Map<number, { width: number; height: number }>();
    for (const p of pages) {
      try {
        const vp = (await raceAbort(doc.getPage(p), o.signal, o.name)).getViewport({ scale: 1 });
        sizes.set(p, { width: vp.width, height: vp.height });
      } catch (e) {
        if (e instanceof ExtractError && e.code === 'aborted') throw e;
      }
    }
    const dpis = await pictureDpis(bytes, pages, new Map([...sizes].map(([p, s]) => [p, s.width])), o);
    for (const p of pages) {
      try {
        const page = await raceAbort(doc.getPage(p), o.signal, o.name);
        const vp = page.getViewport({ scale: 1 });
        const img =
          (await rendered(bytes, p, vp.width, vp.height, dpis.get(p) ?? RENDER_DPI, o)) ??
          (await raceAbort(embedded(page, lib.OPS as Record<string, number>, vp.width, vp.height), o.signal, o.name));
        if (!img) {
          throw new RenderUnavailableError(
            `rendering a scanned page that is not one image needs pdftoppm (apt-get install poppler-utils): ${findTool('pdftoppm', 'OGI_PDFTOPPM').reason}`,
          );
        }
        page.cleanup();
        images.set(p, img);
      } catch (e) {
        if (e instanceof ExtractError && e.code === 'aborted') throw e;
        failed.set(p, (e as Error).message);
      }
    }
  } finally {
    await (doc ?? task).destroy().catch(() => undefined);
  }
  return { images, failed };
}

/** Maps a pixel box of a page picture to page points. */
export function toPoints(img: PageImage, b: [number, number, number, number]): Box {
  const [x0, y0, x1, y1] = img.place;
  const sx = (x1 - x0) / img.image.width;
  const sy = (y1 - y0) / img.image.height;
  return [x0 + b[0] * sx, y0 + b[1] * sy, x0 + b[2] * sx, y0 + b[3] * sy];
}
