/**
 * Bytes → page text for the HTML backend: src/text/decode.ts plus the checks
 * that turn an unreadable page into a clear ExtractError instead of a model
 * full of mojibake.
 */
import type { Message } from '../../src/model.js';
import { ExtractError } from '../../src/contract/extractor.js';
import { decodeBytes } from '../../src/text/decode.js';

/** Above this share of U+FFFD/control characters the text is not a page. */
export const MAX_BAD_RATIO = 0.1;

export interface PageText {
  text: string;
  encoding: string;
  encodingSource: string;
  warnings: Message[];
}

/** Share of CJK characters among the non-ASCII ones in a sample: low means a wrong single-byte decode. */
function cjkShare(text: string): { nonAscii: number; share: number } {
  let nonAscii = 0;
  let cjk = 0;
  const n = Math.min(text.length, 200_000);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80 || c === 0xa0) continue;
    nonAscii++;
    if ((c >= 0x2e80 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xffef) || (c >= 0xfe30 && c <= 0xfe4f)) cjk++;
    else if (c >= 0x2000 && c <= 0x206f) cjk++; // general punctuation (“” — …) is common in Chinese text
  }
  return { nonAscii, share: nonAscii ? cjk / nonAscii : 1 };
}

export function decodePage(bytes: Uint8Array, name: string, contentType?: string): PageText {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    throw new ExtractError('not-decodable', `${name}: gzip-compressed bytes (a Content-Encoding that was not undone), not HTML text`);
  }
  const d = decodeBytes(bytes, { contentType, html: true });
  if (d.badRatio > MAX_BAD_RATIO) {
    throw new ExtractError(
      'not-decodable',
      `${name}: ${(d.badRatio * 100).toFixed(1)}% of the characters are invalid or control characters when read as ${d.encoding} (${d.source}); binary data or an unknown encoding`,
    );
  }
  const warnings: Message[] = [];
  if (d.declared) {
    warnings.push({
      code: 'charset-mismatch',
      message: `declared charset ${d.declared} contradicts the bytes; decoded as ${d.encoding} (${d.source})`,
    });
  }
  if (d.badRatio > 0) {
    warnings.push({
      code: 'decode-replacements',
      message: `${(d.badRatio * 100).toFixed(2)}% of the characters did not decode cleanly as ${d.encoding}`,
    });
  }
  const { nonAscii, share } = cjkShare(d.text);
  if (nonAscii >= 50 && share < 0.3) {
    warnings.push({
      code: 'encoding-suspect',
      message: `only ${(share * 100).toFixed(0)}% of the non-ASCII characters are CJK when read as ${d.encoding}; the text may be mojibake`,
    });
  }
  return { text: d.text, encoding: d.encoding, encodingSource: d.source, warnings };
}
