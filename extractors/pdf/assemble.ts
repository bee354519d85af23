/** Page blocks → the document model's blocks, with table and block numbering. */
import type { Block, Cell, TableBlock, TextBlock } from '../../src/model.js';
import type { Box, PageBlock } from './types.js';

const round = (b: Box): Box => b.map((v) => Math.round(v * 100) / 100) as Box;

export function toModelBlocks(blocks: PageBlock[]): Block[] {
  const out: Block[] = [];
  let tableIndex = 0;
  for (const b of blocks) {
    if (b.kind === 'table') {
      const index = tableIndex++;
      const cells: Cell[] = b.cells
        .slice()
        .sort((x, y) => x.row - y.row || x.col - y.col)
        .map((c) => ({
          row: c.row,
          col: c.col,
          rowSpan: c.rowSpan,
          colSpan: c.colSpan,
          text: c.text,
          source: {
            ...(c.image ? { image: c.image } : { page: c.page, bbox: round(c.bbox) }),
            ...(c.pixels ? { pixels: c.pixels } : {}),
            table: index,
            row: c.row,
            col: c.col,
          },
          ...(c.reading ? { reading: c.reading } : {}),
        }));
      const t: TableBlock = {
        kind: 'table',
        index,
        structure: b.method === 'pdf-aligned' ? 'rows' : 'grid',
        nRows: b.nRows,
        nCols: b.nCols,
        cells,
        source: b.image ? { image: b.image, table: index } : { page: b.page, bbox: round(b.bbox), table: index },
        method: b.method,
      };
      if (b.continues) t.continues = true;
      out.push(t);
    } else {
      const t: TextBlock = {
        kind: b.kind,
        text: b.text,
        source: b.image
          ? { image: b.image, ...(b.pixels ? { pixels: b.pixels } : {}), block: out.length }
          : { page: b.page, bbox: round(b.bbox), block: out.length },
        method: b.method ?? 'pdf-text',
      };
      if (b.level !== undefined) t.level = b.level;
      out.push(t);
    }
  }
  return out;
}
