/**
 * Bytes → text for HTML and plain-text reports (and crawled pages).
 *
 * Order, as measured on real portal pages (test/html/decode.test.ts keeps the cases): BOM, the HTTP
 * charset, the <meta> charset, a strict UTF-8 decode, jschardet on the
 * non-ASCII bytes only (detectors misread markup-heavy GBK pages when given
 * the whole buffer; a cheap GB-shape check runs first), and finally gb18030,
 * a superset of GBK and GB2312.
 *
 * Declarations are checked against the bytes, because on this corpus they are
 * often wrong: servers send a default charset (GBK, ISO-8859-1) for pages
 * re-saved as UTF-8, and mirrors keep a `charset=utf-8` meta on GBK bytes.
 * A declaration the bytes contradict is dropped and recorded in `declared`.
 */
import iconv from 'iconv-lite';
import jschardet from 'jschardet';

export interface Decoded {
  text: string;
  encoding: string;
  /** bom | http | meta | utf8-valid | detected | fallback */
  source: string;
  /** Share of characters that are U+FFFD or C0 controls other than \t\r\n\f. */
  badRatio: number;
  /** A declared charset (HTTP or meta) that the bytes contradicted and that was not used. */
  declared?: string;
}

/** Labels that mean the Chinese national encodings: decode them all as gb18030, the superset. */
const GB_ALIASES = new Set(['gbk', 'gb2312', 'gb_2312-80', 'gb18030', 'x-gbk', 'cp936', 'euc-cn', 'csgb2312', 'hz-gb-2312', 'windows-936']);

/** Server defaults (Tomcat, IIS) that say nothing about a page with non-ASCII bytes. */
const WESTERN_DEFAULTS = new Set(['iso-8859-1', 'iso8859-1', 'latin1', 'l1', 'windows-1252', 'cp1252', 'us-ascii', 'ascii']);

/** Multi-byte CJK encodings jschardet may name on weak evidence; anything else needs a confident guess. */
const CJK_MULTIBYTE = new Set(['gb18030', 'big5', 'big5hkscs', 'shift_jis', 'euc-jp', 'euc-kr']);

export function normaliseCharset(label: string | undefined | null): string | undefined {
  if (!label) return undefined;
  const l = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  if (!l) return undefined;
  if (GB_ALIASES.has(l)) return 'gb18030';
  if (l === 'utf8' || l === 'unicode-1-1-utf-8') return 'utf-8';
  return iconv.encodingExists(l) ? l : undefined;
}

export function charsetFromContentType(contentType: string | undefined): string | undefined {
  const m = contentType?.match(/charset\s*=\s*["']?([\w.:-]+)/i);
  return normaliseCharset(m?.[1]);
}

/**
 * Finds <meta charset> or <meta http-equiv content="…charset=…"> in the first 64 KiB, read as latin1.
 * A meta that names UTF-16 was itself read as ASCII, so it means UTF-8 (HTML spec, "prescan").
 */
export function charsetFromMeta(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 65536)).toString('latin1');
  const re = /<meta\b[^>]*>/gi;
  for (let m = re.exec(head); m; m = re.exec(head)) {
    const tag = m[0];
    const direct = tag.match(/\bcharset\s*=\s*["']?\s*([\w.:-]+)/i);
    if (direct) {
      const cs = normaliseCharset(direct[1]);
      if (cs) return cs.startsWith('utf-16') || cs.startsWith('utf16') ? 'utf-8' : cs;
    }
  }
  return undefined;
}

function bomEncoding(bytes: Uint8Array): [string, number] | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return ['utf-8', 3];
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return ['utf-16le', 2];
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return ['utf-16be', 2];
  return undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

function tryUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

export function badCharRatio(text: string): number {
  if (text.length === 0) return 0;
  let bad = 0;
  const n = Math.min(text.length, 200_000);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd || (c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12)) bad++;
  }
  return bad / n;
}

function hasNonAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) return true;
  return false;
}

/**
 * Counts well-formed multi-byte UTF-8 sequences and invalid bytes, stopping
 * early once the bytes are clearly not UTF-8. Lead/continuation structure only
 * (no overlong or surrogate checks): it decides "mostly UTF-8", nothing more.
 */
function utf8Shape(bytes: Uint8Array): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    let ok = need > 0;
    for (let k = 1; ok && k <= need; k++) ok = i + k < bytes.length && (bytes[i + k] & 0xc0) === 0x80;
    if (ok) {
      valid++;
      i += need + 1;
    } else {
      invalid++;
      i++;
      if (invalid > 64 && invalid > valid * 0.02) break;
    }
  }
  return { valid, invalid };
}

/**
 * UTF-8 with a few broken sequences: a download cut mid-character, one stray
 * byte. Such pages must not fall through to gb18030, which decodes UTF-8 bytes
 * into fluent-looking mojibake with no replacement characters at all.
 */
function mostlyUtf8(bytes: Uint8Array): boolean {
  const { valid, invalid } = utf8Shape(bytes);
  return valid >= 8 && invalid <= valid * 0.01;
}

function decodeWith(bytes: Uint8Array, encoding: string, skip = 0): string {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset + skip, bytes.length - skip);
  return encoding === 'utf-8' ? lenientUtf8.decode(view) : iconv.decode(view, encoding);
}

function result(text: string, encoding: string, source: string, declared?: string): Decoded {
  const r: Decoded = { text, encoding, source, badRatio: badCharRatio(text) };
  if (declared && declared !== encoding) r.declared = declared;
  return r;
}

/** At most `max` bytes ≥ 0x80, in order: what jschardet sees. */
function highBytes(bytes: Uint8Array, max = 65536): Buffer {
  const out = Buffer.allocUnsafe(Math.min(max, bytes.length));
  let n = 0;
  for (let i = 0; i < bytes.length && n < max; i++) if (bytes[i] >= 0x80) out[n++] = bytes[i];
  return out.subarray(0, n);
}

/**
 * Chinese text in GBK/GB18030 is almost all GB2312-shaped double bytes (lead
 * 0xA1–0xF7, trail 0xA1–0xFE). Big5 fails this (about 40% of its trails are
 * below 0x7F) and so do single-byte encodings. Checking the shape first spares
 * ordinary GBK pages a jschardet run, which costs 3–8 ms whatever the sample.
 */
function looksGb(bytes: Uint8Array, maxPairs = 4096): boolean {
  let pairs = 0;
  let gb = 0;
  for (let i = 0; i < bytes.length && pairs < maxPairs; ) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    pairs++;
    const t = bytes[i + 1];
    if (b >= 0xa1 && b <= 0xf7 && t !== undefined && t >= 0xa1 && t <= 0xfe) gb++;
    i += b >= 0x81 && b <= 0xfe && t !== undefined ? 2 : 1;
  }
  return pairs >= 4 && gb >= pairs * 0.95;
}

/**
 * UTF-16 saved without a BOM: every character's high byte sits on the same
 * side, and in Chinese text it is one of few values (0x00 for ASCII such as
 * newlines and digits, 0x30 for CJK punctuation, 0x4E–0x9F for ideographs,
 * 0xFF for full-width forms, 0x20–0x27 for quotes, dashes and ①). Judged on
 * the first 64 KiB; undefined when the bytes do not have that shape (a NUL
 * flood has NULs on both sides, binary data spreads its high bytes).
 */
export function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(bytes.length, 65536) & ~1;
  if (n < 16) return undefined;
  const pairs = n / 2;
  for (const [high, low, encoding] of [
    [1, 0, 'utf-16le'],
    [0, 1, 'utf-16be'],
  ] as const) {
    let highNul = 0;
    let lowNul = 0;
    let plausible = 0;
    for (let i = 0; i < n; i += 2) {
      const h = bytes[i + high];
      if (h === 0) highNul++;
      if (bytes[i + low] === 0) lowNul++;
      if (h === 0 || (h >= 0x20 && h <= 0x27) || h === 0x30 || (h >= 0x4e && h <= 0x9f) || h >= 0xfe) plausible++;
    }
    if (highNul >= Math.max(2, pairs * 0.005) && lowNul <= pairs * 0.15 && plausible >= pairs * 0.9) return encoding;
  }
  return undefined;
}

/** The chain used when nothing is declared, or when the declaration was wrong. */
function undeclared(bytes: Uint8Array, declared?: string): Decoded {
  const utf16 = utf16WithoutBom(bytes);
  if (utf16) return result(decodeWith(bytes, utf16), utf16, 'detected', declared);
  const utf = tryUtf8(bytes);
  if (utf !== undefined) return result(utf, 'utf-8', 'utf8-valid', declared);
  if (mostlyUtf8(bytes)) return result(decodeWith(bytes, 'utf-8'), 'utf-8', 'detected', declared);

  if (looksGb(bytes)) return result(decodeWith(bytes, 'gb18030'), 'gb18030', 'detected', declared);
  // Only the non-ASCII bytes: markup drowns the detector otherwise.
  const high = highBytes(bytes);
  const guess = high.length ? jschardet.detect(high) : undefined;
  const detected = normaliseCharset(guess?.encoding);
  const confidence = guess?.confidence ?? 0;
  if (detected && detected !== 'utf-8' && confidence >= (CJK_MULTIBYTE.has(detected) ? 0.2 : 0.5)) {
    return result(decodeWith(bytes, detected), detected, 'detected', declared);
  }
  return result(decodeWith(bytes, 'gb18030'), 'gb18030', 'fallback', declared);
}

/** Decodes with a declared charset unless the bytes say otherwise. */
function declaredDecode(bytes: Uint8Array, charset: string, source: string): Decoded {
  if (charset !== 'utf-8') {
    // Valid UTF-8 with non-ASCII bytes is almost never a coincidence: the page
    // was re-saved as UTF-8 and its meta (or the server default) was not updated.
    const utf = tryUtf8(bytes);
    if (utf !== undefined && hasNonAscii(bytes)) return result(utf, 'utf-8', 'utf8-valid', charset);
  }
  const decl = result(decodeWith(bytes, charset), charset, source);
  if (decl.badRatio <= 0.005) return decl;
  // The declaration yields garbage (e.g. charset=utf-8 on GBK bytes): take the
  // undeclared reading if it is cleaner.
  const alt = undeclared(bytes, charset);
  return alt.badRatio < decl.badRatio ? alt : decl;
}

export interface DecodeHints {
  contentType?: string;
  /** Look for <meta charset> (HTML only). */
  html?: boolean;
}

export function decodeBytes(bytes: Uint8Array, hints: DecodeHints = {}): Decoded {
  const bom = bomEncoding(bytes);
  if (bom) return result(decodeWith(bytes, bom[0], bom[1]), bom[0], 'bom');

  const nonAscii = hasNonAscii(bytes);
  let ignored: string | undefined;
  const http = charsetFromContentType(hints.contentType);
  if (http && WESTERN_DEFAULTS.has(http) && nonAscii) ignored = http;
  else if (http) return declaredDecode(bytes, http, 'http');

  if (hints.html) {
    const meta = charsetFromMeta(bytes);
    if (meta) {
      const d = declaredDecode(bytes, meta, 'meta');
      if (ignored && !d.declared) d.declared = ignored;
      return d;
    }
  }
  return undeclared(bytes, ignored);
}
