/**
 * Scanned pages and pictures → tables (and a little text), for every
 * extractor that meets images: each page is deskewed, its table grids are
 * rebuilt from the ruling lines, and the cells of the whole document are
 * recognised in a few tesseract runs (one model load each): every cell with
 * the Chinese model, number cells again with digits only. Text outside
 * tables is read only where asked (the title area of a first page).
 */
import type { Reading } from '../../src/model.js';
import { throwIfAborted } from '../../src/contract/extractor.js';
import { cutCell, type CellCrop } from './cells.js';
import { estimateSkew, rotate } from './deskew.js';
import { eraseRuns, findGrids, type Grid } from './grid.js';
import type { OcrPage } from './hocr.js';
import { binarize, crop, otsu, scale, type GrayImage } from './image.js';
import { composeReading, digitCandidate, digitsSure, pageText } from './readings.js';
import { buildStrip, splitStrip } from './strips.js';
import { engineStatus, LANG, recognise, type EngineStatus } from './tesseract.js';

export type Box = [number, number, number, number];

export interface OcrInput {
  image: GrayImage;
  /** Pixels per inch. */
  dpi: number;
  /** Also read the text above the first table (or the top half when there is none): the title area. */
  wantText: boolean;
}

export interface OcrCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  /** The cell's box in the input image's pixels (before deskewing). */
  box: Box;
  text: string;
  reading: Reading;
}

export interface OcrTable {
  box: Box;
  /** Column boundaries in the input image's pixels. */
  xs: number[];
  nRows: number;
  nCols: number;
  cells: OcrCell[];
}

export interface OcrText {
  text: string;
  box: Box;
  confidence: number;
}

export interface OcrResult {
  /** The skew corrected, in degrees. */
  skew: number;
  tables: OcrTable[];
  text: OcrText[];
}

export interface OcrOptions {
  signal?: AbortSignal;
  /** Per tesseract run. */
  timeoutMs?: number;
  name: string;
}

export class OcrUnavailableError extends Error {}

const DEFAULT_TIMEOUT_MS = 120_000;
/** What the digit passes may read. */
const DIGITS = '0123456789.-,';
/** The title area read on a first page, at most this share of the page from the top (title, preamble, statistics period). */
const TEXT_AREA_SHARE = 0.4;
/** …and on a first page without a table (a cover), this share. */
const COVER_TEXT_SHARE = 0.6;
/** Resolution the title area is read at. */
const TEXT_DPI = 150;

/** Undoes the deskew for a box: the box of its corners turned back. */
function unskew(box: Box, skew: number, w: number, h: number): Box {
  if (!skew) return box;
  const a = (skew * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [x, y] of [
    [box[0], box[1]],
    [box[2], box[1]],
    [box[0], box[3]],
    [box[2], box[3]],
  ]) {
    xs.push((x - cx) * cos - (y - cy) * sin + cx);
    ys.push((x - cx) * sin + (y - cy) * cos + cy);
  }
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].map((v) => Math.round(v * 10) / 10) as Box;
}

interface Planned {
  skew: number;
  width: number;
  height: number;
  grids: { grid: Grid; crops: CellCrop[] }[];
  textArea?: GrayImage;
  /** The text area's scale against the page (boxes read in it are divided by it). */
  textScale: number;
}

function plan(input: OcrInput): Planned {
  const skew = estimateSkew(input.image);
  const img = rotate(input.image, skew);
  const ink = binarize(img, otsu(img, 2));
  const found = findGrids(img, ink, input.dpi);
  // Lines off: only what is written in the cells is left (the text area above keeps its strokes: it is cut before).
  // Above the first table (the title opens the page), or a cover's upper part where the title stands lower.
  const textBottom = found.grids.length
    ? Math.min(TEXT_AREA_SHARE * img.height, ...found.grids.map((g) => g.ys[0]))
    : COVER_TEXT_SHARE * img.height;
  // Read at most at TEXT_DPI: titles and body text are large enough, and the recogniser's time grows with the pixels.
  const textScale = Math.min(1, TEXT_DPI / input.dpi);
  const textArea = input.wantText && textBottom > 0.05 * img.height ? scale(crop(img, 0, 0, img.width, textBottom), textScale) : undefined;
  eraseRuns(img, ink, found.runs, Math.max(1, Math.round(input.dpi / 150)));
  const grids = found.grids.map((grid) => ({
    grid,
    crops: grid.cells.map((c) => cutCell(img, ink, c.bbox, input.dpi)),
  }));
  // Keep tables that hold something: an empty grid is a drawing (a box of lines, a stamp frame).
  const kept = grids.filter((g) => g.crops.some((c) => c.image));
  const out: Planned = { skew, width: img.width, height: img.height, grids: kept, textScale };
  if (textArea) out.textArea = textArea;
  return out;
}

/** OCR of a set of page images (one document), tables first. Throws OcrUnavailableError without tesseract. */
export async function ocrImages(inputs: OcrInput[], options: OcrOptions): Promise<OcrResult[]> {
  const engine = await requireEngine();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const plans: Planned[] = [];
  for (const input of inputs) {
    throwIfAborted(options.signal, options.name);
    plans.push(plan(input));
  }
  const dpi = Math.max(...inputs.map((i) => i.dpi), 72);
  const cropDpi = Math.max(dpi, 200);
  const all = plans.flatMap((p) => p.grids.flatMap((g) => g.crops));
  const inked = all.filter((c) => c.image);
  const run = (images: GrayImage[], psm: number, lang: string, whitelist?: string): Promise<OcrPage[]> =>
    recognise(engine.path!, images, {
      lang,
      psm,
      whitelist,
      alternatives: !!whitelist,
      dpi: cropDpi,
      timeoutMs,
      signal: options.signal,
      name: options.name,
    });

  const digitLang = engine.langs?.has('eng') ? 'eng' : LANG;
  const digitsRun = (cells: CellCrop[]) =>
    // psm 13 (one raw line, no layout analysis): psm 7 drops lone digits and leading 1s of cut-out cells.
    run(
      cells.map((c) => c.spaced ?? c.image!),
      13,
      digitLang,
      DIGITS,
    );

  // Cells shaped like numbers are read by the digit passes first (the fast English model): alone, and a table row
  // per picture (context helps the recogniser). Other cells get the Chinese pass.
  const shaped = inked.filter((c) => c.digitShaped);
  const digitsOf = new Map<CellCrop, OcrPage>();
  (await digitsRun(shaped)).forEach((p, i) => digitsOf.set(shaped[i], p));
  const isShaped = new Set(shaped);
  const strips = plans.flatMap((p) =>
    p.grids.flatMap(({ grid, crops }) => {
      const rows = new Map<number, CellCrop[]>();
      grid.cells.forEach((c, i) => {
        if (isShaped.has(crops[i])) rows.set(c.row, [...(rows.get(c.row) ?? []), crops[i]]);
      });
      return [...rows.values()].map(buildStrip);
    }),
  );
  const stripPages = await run(
    strips.map((s) => s.image),
    7,
    digitLang,
    DIGITS,
  );
  const rowOf = new Map<CellCrop, OcrPage>();
  strips.forEach((s, i) => splitStrip(stripPages[i], s).forEach((v, k) => rowOf.set(k, v)));

  // The Chinese pass: every other cell, and the number-shaped cells whose two digit readings are not sure and alike.
  const needChi = inked.filter((c) => !c.digitShaped || !digitsSure(digitsOf.get(c), rowOf.get(c), c.glyphs));
  const chiOf = new Map<CellCrop, OcrPage>();
  (
    await run(
      needChi.map((c) => c.image!),
      6,
      LANG,
    )
  ).forEach((p, i) => chiOf.set(needChi[i], p));
  // Cells the Chinese pass found a number in (a shape the glyph test missed): the digits pass too.
  const late = needChi.filter((c) => !c.digitShaped && digitCandidate(pageText(chiOf.get(c))));
  (await digitsRun(late)).forEach((p, i) => digitsOf.set(late[i], p));

  const texts = plans.filter((p) => p.textArea);
  const textPages = texts.length
    ? await recognise(
        engine.path!,
        texts.map((p) => p.textArea!),
        { lang: LANG, psm: 3, dpi: TEXT_DPI, timeoutMs, signal: options.signal, name: options.name },
      )
    : [];
  const textOf = new Map(texts.map((p, i) => [p, textPages[i]]));

  return plans.map((p) => {
    const back = (b: Box) => unskew(b, p.skew, p.width, p.height);
    const tables: OcrTable[] = p.grids.map(({ grid, crops }) => ({
      box: back([grid.xs[0], grid.ys[0], grid.xs[grid.xs.length - 1], grid.ys[grid.ys.length - 1]]),
      xs: grid.xs.map((x) => back([x, grid.ys[0], x, grid.ys[0]])[0]),
      nRows: grid.ys.length - 1,
      nCols: grid.xs.length - 1,
      cells: grid.cells.map((c, i) => {
        const cr = crops[i];
        const { text, reading } = cr.image
          ? composeReading(chiOf.get(cr), digitsOf.get(cr), cr, rowOf.get(cr))
          : { text: '', reading: { confidence: cr.cleaned ? 0.95 : 0.99 } };
        return { row: c.row, col: c.col, rowSpan: c.rowSpan, colSpan: c.colSpan, box: back(c.bbox), text, reading };
      }),
    }));
    const page = textOf.get(p);
    const text: OcrText[] = [];
    if (page) {
      // Paragraphs: tesseract's, split again where the glyph size changes (a title above its preamble).
      const groups: (typeof page.lines)[] = [];
      for (const l of page.lines) {
        const g = groups[groups.length - 1];
        const prev = g?.[g.length - 1];
        const h = l.bbox[3] - l.bbox[1];
        const ph = prev ? prev.bbox[3] - prev.bbox[1] : 0;
        const same =
          prev && prev.par === l.par && Math.max(h, ph) <= 1.25 * Math.min(h, ph) && l.bbox[1] - prev.bbox[3] <= 1.5 * Math.max(h, ph);
        if (same) g.push(l);
        else groups.push([l]);
      }
      for (const lines of groups) {
        const t = pageText({ index: 0, lines }, ' ');
        if (!t.trim()) continue;
        const cs = lines.flatMap((l) => l.words.flatMap((w) => w.chars));
        const box: Box = [
          Math.min(...lines.map((l) => l.bbox[0])),
          Math.min(...lines.map((l) => l.bbox[1])),
          Math.max(...lines.map((l) => l.bbox[2])),
          Math.max(...lines.map((l) => l.bbox[3])),
        ];
        const unscaled = box.map((v) => v / p.textScale) as Box;
        text.push({ text: t, box: back(unscaled), confidence: cs.reduce((s, c) => s + c.conf, 0) / Math.max(1, cs.length) });
      }
    }
    return { skew: p.skew, tables, text };
  });
}

export async function requireEngine(): Promise<EngineStatus> {
  const engine = await engineStatus();
  if (!engine.ok || !engine.path) throw new OcrUnavailableError(engine.reason);
  return engine;
}

export { engineStatus };
