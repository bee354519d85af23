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
