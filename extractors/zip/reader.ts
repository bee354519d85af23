/**
 * The one zip reader: OOXML packages (.docx) and format sniffing (docx, xlsx,
 * pptx, OFD, ODF are all zips) use it.
 *
 * fflate's unzipSync trusts the sizes an archive declares and grows its
 * output without bound, so the central directory is read here and entries
 * are inflated with fflate's streaming Inflate, counting what really comes
 * out. What went wrong is decided by what was actually read and inflated,
 * never by what the archive declares (a damaged directory declares anything):
 * - bomb: the real output passes the package budget, or inflates at a ratio
 *   no document has (`zipInflatedBytes`, `zipRatio`);
 * - part too large: one part's real output passes `xmlPartBytes` at a sane ratio;
 * - too many entries: more than `zipEntries` entries actually read;
 * - corrupt: a structure that does not parse, deflate data that does not
 *   decode, a size that differs from the directory's, a CRC mismatch.
 */
import { Inflate, inflateSync } from 'fflate';
import { ExtractError } from '../../src/contract/extractor.js';
import { DEFAULT_LIMITS, formatLimit, type Limits, overLimit } from '../../src/contract/limits.js';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** The error codes a format gives for each kind of trouble (the reader is shared; codes are per format). */
export interface ZipCodes {
  corrupt: string;
  bomb: string;
  entries: string;
  part: string;
}

export const DOCX_CODES: ZipCodes = {
  corrupt: 'docx-corrupt',
  bomb: 'docx-zip-bomb',
  entries: 'docx-too-many-entries',
  part: 'docx-part-too-large',
};

/** What one package may still inflate, and the limits it runs under. */
export interface InflateBudget {
  /** Bytes still allowed, all parts together. */
  left: number;
  readonly limits: Limits;
  readonly codes: ZipCodes;
}

export function inflateBudget(limits: Limits = DEFAULT_LIMITS, codes: ZipCodes = DOCX_CODES): InflateBudget {
  return { left: limits.zipInflatedBytes, limits, codes };
}

/** The ratio is judged only past this much output: small parts compress however they like. */
const RATIO_FLOOR = 1024 * 1024;
const CHUNK = 16 * 1024;
/**
 * Parts up to this compressed size inflate in one call into a buffer of the
 * declared size + 1 (fast: most XML parts). fflate never grows a buffer it is
 * given, so a part that inflates past its declared size overflows it and is
 * inflated again through the counting path to say what it is.
 */
const ONE_SHOT_MAX = 256 * 1024;

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

/** A zip whose first bytes were damaged still ends with its directory: true when an end record is there. */
export function hasEndRecord(b: Uint8Array): boolean {
  return findEocd(b) >= 0;
}

/**
 * Lists the entries of the central directory without inflating anything.
 * Stops with `entries` once more than `limits.zipEntries` entries have really
 * been read (a damaged count alone is not enough: the entries must be there).
 */
export function readCentralDirectory(b: Uint8Array, limits: Limits = DEFAULT_LIMITS, codes: ZipCodes = DOCX_CODES): ZipEntry[] {
  const corrupt = (msg: string) => new ExtractError(codes.corrupt, msg);
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
    if (entries.length >= limits.zipEntries) {
      throw overLimit(codes.entries, 'zipEntries', limits, `the zip has more than ${formatLimit('zipEntries', limits.zipEntries)} entries`);
    }
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

/** Inflates (or slices) one entry within the budget and checks its size and CRC. */
export function readEntry(b: Uint8Array, entry: ZipEntry, budget: InflateBudget): Uint8Array {
  const { codes } = budget;
  const corrupt = (msg: string) => new ExtractError(codes.corrupt, `${entry.name}: ${msg}`);
  if (entry.flags & 1) throw corrupt('the entry is encrypted');
  const lh = entry.localOffset;
  if (lh + 30 > b.length || u32(b, lh) !== 0x04034b50) throw corrupt('local header missing (truncated or damaged zip)');
  const start = lh + 30 + u16(b, lh + 26) + u16(b, lh + 28);
  const end = start + entry.compressedSize;
  if (end > b.length) throw corrupt('data runs past the end of the file (truncated zip)');
  const data = b.subarray(start, end);

  let out: Uint8Array;
  if (entry.method === 0) {
    if (data.length !== entry.size) throw corrupt(`stored as ${data.length} bytes but the directory says ${entry.size}`);
    checkPart(entry, data.length, budget);
    out = data;
  } else if (entry.method === 8) {
    out = inflateEntry(data, entry, budget);
  } else {
    throw corrupt(`unsupported compression method ${entry.method}`);
  }
  // Inflate cannot notice damage inside stored blocks or that still decodes: the checksum can.
  if (crc32(out) !== entry.crc) throw corrupt('checksum mismatch (the data is damaged)');
  budget.left -= out.length;
  return out;
}

/** Throws when one part is over the part limit (sane ratio: a big part, not a bomb). */
function checkPart(entry: ZipEntry, size: number, budget: InflateBudget): void {
  const { limits, codes } = budget;
  if (size > limits.xmlPartBytes) {
    throw overLimit(codes.part, 'xmlPartBytes', limits, `${entry.name} is larger than ${formatLimit('xmlPartBytes', limits.xmlPartBytes)}`);
  }
}

function inflateEntry(data: Uint8Array, entry: ZipEntry, budget: InflateBudget): Uint8Array {
  const { limits } = budget;
  // The fast path only when the declared size is within every limit; otherwise count as we go.
  if (
    data.length <= ONE_SHOT_MAX &&
    entry.size <= Math.min(budget.left, limits.xmlPartBytes, data.length * limits.zipRatio + RATIO_FLOOR)
  ) {
    let out: Uint8Array | undefined;
    try {
      out = inflateSync(data, { out: new Uint8Array(entry.size + 1) });
    } catch (e) {
      // Copying past the end of the fixed buffer is a RangeError: the part is bigger than it says.
      if (!(e instanceof RangeError))
        throw new ExtractError(budget.codes.corrupt, `${entry.name}: deflate data is damaged (${(e as Error).message})`);
    }
    if (out && out.length <= entry.size) {
      if (out.length < entry.size) {
        throw new ExtractError(budget.codes.corrupt, `${entry.name}: inflated to ${out.length} bytes but the directory says ${entry.size}`);
      }
      return out;
    }
    // Bigger than declared: inflate again, counting, to tell a bomb from damage.
  }
  return inflateCounting(data, entry, budget);
}

/**
 * Inflates chunk by chunk, stopping as soon as the real output passes a
 * limit. Only after the stream has ended cleanly is a size that differs from
 * the directory's called damage.
 */
function inflateCounting(data: Uint8Array, entry: ZipEntry, budget: InflateBudget): Uint8Array {
  const { limits, codes } = budget;
  const name = entry.name;
  const chunks: Uint8Array[] = [];
  let total = 0;
  let consumed = 0;
  let done = false;
  const inflater = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total > RATIO_FLOOR && total / Math.max(1, consumed) > limits.zipRatio) {
      throw overLimit(
        codes.bomb,
        'zipRatio',
        limits,
        `${name} inflates at more than ${formatLimit('zipRatio', limits.zipRatio)} (a zip bomb)`,
      );
    }
    if (total > budget.left) {
      throw overLimit(
        codes.bomb,
        'zipInflatedBytes',
        limits,
        `${name} inflates past ${formatLimit('zipInflatedBytes', limits.zipInflatedBytes)} for the whole package (a zip bomb)`,
      );
    }
    checkPart(entry, total, budget);
    if (chunk.length) chunks.push(chunk);
    if (final) done = true;
  });
  try {
    if (data.length === 0) throw new ExtractError(codes.corrupt, `${name}: empty deflate stream`);
    for (let o = 0; o < data.length && !done; o += CHUNK) {
      consumed = Math.min(data.length, o + CHUNK);
      inflater.push(data.subarray(o, consumed), consumed === data.length);
    }
  } catch (e) {
    if (e instanceof ExtractError) throw e;
    throw new ExtractError(codes.corrupt, `${name}: deflate data is damaged (${(e as Error).message})`);
  }
  if (!done) throw new ExtractError(codes.corrupt, `${name}: deflate stream ends early`);
  if (total !== entry.size)
    throw new ExtractError(codes.corrupt, `${name}: inflated to ${total} bytes but the directory says ${entry.size}`);
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) (out.set(c, o), (o += c.length));
  return out;
}

/** Entry names only, for sniffing: never inflates, never throws (a damaged zip lists what its local headers name). */
export function zipEntryNames(b: Uint8Array, limits: Limits = DEFAULT_LIMITS): string[] {
  try {
    return readCentralDirectory(b, limits).map((e) => e.name);
  } catch {
    // Truncated or damaged directory (or too many entries): walk the local headers from the front instead.
    const names: string[] = [];
    const utf8 = new TextDecoder('utf-8');
    let p = 0;
    while (p + 30 <= b.length && u32(b, p) === 0x04034b50 && names.length < limits.zipEntries) {
      const nameLen = u16(b, p + 26);
      names.push(utf8.decode(b.subarray(p + 30, p + 30 + nameLen)));
      const size = u32(b, p + 18);
      // With a data descriptor (flag 8) the size is unknown here: stop rather than guess.
      if (u16(b, p + 6) & 8) break;
      p += 30 + nameLen + u16(b, p + 28) + size;
    }
    // A stretch of damage can cut that walk short: the names that decide the kind, wherever they are printed.
    const raw = Buffer.from(b.buffer, b.byteOffset, b.length);
    for (const n of SIGNATURE_NAMES) if (!names.includes(n) && raw.includes(n)) names.push(n);
    return names;
  }
}

const SIGNATURE_NAMES = ['word/document.xml', 'xl/workbook.xml', 'ppt/presentation.xml', 'OFD.xml', 'META-INF/container.xml'];

export type ZipKind = 'docx' | 'xlsx' | 'pptx' | 'ofd' | 'odf' | 'epub' | 'zip';

/** What a zip package is, from its entry names: Office, OFD (GB/T 33190, China's fixed-layout format), ODF, EPUB or a plain archive. */
export function zipKind(names: readonly string[]): { kind: ZipKind; what: string } {
  const has = (re: RegExp) => names.some((n) => re.test(n));
  if (has(/^word\/[^/]+\.xml$/)) return { kind: 'docx', what: 'a Word document (docx)' };
  if (has(/^xl\/[^/]+\.xml$/)) return { kind: 'xlsx', what: 'an Excel workbook (xlsx)' };
  if (has(/^ppt\/[^/]+\.xml$/)) return { kind: 'pptx', what: 'a PowerPoint presentation (pptx)' };
  if (has(/^\/?OFD\.xml$/i)) return { kind: 'ofd', what: 'an OFD document (GB/T 33190 fixed-layout format; not supported yet)' };
  if (has(/^META-INF\/container\.xml$/)) return { kind: 'epub', what: 'an EPUB book' };
  if (has(/^content\.xml$/) && has(/^META-INF\/manifest\.xml$/)) return { kind: 'odf', what: 'an OpenDocument file (odt/ods/odp)' };
  return { kind: 'zip', what: `a zip archive of ${names.length} file(s)` };
}
