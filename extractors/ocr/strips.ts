/**
 * Number cells of one table row laid side by side in one picture, far apart.
 * The recogniser reads a line of several numbers more reliably than one
 * number alone (a lone "0" or "11" in a small picture is its weak spot), and
 * each character's box says which cell it came from.
 */
import type { CellCrop } from './cells.js';
import type { OcrPage } from './hocr.js';
import type { GrayImage } from './image.js';

export interface Strip {
  image: GrayImage;
  /** Each cell's horizontal range in the strip. */
  parts: { crop: CellCrop; x0: number; x1: number }[];
}

export function buildStrip(crops: CellCrop[]): Strip {
  const pics = crops.map((c) => c.spaced ?? c.image!);
  const h = Math.max(...pics.map((p) => p.height));
  const gap = 2 * h;
  const w = pics.reduce((s, p) => s + p.width, 0) + gap * (pics.length - 1);
  const data = new Uint8Array(w * h).fill(255);
  const parts: Strip['parts'] = [];
  let at = 0;
  pics.forEach((p, i) => {
    const top = (h - p.height) >> 1;
    for (let y = 0; y < p.height; y++) data.set(p.data.subarray(y * p.width, (y + 1) * p.width), (top + y) * w + at);
    parts.push({ crop: crops[i], x0: at, x1: at + p.width });
    at += p.width + gap;
  });
  return { image: { width: w, height: h, data }, parts };
}

/** The strip's characters handed back to their cells (by the centre of each character's box). */
export function splitStrip(page: OcrPage, strip: Strip): Map<CellCrop, OcrPage> {
  const out = new Map<CellCrop, OcrPage>(strip.parts.map((p) => [p.crop, { index: 0, lines: [] }]));
  for (const line of page.lines) {
    for (const word of line.words) {
      for (const ch of word.chars) {
        const cx = (ch.bbox[0] + ch.bbox[2]) / 2;
        let best = strip.parts[0];
        let dist = Infinity;
        for (const p of strip.parts) {
          const d = cx < p.x0 ? p.x0 - cx : cx > p.x1 ? cx - p.x1 : 0;
          if (d < dist) [best, dist] = [p, d];
        }
        const cell = out.get(best.crop)!;
        if (!cell.lines.length) cell.lines.push({ words: [{ chars: [], bbox: word.bbox, conf: word.conf }], bbox: line.bbox, par: 0 });
        cell.lines[0].words[0].chars.push(ch);
      }
    }
  }
  return out;
}
