/**
 * Bytes → text for HTML and plain-text reports (and crawled pages).
 *
 * Order, as measured on this corpus (see notes/dependencies.md): BOM, the HTTP
 * charset, the <meta> charset, a strict UTF-8 decode, jschardet on the
 * non-ASCII bytes only (detectors misread markup-heavy GBK pages when given
 * the whole buffer), and finally gb18030, a superset of GBK and GB2312.
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
}

/** Labels that mean the Chinese national encodings: decode them all as gb18030, the superset. */
const GB_ALIASES = new Set(['gbk', 'gb2312', 'gb_2312-80', 'gb18030', 'x-gbk', 'cp936', 'euc-cn', 'csgb2312', 'hz-gb-2312', 'windows-936']);

export function normaliseCharset(label: string | undefined | null): string | undefined {
  if (!label) return undefined;
  const l = label.trim().toLowerCase().replace(/^["']|["']$/g, '');
  if (!l) return undefined;
  if (GB_ALIASES.has(l)) return 'gb18030';
  if (l === 'utf8' || l === 'unicode-1-1-utf-8') return 'utf-8';
  return iconv.encodingExists(l) ? l : undefined;
}

export function charsetFromContentType(contentType: string | undefined): string | undefined {
  const m = contentType?.match(/charset\s*=\s*["']?([\w.:-]+)/i);
  return normaliseCharset(m?.[1]);
}

/** Finds <meta charset> or <meta http-equiv content="…charset=…"> in the first 64 KiB, read as latin1. */
export function charsetFromMeta(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 65536)).toString('latin1');
  const re = /<meta\b[^>]*>/gi;
  for (let m = re.exec(head); m; m = re.exec(head)) {
    const tag = m[0];
    const direct = tag.match(/\bcharset\s*=\s*["']?\s*([\w.:-]+)/i);
    if (direct) {
      const cs = normaliseCharset(direct[1]);
      if (cs) return cs;
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

function decodeWith(bytes: Uint8Array, encoding: string, skip = 0): string {
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset + skip, bytes.length - skip), encoding);
}

function result(text: string, encoding: string, source: string): Decoded {
  return { text, encoding, source, badRatio: badCharRatio(text) };
}

export interface DecodeHints {
  contentType?: string;
  /** Look for <meta charset> (HTML only). */
  html?: boolean;
}

export function decodeBytes(bytes: Uint8Array, hints: DecodeHints = {}): Decoded {
  const bom = bomEncoding(bytes);
  if (bom) return result(decodeWith(bytes, bom[0], bom[1]), bom[0], 'bom');

  const http = charsetFromContentType(hints.contentType);
  if (http) return result(decodeWith(bytes, http), http, 'http');

  if (hints.html) {
    const meta = charsetFromMeta(bytes);
    // A page that declares gb2312 but is valid UTF-8 with non-ASCII bytes is
    // almost always a re-saved page whose meta was not updated: trust the bytes.
    if (meta) {
      const utf = meta !== 'utf-8' ? tryUtf8(bytes) : undefined;
      if (utf !== undefined && /[^\x00-\x7f]/.test(utf)) return result(utf, 'utf-8', 'utf8-valid');
      return result(decodeWith(bytes, meta), meta, 'meta');
    }
  }

  const utf = tryUtf8(bytes);
  if (utf !== undefined) return result(utf, 'utf-8', 'utf8-valid');

  // Only the non-ASCII bytes: markup drowns the detector otherwise.
  const high = Buffer.from(bytes.filter((b) => b >= 0x80).subarray(0, 65536));
  const guess = high.length ? jschardet.detect(high) : undefined;
  const detected = normaliseCharset(guess?.encoding);
  if (detected && detected !== 'utf-8' && (guess?.confidence ?? 0) >= 0.2) {
    return result(decodeWith(bytes, detected), detected, 'detected');
  }
  return result(decodeWith(bytes, 'gb18030'), 'gb18030', 'fallback');
}
