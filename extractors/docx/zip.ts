/**
 * A small zip reader for OOXML packages with zip-bomb guards.
 *
 * fflate's unzipSync trusts the sizes the archive declares and grows its
 * output buffer without bound, so we read the central directory ourselves,
 * check declared sizes before inflating anything, and inflate with fflate's
 * streaming Inflate so the real output can be cut off at the limit.
 */
import { Inflate, inflateSync } from 'fflate';
import { ExtractError } from '../../src/contract/extractor.js';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** Byte budget shared by every part read from one package. */
export interface InflateBudget {
  /** Total bytes still allowed. */
  left: number;
  readonly limit: number;
}

/** Above this size, a part whose expansion ratio beats RATIO_LIMIT is treated as a bomb. */
const RATIO_FLOOR = 16 * 1024 * 1024;
/** Real XML rarely compresses beyond 100:1; deflate's ceiling is about 1032:1. */
const RATIO_LIMIT = 500;
const CHUNK = 16 * 1024;
/**
 * Parts up to this compressed size inflate in one call into a buffer of the
 * declared size + 1. fflate never grows a buffer it is given, so a part that
 * lies about its size fills that buffer instead of memory, and the work is
 * bounded by deflate's 1032:1 ceiling (≈ 256 MB of output at most).
 */
const ONE_SHOT_MAX = 256 * 1024;

const corrupt = (msg: string) => new ExtractError('docx-corrupt', msg);

function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}
function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
}
function u64(b: Uint8Array, o: number): number {
  return u32(b, o) + u32(b, o + 4) * 0x100000000;
}

function findEocd(b: Uint8Array): number {
  const stop = Math.max(0, b.length - 22 - 0xffff);
  for (let i = b.length - 22; i >= stop; i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 0x05 && b[i + 3] === 0x06) return i;
  }
  return -1;
}

export function isZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5 || b[2] === 7);
}

/** Lists the entries of the central directory without inflating anything. */
export function readCentralDirectory(b: Uint8Array): ZipEntry[] {
  const eocd = findEocd(b);
  if (eocd < 0) throw corrupt('no end-of-central-directory record: the zip is truncated or damaged');
  let count = u16(b, eocd + 10);
  let cdSize = u32(b, eocd + 12);
  let cdOffset = u32(b, eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    // Zip64: the locator sits right before the classic record.
    const loc = eocd - 20;
    if (loc < 0 || u32(b, loc) !== 0x07064b50) throw corrupt('zip64 archive without a zip64 locator');
    const z = u64(b, loc + 8);
    if (z + 56 > b.length || u32(b, z) !== 0x06064b50) throw corrupt('zip64 end record is missing');
    count = u64(b, z + 32);
    cdSize = u64(b, z + 40);
    cdOffset = u64(b, z + 48);
  }
  // Data prepended to the archive shifts every offset by the same amount.
  const shift = eocd - cdSize - cdOffset;
  if (shift > 0 && u32(b, cdOffset) !== 0x02014b50 && u32(b, cdOffset + shift) === 0x02014b50) cdOffset += shift;
  const entries: ZipEntry[] = [];
  const utf8 = new TextDecoder('utf-8');
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > b.length || u32(b, p) !== 0x02014b50) throw corrupt(`central directory entry ${i} is damaged`);
    const flags = u16(b, p + 8);
    const method = u16(b, p + 10);
    const crc = u32(b, p + 16);
    let compressedSize = u32(b, p + 20);
    let size = u32(b, p + 24);
    const nameLen = u16(b, p + 28);
    const extraLen = u16(b, p + 30);
    const commentLen = u16(b, p + 32);
    let localOffset = u32(b, p + 42);
    const name = utf8.decode(b.subarray(p + 46, p + 46 + nameLen));
    // Zip64 extra field: only the fields that overflowed are present, in this order.
    let e = p + 46 + nameLen;
    const eEnd = e + extraLen;
    while (e + 4 <= eEnd) {
      const id = u16(b, e);
      const len = u16(b, e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff) ((size = u64(b, q)), (q += 8));
        if (compressedSize === 0xffffffff) ((compressedSize = u64(b, q)), (q += 8));
        if (localOffset === 0xffffffff) localOffset = u64(b, q);
      }
      e += 4 + len;
    }
    entries.push({ name, method, flags, crc, compressedSize, size, localOffset: localOffset + Math.max(0, shift) });
    p = eEnd + commentLen;
  }
  return entries;
}

function bomb(name: string, detail: string, budget: InflateBudget): ExtractError {
  return new ExtractError('docx-zip-bomb', `${name}: ${detail} (limit ${budget.limit} bytes decompressed)`);
}

/** Refuses, before inflating, parts whose declared size or ratio is out of bounds. */
export function checkDeclared(entry: ZipEntry, budget: InflateBudget): void {
  if (entry.size > budget.left) throw bomb(entry.name, `declares ${entry.size} bytes`, budget);
  if (entry.size > RATIO_FLOOR && entry.size / Math.max(1, entry.compressedSize) > RATIO_LIMIT) {
    throw bomb(entry.name, `declares a ${Math.round(entry.size / Math.max(1, entry.compressedSize))}:1 expansion`, budget);
  }
}

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

function crc32(data: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** Inflates one entry, stopping as soon as the real output exceeds the budget; checks its CRC. */
export function readEntry(b: Uint8Array, entry: ZipEntry, budget: InflateBudget): Uint8Array {
  const out = inflateEntry(b, entry, budget);
  // Inflate cannot notice damage inside stored blocks or that still decodes: the checksum can.
  if (crc32(out) !== entry.crc) throw corrupt(`${entry.name}: checksum mismatch (the data is damaged)`);
  return out;
}

function inflateEntry(b: Uint8Array, entry: ZipEntry, budget: InflateBudget): Uint8Array {
  checkDeclared(entry, budget);
  if (entry.flags & 1) throw corrupt(`${entry.name} is encrypted`);
  const lh = entry.localOffset;
  if (lh + 30 > b.length || u32(b, lh) !== 0x04034b50) throw corrupt(`${entry.name}: local header missing (truncated zip?)`);
  const start = lh + 30 + u16(b, lh + 26) + u16(b, lh + 28);
  const end = start + entry.compressedSize;
  if (end > b.length) throw corrupt(`${entry.name}: data runs past the end of the file (truncated zip)`);
  const data = b.subarray(start, end);

  if (entry.method === 0) {
    if (data.length > budget.left) throw bomb(entry.name, `stores ${data.length} bytes`, budget);
    budget.left -= data.length;
    return data;
  }
  if (entry.method !== 8) throw corrupt(`${entry.name}: unsupported compression method ${entry.method}`);
  if (data.length <= ONE_SHOT_MAX) return inflateOnce(data, entry, budget);

  const chunks: Uint8Array[] = [];
  let total = 0;
  let consumed = 0;
  let done = false;
  const inflater = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total > budget.left) throw bomb(entry.name, `inflates past ${total} bytes`, budget);
    // A part that outgrows its declared size is lying about it: stop before it can grow further.
    if (total > entry.size) throw bomb(entry.name, `declares ${entry.size} bytes but inflates past ${total}`, budget);
    if (total > RATIO_FLOOR && total / Math.max(1, consumed) > RATIO_LIMIT) {
      throw bomb(entry.name, `inflates at more than ${RATIO_LIMIT}:1`, budget);
    }
    if (chunk.length) chunks.push(chunk);
    if (final) done = true;
  });
  try {
    if (data.length === 0) throw corrupt(`${entry.name}: empty deflate stream`);
    for (let o = 0; o < data.length; o += CHUNK) {
      consumed = Math.min(data.length, o + CHUNK);
      inflater.push(data.subarray(o, consumed), consumed === data.length);
    }
  } catch (e) {
    if (e instanceof ExtractError) throw e;
    throw corrupt(`${entry.name}: deflate data is damaged (${(e as Error).message})`);
  }
  if (!done) throw corrupt(`${entry.name}: deflate stream ends early`);
  if (total < entry.size) throw corrupt(`${entry.name}: inflated to ${total} bytes but the directory says ${entry.size}`);
  budget.left -= total;
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) (out.set(c, o), (o += c.length));
  return out;
}

function inflateOnce(data: Uint8Array, entry: ZipEntry, budget: InflateBudget): Uint8Array {
  let out: Uint8Array;
  try {
    out = inflateSync(data, { out: new Uint8Array(entry.size + 1) });
  } catch (e) {
    // Copying past the end of the fixed buffer raises a RangeError: the part is bigger than it says.
    if (e instanceof RangeError) throw bomb(entry.name, `declares ${entry.size} bytes but inflates to more`, budget);
    throw corrupt(`${entry.name}: deflate data is damaged (${(e as Error).message})`);
  }
  if (out.length > entry.size) throw bomb(entry.name, `declares ${entry.size} bytes but inflates to more`, budget);
  if (out.length < entry.size) throw corrupt(`${entry.name}: inflated to ${out.length} bytes but the directory says ${entry.size}`);
  budget.left -= out.length;
  return out;
}
