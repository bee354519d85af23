/**
 * word-extractor's plain text → blocks. The text is all we have on this
 * path: cell ends and row ends both arrive as '\t', paragraph marks (also
 * inside cells) as '\n', and merged cells leave empty slots. Rows are rebuilt
 * from what the text still shows, so tables get structure 'rows'.
 */
import type { Block, Cell, TableBlock } from '../../src/model.js';

/** A value-like token: a number with optional sign, separators and unit, a dash, or nothing. */
const VALUE = /^[-+−－]?[0-9０-９][0-9０-９,，.．]*\s*(元|万元|件|项|个|%|％)?$|^[-—–/／\\]*$/;

function isLabel(token: string): boolean {
  const t = token.trim();
  return t !== '' && !VALUE.test(t);
}

/**
 * Splits a table's tokens into rows. A row ends at a line break that follows
 * a cell end ('\t\n'), or where a label follows an empty cell or a value:
 * Word writes the row end as one more cell end, so "…592\t\t二、上年结转…"
 * is a row end followed by the next row's label.
 */
function splitRows(tokens: { text: string; rowStart: boolean }[]): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let sawValue = false;
  let sawText = false;
  for (const tok of tokens) {
    const label = isLabel(tok.text);
    const prev = row[row.length - 1];
    // Empty cells that open a row are merged-cell continuations of that row, not the end of the last one.
    const breakHere = row.length > 0 && (tok.rowStart || (label && (sawValue || (sawText && prev.trim() === ''))));
    if (breakHere) {
      rows.push(row);
      row = [];
      sawValue = false;
      sawText = false;
    }
    row.push(tok.text);
    if (!label && tok.text.trim() !== '') sawValue = true;
    if (tok.text.trim() !== '') sawText = true;
  }
  if (row.length) rows.push(row);
  return rows;
}

export function textToBlocks(body: string): Block[] {
  const blocks: Block[] = [];
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  let tableIndex = 0;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.includes('\t')) {
      const t = line.trim();
      if (t) blocks.push({ kind: 'paragraph', text: t, source: { block: blocks.length, line: i + 1 }, method: 'doc-text' });
      i++;
      continue;
    }
    // A table: tab lines, plus tab-less lines that continue a multi-paragraph cell.
    const first = i;
    const tokens: { text: string; rowStart: boolean }[] = [];
    let rowStart = true;
    let carry = '';
    for (; i < lines.length; i++) {
      const l = lines[i];
      const prevEndsCell = i > first && lines[i - 1].endsWith('\t');
      if (i > first && prevEndsCell && !l.includes('\t')) break;
      const parts = l.split('\t');
      // The line break before this line was a paragraph mark inside a cell unless the previous line ended a cell.
      if (i > first && !prevEndsCell) parts[0] = carry + '\n' + parts[0];
      else if (i > first) rowStart = true;
      carry = '';
      // The last part is either '' after a final cell end, or a cell whose paragraphs continue on the next line.
      for (const p of parts.slice(0, -1)) {
        tokens.push({ text: p, rowStart });
        rowStart = false;
      }
      if (!l.endsWith('\t')) carry = parts[parts.length - 1];
    }
    if (carry) tokens.push({ text: carry, rowStart });
    const rows = splitRows(tokens);
    const cells: Cell[] = [];
    rows.forEach((r, ri) =>
      r.forEach((text, ci) =>
        cells.push({ row: ri, col: ci, rowSpan: 1, colSpan: 1, text: text.trim(), source: { table: tableIndex, row: ri, col: ci } }),
      ),
    );
    const table: TableBlock = {
      kind: 'table',
      index: tableIndex,
      structure: 'rows',
      nRows: rows.length,
      nCols: rows.reduce((m, r) => Math.max(m, r.length), 0),
      cells,
      source: { table: tableIndex, block: blocks.length, line: first + 1 },
      method: 'doc-text',
    };
    tableIndex++;
    blocks.push(table);
  }
  return blocks;
}
