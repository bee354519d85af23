/**
 * Plain text and Markdown reports into the document model.
 *
 * Recognised table shapes (each becomes a TableBlock with structure 'rows',
 * because text never tells us real column spans):
 * - one cell per line: every cell on its own tab-indented line, rows separated
 *   by blank lines (copied from web pages; the seed report) → method 'txt-cells';
 * - Markdown pipe tables (PDF-to-Markdown converters) → 'md-table';
 * - rows whose cells are separated by tabs or runs of 2+ spaces → 'txt-delimited'.
 * Every other non-blank line is a paragraph; Markdown '#' lines are headings.
 */
import type { Block, DocumentModel } from '../../src/model.js';
import { ExtractError, type Extractor, throwIfAborted } from '../../src/contract/extractor.js';
import { decodeBytes } from '../../src/text/decode.js';
import { limitsOf } from '../../src/contract/limits.js';
import { checkTextLines } from '../../src/text/limits.js';
import { splitLines, tableFromRows, type LineRow } from './lines.js';
import { readHeader } from './header.js';

/** One cell per line: a single leading tab, no other tab (a lone tab is a blank cell). */
const CELL_LINE = /^\t[^\t]*$/;
/** A row with cells separated by tabs (empty fields between tabs are blank cells and are kept). */
function isTabRow(line: string): boolean {
  // Plain string tests: a backtracking regex is quadratic on the one-line pages crawlers produce.
  return line.includes('\t') && line.trim() !== '';
}
const PIPE_LINE = /^\s*\|.*\|\s*$/;
const PIPE_SEPARATOR = /^\s*\|(\s*:?-{2,}:?\s*\|)+\s*$/;

function splitPipeRow(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((c) => c.replace(/\\\|/g, '|').trim());
}

function splitDelimited(line: string): string[] {
  if (line.includes('\t'))
    return line
      .replace(/[\r\n]+$/, '')
      .split('\t')
      .map((c) => c.trim());
  return line
    .trim()
    .split(/\s{2,}/)
    .map((c) => c.trim());
}

function isDelimitedRow(line: string): boolean {
  return isTabRow(line) || /\S\s{2,}\S/.test(line.trim());
}

export const extractor: Extractor = {
  format: 'txt',
  async extract(input, options) {
    throwIfAborted(options.signal, input.name);
    const decoded = decodeBytes(input.bytes, { contentType: input.contentType });
    if (decoded.badRatio > 0.05) {
      throw new ExtractError(
        'not-decodable',
        `the text does not decode in any supported encoding (${Math.round(decoded.badRatio * 100)}% invalid characters as ${decoded.encoding})`,
      );
    }
    checkTextLines(decoded.text, limitsOf(options));
    const lines = splitLines(decoded.text);
    const header = readHeader(lines);
    const blocks: Block[] = [];
    let tableIndex = 0;
    const pushTable = (rows: LineRow[], method: string) => {
      blocks.push(tableFromRows(rows, tableIndex++, blocks.length, method));
    };

    let i = header.bodyStart;
    while (i < lines.length) {
      const line = lines[i];
      if (CELL_LINE.test(line)) {
        // One cell per line: runs of tab-indented lines; a blank line ends a row.
        const rows: LineRow[] = [];
        let current: LineRow | null = null;
        while (i < lines.length && (CELL_LINE.test(lines[i]) || lines[i].trim() === '')) {
          if (CELL_LINE.test(lines[i])) {
            current ??= { cells: [], line: i + 1 };
            current.cells.push({ text: lines[i].slice(1).trim(), line: i + 1 });
          } else if (current) {
            rows.push(current);
            current = null;
          }
          i++;
        }
        if (current) rows.push(current);
        pushTable(rows, 'txt-cells');
        continue;
      }
      if (PIPE_LINE.test(line)) {
        const rows: LineRow[] = [];
        while (i < lines.length && PIPE_LINE.test(lines[i])) {
          if (!PIPE_SEPARATOR.test(lines[i])) {
            rows.push({ line: i + 1, cells: splitPipeRow(lines[i]).map((text) => ({ text, line: i + 1 })) });
          }
          i++;
        }
        if (rows.length) pushTable(rows, 'md-table');
        continue;
      }
      if (isDelimitedRow(line) && i + 1 < lines.length && isDelimitedRow(lines[i + 1])) {
        const rows: LineRow[] = [];
        // Inside a tab table a line of tabs alone is a row of blank cells (a form printed blank for zeros).
        const blankTabRow = (l: string) => /^\t{2,}$/.test(l);
        while (
          i < lines.length &&
          ((lines[i].trim() !== '' && isDelimitedRow(lines[i])) || blankTabRow(lines[i])) &&
          !CELL_LINE.test(lines[i])
        ) {
          rows.push({ line: i + 1, cells: splitDelimited(lines[i]).map((text) => ({ text, line: i + 1 })) });
          i++;
        }
        pushTable(rows, 'txt-delimited');
        continue;
      }
      const text = line.trim();
      if (text) {
        const md = text.match(/^(#{1,6})\s+(.*)$/);
        blocks.push({
          kind: md ? 'heading' : 'paragraph',
          text: md ? md[2] : text,
          ...(md ? { level: md[1].length } : {}),
          source: { block: blocks.length, line: i + 1 },
          method: 'txt-line',
        });
      }
      i++;
    }
    return {
      format: 'txt',
      meta: {
        title: header.title,
        encoding: decoded.encoding,
        encodingSource: decoded.source,
        extractor: 'txt',
        warnings:
          decoded.source === 'fallback'
            ? [{ code: 'encoding-guessed', message: 'encoding not declared or detected; read as gb18030' }]
            : [],
      },
      blocks,
    };
  },
};
