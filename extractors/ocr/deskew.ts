/**
 * Small rotations of scanned pages (a sheet fed a little askew): the angle is
 * the one whose horizontal projection of the ink is sharpest (ruling lines and
 * text lines then fall into few rows), measured on a reduced copy; the page is
 * then turned back with bilinear sampling.
 */
import { binarize, otsu, shrinkMin, type GrayImage } from './image.js';

/** Angles tried, in degrees either way. Scans beyond this are not "small rotations". */
const MAX_DEGREES = 3;
/** Below this the page is left as it is (half a pixel over 1,000 pixels). */
const MIN_DEGREES = 0.03;
/** Width of the reduced copy the angle is measured on. */
const WORK_WIDTH = 900;
/** At most this many ink pixels are projected per angle. */
const MAX_SAMPLES = 80_000;

function sharpness(xs: Int32Array, ys: Int32Array, n: number, height: number, tan: number, width: number): number {
  const off = Math.ceil(Math.abs(tan) * width) + 1;
  const prof = new Float64Array(height + 2 * off);
  for (let i = 0; i < n; i++) prof[(ys[i] - xs[i] * tan + off + 0.5) | 0]++;
  let s = 0;
  for (let i = 0; i < prof.length; i++) s += prof[i] * prof[i];
  return s;
}

/** The page's skew in degrees (positive: content runs down to the right). */
export function estimateSkew(img: GrayImage): number {
  const f = Math.max(1, Math.floor(img.width / WORK_WIDTH));
  const small = shrinkMin(img, f);
  const ink = binarize(small, otsu(small, 3));
  let count = 0;
  for (let i = 0; i < ink.length; i++) count += ink[i];
  if (count < 50) return 0;
  const step = Math.max(1, Math.ceil(count / MAX_SAMPLES));
  const xs = new Int32Array(Math.ceil(count / step) + 1);
  const ys = new Int32Array(xs.length);
  let n = 0;
  let k = 0;
  for (let i = 0; i < ink.length; i++) {
    if (!ink[i]) continue;
    if (k++ % step === 0) {
      xs[n] = i % small.width;
      ys[n] = (i / small.width) | 0;
      n++;
    }
  }
  const score = (deg: number) => sharpness(xs, ys, n, small.height, Math.tan((deg * Math.PI) / 180), small.width);
  let best = 0;
  let bestScore = score(0);
  // Coarse to fine: 0.25°, then 0.05° and 0.01° around the best so far (47 angles instead of 82 in even 0.1° steps).
  for (const [span, step] of [
    [MAX_DEGREES, 0.25],
    [0.25, 0.05],
    [0.05, 0.01],
  ]) {
    const centre = best;
    for (let d = centre - span; d <= centre + span + 1e-9; d += step) {
      const s = score(d);
      if (s > bestScore) [best, bestScore] = [d, s];
    }
  }
  return Math.abs(best) < MIN_DEGREES ? 0 : Math.round(best * 100) / 100;
}

/** The page turned by -`degrees` about its centre (white where nothing was). */
export function rotate(img: GrayImage, degrees: number): GrayImage {
  if (degrees === 0) return img;
  const { width: w, height: h, data: src } = img;
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const dy = y - cy;
    // Source of (x, y): the point turned by +degrees.
    let sx = -cx * cos - dy * sin + cx;
    let sy = -cx * sin + dy * cos + cy;
    for (let x = 0; x < w; x++, sx += cos, sy += sin) {
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) {
        out[y * w + x] = 255;
        continue;
      }
      const fx = sx - x0;
      const fy = sy - y0;
      const i = y0 * w + x0;
      const top = src[i] + (src[i + 1] - src[i]) * fx;
      const bottom = src[i + w] + (src[i + w + 1] - src[i + w]) * fx;
      out[y * w + x] = (top + (bottom - top) * fy + 0.5) | 0;
    }
  }
  return { width: w, height: h, data: out };
}
