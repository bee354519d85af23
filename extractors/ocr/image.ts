/**
 * 8-bit grey images and the few pixel operations OCR needs: conversion from
 * decoder output, Otsu's threshold, crops, scaling, PGM files for tesseract.
 */

export interface GrayImage {
  width: number;
  height: number;
  /** One byte per pixel, row-major, 0 = black. */
  data: Uint8Array;
}

/** Pixel layouts decoders hand back: grey, grey + alpha, RGB, RGBA, and 1-bit rows (pdf.js GRAYSCALE_1BPP, 0 = black). */
export type PixelLayout = 'gray' | 'graya' | 'rgb' | 'rgba' | 'bits';

/** Converts decoded pixels to grey (transparent pixels become white, as on paper). */
export function toGray(width: number, height: number, data: ArrayLike<number>, layout: PixelLayout): GrayImage {
  const n = width * height;
  const out = new Uint8Array(n);
  if (layout === 'gray') {
    if (data instanceof Uint8Array) out.set(data.subarray(0, n));
    else for (let i = 0; i < n; i++) out[i] = data[i];
  } else if (layout === 'graya') {
    for (let i = 0; i < n; i++) {
      const a = data[2 * i + 1];
      out[i] = (255 - ((255 - data[2 * i]) * a + 127) / 255) | 0;
    }
  } else if (layout === 'rgb' || layout === 'rgba') {
    const k = layout === 'rgb' ? 3 : 4;
    for (let i = 0; i < n; i++) {
      const j = i * k;
      // ITU-R 601 luma, integer.
      let g = (data[j] * 299 + data[j + 1] * 587 + data[j + 2] * 114 + 500) / 1000;
      if (k === 4) g = 255 - ((255 - g) * data[j + 3]) / 255;
      out[i] = g | 0;
    }
  } else {
    const stride = (width + 7) >> 3;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) out[y * width + x] = (data[y * stride + (x >> 3)] >> (7 - (x & 7))) & 1 ? 255 : 0;
    }
  }
  return { width, height, data: out };
}

/** Otsu's threshold of the whole image: pixels at or below it are ink. */
export function otsu(img: GrayImage, step = 1): number {
  const hist = new Float64Array(256);
  const d = img.data;
  for (let i = 0; i < d.length; i += step) hist[d[i]]++;
  let total = 0;
  let sum = 0;
  for (let t = 0; t < 256; t++) {
    total += hist[t];
    sum += t * hist[t];
  }
  let wB = 0;
  let sumB = 0;
  let best = 0;
  let at = 127;
  for (let t = 0; t < 256; t++) {
    wB += hist[t];
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * hist[t];
    const mB = sumB / wB;
    const mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > best) {
      best = between;
      at = t;
    }
  }
  return at;
}

/** 1 where the pixel is ink (at or below `threshold`). */
export function binarize(img: GrayImage, threshold: number): Uint8Array {
  const out = new Uint8Array(img.data.length);
  const d = img.data;
  for (let i = 0; i < d.length; i++) out[i] = d[i] <= threshold ? 1 : 0;
  return out;
}

export function crop(img: GrayImage, x0: number, y0: number, x1: number, y1: number): GrayImage {
  const cx0 = Math.max(0, Math.floor(x0));
  const cy0 = Math.max(0, Math.floor(y0));
  const cx1 = Math.min(img.width, Math.ceil(x1));
  const cy1 = Math.min(img.height, Math.ceil(y1));
  const w = Math.max(0, cx1 - cx0);
  const h = Math.max(0, cy1 - cy0);
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) data.set(img.data.subarray((cy0 + y) * img.width + cx0, (cy0 + y) * img.width + cx0 + w), y * w);
  return { width: w, height: h, data };
}

/** A copy with `pad` white pixels on every side. */
export function pad(img: GrayImage, p: number): GrayImage {
  const w = img.width + 2 * p;
  const h = img.height + 2 * p;
  const data = new Uint8Array(w * h).fill(255);
  for (let y = 0; y < img.height; y++) data.set(img.data.subarray(y * img.width, (y + 1) * img.width), (y + p) * w + p);
  return { width: w, height: h, data };
}

/** Bilinear scaling by `k` (used to give the recogniser glyphs of a size it reads well). */
export function scale(img: GrayImage, k: number): GrayImage {
  if (k === 1) return img;
  const w = Math.max(1, Math.round(img.width * k));
  const h = Math.max(1, Math.round(img.height * k));
  const out = new Uint8Array(w * h);
  const src = img.data;
  const sw = img.width;
  for (let y = 0; y < h; y++) {
    const fy = Math.min(img.height - 1, Math.max(0, (y + 0.5) / k - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(img.height - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < w; x++) {
      const fx = Math.min(sw - 1, Math.max(0, (x + 0.5) / k - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(sw - 1, x0 + 1);
      const wx = fx - x0;
      const top = src[y0 * sw + x0] * (1 - wx) + src[y0 * sw + x1] * wx;
      const bottom = src[y1 * sw + x0] * (1 - wx) + src[y1 * sw + x1] * wx;
      out[y * w + x] = (top * (1 - wy) + bottom * wy + 0.5) | 0;
    }
  }
  return { width: w, height: h, data: out };
}

/** Every `f`-th pixel in each direction, as the darkest of its block (keeps thin lines). */
export function shrinkMin(img: GrayImage, f: number): GrayImage {
  if (f <= 1) return img;
  const w = Math.max(1, Math.floor(img.width / f));
  const h = Math.max(1, Math.floor(img.height / f));
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let m = 255;
      for (let dy = 0; dy < f; dy++) {
        const row = (y * f + dy) * img.width + x * f;
        for (let dx = 0; dx < f; dx++) if (img.data[row + dx] < m) m = img.data[row + dx];
      }
      out[y * w + x] = m;
    }
  }
  return { width: w, height: h, data: out };
}

/** Binary PGM (P5): the simplest file tesseract (leptonica) reads, written without an encoder. */
export function toPgm(img: GrayImage): Uint8Array {
  const head = new TextEncoder().encode(`P5\n${img.width} ${img.height}\n255\n`);
  const out = new Uint8Array(head.length + img.data.length);
  out.set(head);
  out.set(img.data, head.length);
  return out;
}

/** Reads a binary PGM (P5) or PPM (P6), as pdftoppm writes them. */
export function fromPnm(bytes: Uint8Array): GrayImage {
  let at = 0;
  const token = (): string => {
    for (;;) {
      while (at < bytes.length && /\s/.test(String.fromCharCode(bytes[at]))) at++;
      if (bytes[at] !== 0x23) break; // '#' comment line
      while (at < bytes.length && bytes[at] !== 0x0a) at++;
    }
    let t = '';
    while (at < bytes.length && !/\s/.test(String.fromCharCode(bytes[at]))) t += String.fromCharCode(bytes[at++]);
    return t;
  };
  const magic = token();
  if (magic !== 'P5' && magic !== 'P6') throw new Error(`not a binary PGM/PPM (${magic.slice(0, 4)})`);
  const width = Number(token());
  const height = Number(token());
  const max = Number(token());
  at++; // the single whitespace after maxval
  if (!(width > 0 && height > 0) || max !== 255) throw new Error('unsupported PNM header');
  const k = magic === 'P5' ? 1 : 3;
  const body = bytes.subarray(at, at + width * height * k);
  if (body.length < width * height * k) throw new Error('truncated PNM');
  return toGray(width, height, body, k === 1 ? 'gray' : 'rgb');
}
