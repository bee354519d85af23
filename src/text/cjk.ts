/**
 * Chinese text has no spaces between words: a line break inside Chinese text
 * is a wrap, not a word boundary. Shared by every reader that joins lines.
 */

/** Chinese, Japanese and Korean characters, their punctuation and full-width forms. */
export function isCjk(ch: string | undefined): boolean {
  if (!ch) return false;
  const c = ch.codePointAt(0)!;
  return (
    (c >= 0x2e80 && c <= 0x9fff) || // radicals, CJK punctuation, kana, unified ideographs
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xffef) || // full-width forms
    (c >= 0x2010 && c <= 0x2027) || // dashes, quotes and ellipsis used in Chinese text
    (c >= 0xac00 && c <= 0xd7af) ||
    c >= 0x20000
  );
}

function lastChar(s: string): string | undefined {
  const a = Array.from(s);
  return a[a.length - 1];
}

/**
 * Joins wrapped lines: where Chinese meets the wrap on either side the lines
 * join directly ('商业' + '企业' → '商业企业'); anything else keeps `sep`, so
 * that two numbers never run together ('10' + '5' stays '10\n5').
 */
export function joinLines(texts: string[], sep = '\n'): string {
  let out = '';
  for (const t of texts) {
    if (!t) continue;
    if (!out) out = t;
    else out += isCjk(lastChar(out)) || isCjk(Array.from(t)[0]) ? t : sep + t;
  }
  return out;
}
