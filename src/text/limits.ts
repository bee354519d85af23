/**
 * The line-length budget every reader applies to the text it hands to
 * mapping: mapping reads each paragraph and cell as one string, so one
 * 10 MB "line" costs seconds and a gigabyte however it came (a text file,
 * an HTML paragraph, a Word paragraph or cell).
 */
import type { Block } from '../model.js';
import { formatLimit, type Limits, overLimit } from '../contract/limits.js';

/** Throws `text-line-too-long` when a paragraph, heading or table cell is longer than `limits.textLineChars`. */
export function checkLineLengths(blocks: readonly Block[], limits: Limits): void {
  const max = limits.textLineChars;
  for (const b of blocks) {
    if (b.kind === 'table') {
      for (const c of b.cells)
        if (c.text.length > max) throw tooLong(c.text.length, `table ${b.index}, row ${c.row}, column ${c.col}`, limits);
    } else if (b.text.length > max) {
      throw tooLong(b.text.length, `block ${b.source.block ?? '?'}`, limits);
    }
  }
}

export function tooLong(chars: number, where: string, limits: Limits): Error {
  return overLimit(
    'text-line-too-long',
    'textLineChars',
    limits,
    `a line of ${chars.toLocaleString('en')} characters (${where}) is longer than ${formatLimit('textLineChars', limits.textLineChars)} characters`,
  );
}

/**
 * Lines and line lengths of a whole text, in one pass over its characters,
 * before it is split: 100 MB of newlines would be 100 million strings.
 * Throws `text-too-many-lines` or `text-line-too-long`.
 */
export function checkTextLines(text: string, limits: Limits): void {
  let lines = 1;
  let start = 0;
  const maxChars = limits.textLineChars;
  for (let i = text.indexOf('\n'); ; i = text.indexOf('\n', i + 1)) {
    const end = i < 0 ? text.length : i;
    if (end - start > maxChars) throw tooLong(end - start, `line ${lines}`, limits);
    if (i < 0) return;
    start = i + 1;
    if (++lines > limits.textLines) {
      throw overLimit(
        'text-too-many-lines',
        'textLines',
        limits,
        `the text has more than ${formatLimit('textLines', limits.textLines)} lines`,
      );
    }
  }
}
