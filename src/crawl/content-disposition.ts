/**
 * The file name a download announces in Content-Disposition, as Chinese
 * portals send it:
 * - `filename*=UTF-8''%E5%B9%B4…` (RFC 6266/5987);
 * - `filename="=?UTF-8?B?…?="` (RFC 2047 words, sent to some browsers);
 * - `filename="…"` with the raw bytes of GBK (the Java idiom
 *   `new String(name.getBytes("GB2312"), "ISO8859-1")`) or UTF-8, or percent-encoded.
 * Header values arrive as latin1 characters, one per byte (fetch's ByteString),
 * so the raw bytes can be recovered and decoded: UTF-8 when valid, else GB18030.
 */
import iconv from 'iconv-lite';

function decodeBytes(raw: string): string {
  const bytes = Buffer.from(raw, 'latin1');
  if (!bytes.some((b) => b >= 0x80)) return raw;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return iconv.decode(bytes, 'gb18030');
  }
}

function percentDecode(s: string, charset: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%' && /^[0-9a-f]{2}$/i.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(s[i], 'latin1'));
  }
  const buf = Buffer.from(bytes);
  return /^utf-?8$/i.test(charset) || !charset
    ? decodeBytes(buf.toString('latin1'))
    : iconv.decode(buf, iconv.encodingExists(charset) ? charset : 'gb18030');
}

function rfc2047(s: string): string {
  return s.replace(/=\?([\w-]+)\?([BQ])\?([^?]*)\?=/gi, (_, charset: string, enc: string, text: string) => {
    const bytes =
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : Buffer.from(
            text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (__, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          );
    return iconv.decode(bytes, iconv.encodingExists(charset) ? charset : 'utf-8');
  });
}

/** The file name in a Content-Disposition header, decoded; undefined when there is none. */
export function dispositionFilename(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const star = header.match(/filename\*\s*=\s*([\w-]*)'[^']*'([^;]+)/i);
  if (star) return clean(percentDecode(star[2].trim().replace(/^"|"$/g, ''), star[1]));
  const plain = header.match(/filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i);
  if (!plain) return undefined;
  let name = (plain[1] ?? plain[2] ?? '').trim().replace(/\\(.)/g, '$1');
  if (/=\?[\w-]+\?[BQ]\?/i.test(name)) name = rfc2047(name);
  else if (/%[0-9a-f]{2}/i.test(name) && !/[\x80-\xff]/.test(name)) name = percentDecode(name, 'utf-8');
  else name = decodeBytes(name);
  return clean(name);
}

function clean(name: string): string | undefined {
  const base = name.split(/[\\/]/).pop()?.trim();
  return base ? base : undefined;
}

/** A download's name from its URL (Hanweb downfile.jsp?showname=…&filename=…). */
export function urlFilename(url: string): string | undefined {
  try {
    const u = new URL(url);
    for (const k of ['showname', 'fileName', 'filename', 'name']) {
      const v = u.searchParams.get(k);
      if (v && /\.\w{2,5}$/.test(v)) return clean(v);
    }
  } catch {
    // not a URL
  }
  return undefined;
}
