/**
 * Crawler dumps start with "key: value" lines and a separator before the body
 * (e.g. "标题: …" … "==== 正文 ===="). The title there is the page's own title.
 */
const SEPARATOR = /^={3,}.*正文.*={3,}\s*$|^-{3,}\s*$/;
const TITLE = /^\s*(?:标题|题目|title)\s*[:：]\s*(.+?)\s*$/i;
const KEY_VALUE = /^\s*[^\s:：]{1,12}\s*[:：]/;

export interface TextHeader {
  title?: string;
  /** Index of the first body line. */
  bodyStart: number;
}

export function readHeader(lines: string[]): TextHeader {
  const limit = Math.min(lines.length, 30);
  for (let i = 0; i < limit; i++) {
    if (SEPARATOR.test(lines[i])) {
      const head = lines.slice(0, i);
      // Only a block of key: value lines counts as a header.
      if (head.filter((l) => l.trim()).every((l) => KEY_VALUE.test(l) || !/\S/.test(l) || l.length < 60)) {
        const title = head.map((l) => l.match(TITLE)?.[1]).find(Boolean);
        return { title, bodyStart: i + 1 };
      }
      break;
    }
  }
  const first = lines
    .slice(0, 5)
    .map((l) => l.match(TITLE)?.[1])
    .find(Boolean);
  return { title: first, bodyStart: 0 };
}
