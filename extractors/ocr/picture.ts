/**
 * Pictures that are not inside a PDF (page images of an HTML article,
 * pictures pasted into a Word file) → grey images for OCR, with the
 * resolution they were made at. JPEG and PNG, the formats such reports use,
 * are decoded by pure-JS decoders (jpeg-js, pngjs); anything else is refused
 * with a reason.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { toGray, type GrayImage } from './image.js';

export interface DecodedPicture {
  image: GrayImage;
  /** Pixels per inch the file declares (JFIF density, PNG pHYs), when it declares one. */
  density?: number;
}

/** A 300 dpi A3 page is 17 megapixels; anything far beyond is not a page picture. */
const MAX_MEGAPIXELS = 60;

export function pictureKind(b: Uint8Array): 'jpeg' | 'png' | 'gif' | 'bmp' | 'webp' | 'tiff' | 'unknown' {
  if (b[0] === 0xff && b[1] === 0xd8) return 'jpeg';
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return 'gif';
  if (b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
  if (b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45) return 'webp';
  if ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a) || (b[0] === 0x4d && b[1] === 0x4d && b[3] === 0x2a)) return 'tiff';
  return 'unknown';
}

/** JFIF APP0 density in dots per inch, when the file gives one in inches or centimetres. */
function jfifDensity(b: Uint8Array): number | undefined {
  let at = 2;
  while (at + 4 < b.length && b[at] === 0xff) {
    const marker = b[at + 1];
    const len = (b[at + 2] << 8) | b[at + 3];
    if (marker === 0xe0 && len >= 14 && b[at + 4] === 0x4a && b[at + 5] === 0x46 && b[at + 6] === 0x49 && b[at + 7] === 0x46) {
      const units = b[at + 11];
      const x = (b[at + 12] << 8) | b[at + 13];
      if (units === 1 && x > 0) return x;
      if (units === 2 && x > 0) return x * 2.54;
      return undefined;
    }
    if (marker === 0xda) break; // image data: no more headers
    at += 2 + len;
  }
  return undefined;
}

/** PNG pHYs density in dots per inch (the unit is the metre). */
function pngDensity(b: Uint8Array): number | undefined {
  let at = 8;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  while (at + 12 <= b.length) {
    const len = view.getUint32(at);
    const type = String.fromCharCode(b[at + 4], b[at + 5], b[at + 6], b[at + 7]);
    if (type === 'pHYs' && len >= 9) return b[at + 16] === 1 ? view.getUint32(at + 8) * 0.0254 : undefined;
    if (type === 'IDAT') break;
    at += 12 + len;
  }
  return undefined;
}

/** Decodes a JPEG or PNG into grey; throws with a reason for anything else. */
export function decodePicture(bytes: Uint8Array): DecodedPicture {
  const kind = pictureKind(bytes);
  if (kind === 'jpeg') {
    const d = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: 400 });
    const density = jfifDensity(bytes);
    return { image: toGray(d.width, d.height, d.data, 'rgb'), ...(density ? { density } : {}) };
  }
  if (kind === 'png') {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    if (png.width * png.height > MAX_MEGAPIXELS * 1e6) throw new Error(`a ${png.width}×${png.height} picture is too large`);
    const density = pngDensity(bytes);
    return { image: toGray(png.width, png.height, png.data, 'rgba'), ...(density ? { density } : {}) };
  }
  throw new Error(
    kind === 'unknown' ? 'not a picture ogi can read (JPEG or PNG)' : `${kind.toUpperCase()} pictures are not read (JPEG or PNG only)`,
  );
}

/** A4 (and its landscape) in inches: page pictures of reports are nearly always A4 scans. */
const A4: [number, number] = [8.27, 11.69];
/** Resolution assumed for a picture that is no page and says nothing: screen pixels (a table screenshot). */
const SCREEN_DPI = 96;

/**
 * The resolution to read a picture at. `inches` is its printed width when the
 * container knows it (a picture in a Word file); a page-shaped picture is an
 * A4 page; otherwise the file's own density, or screen resolution.
 */
export function pictureDpi(img: GrayImage, density?: number, inches?: number): number {
  if (inches && inches > 0.5) return clampDpi(img.width / inches);
  const ratio = img.height / img.width;
  const a4 = A4[1] / A4[0];
  if (Math.abs(ratio - a4) < 0.12) return clampDpi(img.width / A4[0]);
  if (Math.abs(1 / ratio - a4) < 0.12) return clampDpi(img.width / A4[1]);
  if (density && density >= 100 && density <= 1200) return clampDpi(density);
  return SCREEN_DPI;
}

function clampDpi(d: number): number {
  return Math.round(Math.max(72, Math.min(1200, d)));
}

/** A grey image as PNG bytes (debug pictures). */
export function encodePng(img: GrayImage): Uint8Array {
  const png = new PNG({ width: img.width, height: img.height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  png.data = Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  return new Uint8Array(PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false }));
}
