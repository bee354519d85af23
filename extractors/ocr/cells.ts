/**
 * A table cell of a scanned page → the picture the recogniser gets: the
 * inside of the cell without the remains of its borders and without specks,
 * cut tight around the ink, with a white margin, at a size tesseract reads
 * well. A cell with no ink left is blank and is not recognised at all.
 */
import { crop, pad, scale, type GrayImage } from './image.js';

export interface CellCrop {
  /** The picture to recognise, or null for a blank cell. */
  image: GrayImage | null;
  /** The ink's box in page pixels (the cell's box when blank). */
  inkBox: [number, number, number, number];
  /** Border remains or specks were removed: a blank verdict is a little less sure. */
  cleaned: boolean;
  /** Ink components kept (glyph pieces): 1 for a lone digit or dash. */
  components: number;
  /** Width / height of the kept ink. */
  aspect: number;
  /** Glyphs side by side: kept ink grouped where it overlaps horizontally (one line of text). */
  glyphs: number;
  /** The ink is one line (no glyph sits below another) and its glyphs are narrow, as digits are. */
  digitShaped: boolean;
  /** For number cells: the glyphs laid out again with a clear gap between them (see `spaced`). */
  spaced: GrayImage | null;
}

/** Resolution the crops are brought to: tesseract's LSTM models read ~30 px glyphs best. */
const TARGET_DPI = 200;
const MARGIN = 12;

/** Connected components (8-neighbour) of a binary crop: label per pixel and each component's box and size. */
function components(ink: Uint8Array, w: number, h: number) {
  const label = new Int32Array(w * h).fill(-1);
  const boxes: { x0: number; y0: number; x1: number; y1: number; n: number }[] = [];
  const stack: number[] = [];
  for (let i = 0; i < ink.length; i++) {
    if (!ink[i] || label[i] >= 0) continue;
    const id = boxes.length;
    const b = { x0: w, y0: h, x1: -1, y1: -1, n: 0 };
    boxes.push(b);
    label[i] = id;
    stack.push(i);
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % w;
      const y = (p / w) | 0;
      b.n++;
      if (x < b.x0) b.x0 = x;
      if (x > b.x1) b.x1 = x;
      if (y < b.y0) b.y0 = y;
      if (y > b.y1) b.y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const q = yy * w + xx;
          if (ink[q] && label[q] < 0) {
            label[q] = id;
            stack.push(q);
          }
        }
      }
    }
  }
  return { label, boxes };
}

/**
 * Cuts cell `box` (page pixels, between the centres of its border lines) out
 * of the page. `ink` is the page's binary ink mask; `dpi` its resolution.
 */
export function cutCell(page: GrayImage, ink: Uint8Array, box: [number, number, number, number], dpi: number): CellCrop {
  const unit = dpi / 150;
  // Step inside the border lines; then shave off rows and columns that are still mostly line.
  const inset = Math.max(2, Math.round(1.5 * unit));
  let x0 = Math.round(box[0]) + inset;
  let y0 = Math.round(box[1]) + inset;
  let x1 = Math.round(box[2]) - inset;
  let y1 = Math.round(box[3]) - inset;
  const W = page.width;
  const maxShave = Math.max(2, Math.round(4 * unit));
  const rowShare = (y: number) => {
    let n = 0;
    for (let x = x0; x < x1; x++) n += ink[y * W + x];
    return n / Math.max(1, x1 - x0);
  };
  const colShare = (x: number) => {
    let n = 0;
    for (let y = y0; y < y1; y++) n += ink[y * W + x];
    return n / Math.max(1, y1 - y0);
  };
  let cleaned = false;
  for (let k = 0; k < maxShave && y1 - y0 > 4 && rowShare(y0) > 0.4; k++, y0++) cleaned = true;
  for (let k = 0; k < maxShave && y1 - y0 > 4 && rowShare(y1 - 1) > 0.4; k++, y1--) cleaned = true;
  for (let k = 0; k < maxShave && x1 - x0 > 4 && colShare(x0) > 0.4; k++, x0++) cleaned = true;
  for (let k = 0; k < maxShave && x1 - x0 > 4 && colShare(x1 - 1) > 0.4; k++, x1--) cleaned = true;
  const w = x1 - x0;
  const h = y1 - y0;
  const blank = (c: boolean): CellCrop => ({
    image: null,
    inkBox: box,
    cleaned: c,
    components: 0,
    aspect: 0,
    glyphs: 0,
    digitShaped: false,
    spaced: null,
  });
  if (w < 3 || h < 3) return blank(cleaned);

  const local = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) local.set(ink.subarray((y0 + y) * W + x0, (y0 + y) * W + x1), y * w);
  const { label, boxes } = components(local, w, h);
  const speck = Math.max(3, Math.round(4 * unit * unit));
  const thin = Math.max(2, Math.round(2.5 * unit));
  // Printed glyphs have some size; scanner noise and dust are dots. A small dot is kept only as a decimal point beside real glyphs.
  const tiny = (b: { x0: number; x1: number; y0: number; y1: number }) => b.x1 - b.x0 + 1 < 0.03 * dpi && b.y1 - b.y0 + 1 < 0.03 * dpi;
  const glyphLike = boxes.filter((b) => b.n >= speck && !tiny(b));
  const keep = boxes.map((b) => {
    if (b.n < speck) return false;
    if (
      tiny(b) &&
      !glyphLike.some((g) => Math.abs(g.y1 - b.y1) < 0.03 * dpi && Math.abs((g.x0 + g.x1) / 2 - (b.x0 + b.x1) / 2) < 0.1 * dpi)
    )
      return false;
    const bw = b.x1 - b.x0 + 1;
    const bh = b.y1 - b.y0 + 1;
    // A remnant of a border: thin, along the side of the crop it touches (what is left of a line a little askew).
    if ((b.x0 === 0 || b.x1 === w - 1) && bw <= thin && bh > bw) return false;
    if ((b.y0 === 0 || b.y1 === h - 1) && bh <= thin && bw > bh) return false;
    return true;
  });
  let kx0 = w,
    ky0 = h,
    kx1 = -1,
    ky1 = -1,
    kept = 0;
  boxes.forEach((b, i) => {
    if (!keep[i]) {
      cleaned = true;
      return;
    }
    kept++;
    kx0 = Math.min(kx0, b.x0);
    ky0 = Math.min(ky0, b.y0);
    kx1 = Math.max(kx1, b.x1);
    ky1 = Math.max(ky1, b.y1);
  });
  if (!kept) return blank(cleaned);

  // The picture: grey pixels of the kept ink's box (a little wider), removed components painted white.
  const m = Math.max(2, Math.round(2 * unit));
  const bx0 = Math.max(0, kx0 - m);
  const by0 = Math.max(0, ky0 - m);
  const bx1 = Math.min(w, kx1 + 1 + m);
  const by1 = Math.min(h, ky1 + 1 + m);
  const img = crop(page, x0 + bx0, y0 + by0, x0 + bx1, y0 + by1);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const l = label[(by0 + y) * w + bx0 + x];
      if (l >= 0 && !keep[l]) img.data[y * img.width + x] = 255;
    }
  }
  const k = Math.round(Math.min(3, Math.max(1, TARGET_DPI / dpi)) * 4) / 4;
  const groups = splitWide(
    glyphGroups(
      boxes.filter((_, i) => keep[i]),
      unit,
    ),
    local,
    w,
    label,
    keep,
  );
  const inkH = ky1 - ky0 + 1;
  const oneLine = groups.every((g) => g.y1 - g.y0 + 1 >= 0.45 * inkH);
  const narrow = groups.filter((g) => (g.x1 - g.x0 + 1) / (g.y1 - g.y0 + 1) < 0.8).length;
  const digitShaped = oneLine && groups.length <= 16 && narrow >= Math.ceil(0.6 * groups.length);
  return {
    image: pad(scale(img, k), MARGIN),
    inkBox: [x0 + kx0, y0 + ky0, x0 + kx1 + 1, y0 + ky1 + 1],
    cleaned,
    components: kept,
    aspect: (kx1 - kx0 + 1) / inkH,
    glyphs: groups.length,
    digitShaped,
    spaced: oneLine ? pad(scale(spaced(img, groups, bx0, by0), k), MARGIN) : null,
  };
}

interface Span {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Ink components merged where they overlap horizontally: the glyphs of one line, left to right. */
function glyphGroups(boxes: Span[], unit: number): Span[] {
  const sorted = [...boxes].sort((a, b) => a.x0 - b.x0);
  const out: Span[] = [];
  const touch = Math.max(0, Math.round(0.5 * unit));
  for (const b of sorted) {
    const g = out[out.length - 1];
    if (g && b.x0 <= g.x1 + touch) {
      g.x1 = Math.max(g.x1, b.x1);
      g.y0 = Math.min(g.y0, b.y0);
      g.y1 = Math.max(g.y1, b.y1);
    } else out.push({ ...b });
  }
  return out;
}

/** Digits are narrower than this share of their height; a wider glyph is two glyphs touching ("11" joined at the feet). */
const MAX_GLYPH_ASPECT = 0.85;

/**
 * Splits glyphs too wide to be one digit at their thinnest column (classic
 * touching-character segmentation). Chinese characters are wide too, but only
 * number cells use the split (glyph counts and the spaced picture).
 */
function splitWide(groups: Span[], ink: Uint8Array, w: number, label: Int32Array, keep: boolean[]): Span[] {
  const out: Span[] = [];
  const work = [...groups];
  while (work.length) {
    const g = work.shift()!;
    const gw = g.x1 - g.x0 + 1;
    const gh = g.y1 - g.y0 + 1;
    if (gw <= MAX_GLYPH_ASPECT * gh || gw < 6) {
      out.push(g);
      continue;
    }
    // The column with the least kept ink in the middle part of the glyph.
    let best = -1;
    let bestInk = Infinity;
    for (let x = g.x0 + Math.floor(0.25 * gw); x <= g.x1 - Math.floor(0.25 * gw); x++) {
      let n = 0;
      for (let y = g.y0; y <= g.y1; y++) {
        const i = y * w + x;
        if (ink[i] && keep[label[i]]) n++;
      }
      if (n < bestInk) [best, bestInk] = [x, n];
    }
    // A real join is thin; a solid stroke across the middle is one wide glyph (or a Chinese one).
    if (best < 0 || bestInk > 0.25 * gh) {
      out.push(g);
      continue;
    }
    work.unshift({ ...g, x0: best + 1 });
    out.push({ ...g, x1: best - 1 });
  }
  return out.sort((a, b) => a.x0 - b.x0);
}

/**
 * The glyphs of a one-line cell copied side by side with a gap of half their
 * height. The recogniser's decoder merges a repeated character printed close
 * together ("11" read as "1"); spacing them apart keeps each one.
 */
function spaced(img: GrayImage, groups: Span[], ox: number, oy: number): GrayImage {
  const top = Math.min(...groups.map((g) => g.y0)) - oy;
  const bottom = Math.max(...groups.map((g) => g.y1)) - oy;
  const h = Math.max(1, bottom - top + 1);
  const gap = Math.max(3, Math.round(0.5 * h));
  const w = groups.reduce((s, g) => s + (g.x1 - g.x0 + 1), 0) + gap * (groups.length - 1);
  const data = new Uint8Array(w * h).fill(255);
  let at = 0;
  for (const g of groups) {
    const gw = g.x1 - g.x0 + 1;
    for (let y = 0; y < h; y++) {
      const sy = top + y;
      if (sy < 0 || sy >= img.height) continue;
      for (let x = 0; x < gw; x++) {
        const sx = g.x0 - ox + x;
        if (sx >= 0 && sx < img.width) data[y * w + at + x] = img.data[sy * img.width + sx];
      }
    }
    at += gw + gap;
  }
  return { width: w, height: h, data };
}
