/**
 * PDF budgets that pdf.js does not keep itself.
 *
 * - Streams: pdf.js inflates a content or object stream whole, however large
 *   (400 MB of spaces deflated to 390 KB took 8 s and 900 MB). Before pdf.js
 *   opens the file, every Flate stream that could pass `pdfStreamBytes` (its
 *   compressed size × deflate's 1032:1 ceiling) is inflated here, counting,
 *   and stopped at the limit: `pdf-stream-too-large`. Stream dictionaries
 *   are never inside object streams, so a scan of the raw bytes finds them.
 * - Images: their declared width × height, from the same scan. The text path
 *   never decodes an image (pdf.js' maxImageSize is 1), so an image past
 *   `pdfImagePixels` is only reported; a reader that renders pages (OCR)
 *   must skip the pages that hold it.
 * - Operators: pdf.js builds a page's whole operator list before returning
 *   it (3 million operators: 49 s, 2.9 GB), and nested graphics states (q)
 *   cost it the depth on every later operator (40,000 nested q: 7 s). `guardOperators` counts the
 *   chunks as pdf.js streams them in and trips as soon as a page passes its
 *   budget; the caller then destroys the document (the only way to stop
 *   pdf.js' evaluator) and reopens it for the pages after.
 *
 * Partial: streams whose first filter is not FlateDecode (LZW, a Flate
 * behind ASCIIHex/ASCII85) are not measured here.
 */
import { inflateSync } from 'node:zlib';
import { Unzlib } from 'fflate';
import { formatLimit, type Limits, overLimit } from '../../src/contract/limits.js';
import type { PdfPage } from './load.js';

/** Deflate's best ratio: a stream shorter than limit / this cannot inflate past the limit. */
const DEFLATE_MAX_RATIO = 1032;
const CHUNK = 64 * 1024;

export interface ImageInfo {
  object: string;
  width: number;
  height: number;
}

export interface StreamScan {
  /** Images whose declared pixels pass `pdfImagePixels`. */
  oversizedImages: ImageInfo[];
  /**
   * Flate streams (not images) that do not inflate cleanly: a bad code, a
   * wrong checksum, cut short. pdf.js reads on through the damage and can
   * show digits that no intact file printed, so tables read from such a
   * document are never confident.
   */
  damagedStreams: string[];
}

function latin1(b: Uint8Array, from: number, to: number): string {
  const a = Math.max(0, Math.min(b.length, from));
  const z = Math.max(a, Math.min(b.length, to));
  return Buffer.from(b.buffer, b.byteOffset + a, z - a).toString('latin1');
}

/** Bytes a zlib stream inflates to, counted chunk by chunk and stopped just past `limit` (damage ends the count). */
function inflatedSize(data: Uint8Array, limit: number): number {
  let total = 0;
  const inflater = new Unzlib((chunk) => {
    total += chunk.length;
    if (total > limit) throw new RangeError('over');
  });
  try {
    for (let o = 0; o < data.length; o += CHUNK)
      inflater.push(data.subarray(o, Math.min(data.length, o + CHUNK)), o + CHUNK >= data.length);
  } catch {
    // Over the limit, or damaged: either way `total` is what pdf.js could get out of it.
  }
  return total;
}

/**
 * Scans the raw file for stream dictionaries. Throws `pdf-stream-too-large`
 * for a Flate stream that inflates past `limits.pdfStreamBytes`; returns the
 * oversized images.
 */
export function scanStreams(bytes: Uint8Array, limits: Limits): StreamScan {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const oversizedImages: ImageInfo[] = [];
  const damagedStreams: string[] = [];
  const minSuspect = Math.floor(limits.pdfStreamBytes / DEFLATE_MAX_RATIO);
  // Encrypted streams do not inflate before pdf.js decrypts them: no damage check then.
  const encrypted = buf.includes('/Encrypt', 0, 'latin1');
  let at = buf.indexOf('stream', 0, 'latin1');
  while (at >= 0) {
    const next = () => buf.indexOf('stream', at + 6, 'latin1');
    // 'endstream', or a word that merely contains 'stream'.
    if (
      latin1(bytes, at - 3, at) === 'end' ||
      !(bytes[at + 6] === 0x0a || (bytes[at + 6] === 0x0d && bytes[at + 7] === 0x0a) || bytes[at + 6] === 0x0d)
    ) {
      at = next();
      continue;
    }
    const dictFrom = Math.max(0, buf.lastIndexOf('obj', at, 'latin1'), at - 4096);
    const dict = latin1(bytes, dictFrom, at);
    const start = at + 6 + (bytes[at + 6] === 0x0d && bytes[at + 7] === 0x0a ? 2 : 1);
    const declared = dict.match(/\/Length\s+(\d+)(?!\s+\d+\s+R)/);
    let end = declared ? start + Number(declared[1]) : -1;
    if (
      end < start ||
      end > bytes.length ||
      latin1(bytes, end, Math.min(bytes.length, end + 12))
        .trim()
        .slice(0, 9) !== 'endstream'
    ) {
      end = buf.indexOf('endstream', start, 'latin1');
      if (end < 0) end = bytes.length;
    }
    const object = dict.match(/(\d+\s+\d+)\s+obj\s*$/m)?.[1] ?? latin1(bytes, dictFrom - 12, dictFrom).match(/(\d+\s+\d+)\s*$/)?.[1] ?? '?';
    if (/\/Subtype\s*\/Image\b/.test(dict)) {
      const w = Number(dict.match(/\/(?:Width|W)\s+(\d+)(?!\s+\d+\s+R)/)?.[1] ?? 0);
      const h = Number(dict.match(/\/(?:Height|H)\s+(\d+)(?!\s+\d+\s+R)/)?.[1] ?? 0);
      if (w * h > limits.pdfImagePixels) oversizedImages.push({ object, width: w, height: h });
    } else if (/\/Filter\s*(?:\[\s*)?\/(?:FlateDecode|Fl)\b/.test(dict)) {
      const data = bytes.subarray(start, end);
      const size = end - start > minSuspect ? inflatedSize(data, limits.pdfStreamBytes) : 0;
      if (!encrypted && size <= limits.pdfStreamBytes && !inflatesCleanly(data, limits.pdfStreamBytes)) damagedStreams.push(object);
      if (size > limits.pdfStreamBytes) {
        throw overLimit(
          'pdf-stream-too-large',
          'pdfStreamBytes',
          limits,
          `stream ${object} R inflates past ${formatLimit('pdfStreamBytes', limits.pdfStreamBytes)} (${(end - start).toLocaleString('en')} bytes compressed)`,
        );
      }
    }
    at = buf.indexOf('stream', Math.max(at + 6, end), 'latin1');
  }
  return { oversizedImages, damagedStreams };
}

/**
 * True when zlib inflates the stream without an error: valid codes, the
 * Adler-32 checksum, and the end of the stream before the data ends. Bytes
 * after the end (padding before endstream) are fine.
 */
function inflatesCleanly(data: Uint8Array, limit: number): boolean {
  try {
    inflateSync(data, { maxOutputLength: Math.max(1, limit) });
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
  }
}

/**
 * The page count the page tree declares, read from the raw bytes (the
 * largest /Count of a /Type /Pages object), or undefined when none is in
 * plain text (inside a compressed object stream). pdf.js walks every page
 * object while it opens a document (100,000 pages: 4 s), so a count over the
 * limit is refused before pdf.js sees the file.
 */
export function declaredPages(bytes: Uint8Array): number | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let max: number | undefined;
  let at = buf.indexOf('/Pages', 0, 'latin1');
  let seen = 0;
  while (at >= 0 && seen++ < 10_000) {
    const from = Math.max(0, buf.lastIndexOf('obj', at, 'latin1'));
    const endobj = buf.indexOf('endobj', at, 'latin1');
    const window = latin1(bytes, from, endobj < 0 ? Math.min(bytes.length, at + 4096) : Math.min(endobj, (at + 1) << 20));
    if (/\/Type\s*\/Pages\b/.test(window)) {
      const count = window.match(/\/Count\s+(\d+)/);
      if (count) max = Math.max(max ?? 0, Number(count[1]));
    }
    at = buf.indexOf('/Pages', endobj < 0 ? at + 6 : endobj, 'latin1');
  }
  return max;
}

/** Thrown by a tripped operator guard; the page's operator list is abandoned. */
export class TooManyOperators extends Error {
  constructor(readonly count: number) {
    super(`more than ${count} operators`);
  }
}

/** Thrown when a page nests graphics states (q … Q) past the limit. */
export class TooDeep extends Error {
  constructor(readonly depth: number) {
    super(`graphics states nested more than ${depth} deep`);
  }
}

interface ChunkTarget {
  _renderPageChunk?: (chunk: { length: number; fnArray: ArrayLike<number> }, intentState: unknown) => void;
}

/** pdf.js operator codes the guard watches. */
export interface GuardOps {
  save: number;
  restore: number;
}

export interface OperatorGuard {
  /** Rejects with TooManyOperators once the page passes `limit`; never resolves otherwise. */
  tripped: Promise<never>;
  /** Operators received so far. */
  count(): number;
}

/**
 * Counts the operator-list chunks pdf.js streams into `page` (through its
 * internal `_renderPageChunk`, pdfjs-dist 5.6) and trips past `limit`,
 * dropping the rest. Without that hook (another pdf.js version) it counts
 * nothing and never trips: the document timeout is then the only bound.
 */
export function guardOperators(page: PdfPage, limit: number, ops?: GuardOps, maxDepth = Infinity): OperatorGuard {
  let count = 0;
  let depth = 0;
  let trip: (e: Error) => void = () => undefined;
  const tripped = new Promise<never>((_, reject) => (trip = reject));
  tripped.catch(() => undefined);
  const target = page as unknown as ChunkTarget;
  const original = target._renderPageChunk;
  if (typeof original === 'function') {
    let over = false;
    target._renderPageChunk = function (this: unknown, chunk, intentState) {
      if (over) return;
      count += chunk.length;
      if (count > limit) {
        over = true;
        trip(new TooManyOperators(limit));
        return;
      }
      if (ops) {
        // pdf.js clones its state with Object.create: each nested q makes every later lookup longer.
        const fns = chunk.fnArray;
        for (let i = 0; i < fns.length; i++) {
          if (fns[i] === ops.save) {
            if (++depth > maxDepth) {
              over = true;
              trip(new TooDeep(maxDepth));
              return;
            }
          } else if (fns[i] === ops.restore && depth > 0) depth--;
        }
      }
      original.call(this, chunk, intentState);
    };
  }
  return { tripped, count: () => count };
}
