import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { extractor } from '../../extractors/html/index.js';
import type { ExtractOptions } from '../../src/contract/extractor.js';
import type { Cell, DocumentModel, TableBlock } from '../../src/model.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function fixture(name: string): Uint8Array {
  return readFileSync(join(ROOT, 'test', 'fixtures', 'html', name));
}

export function extract(bytes: Uint8Array | string, options: ExtractOptions = {}, contentType?: string): Promise<DocumentModel> {
  const b = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  return extractor.extract({ bytes: b, name: 'test.html', contentType }, options);
}

export function tables(doc: DocumentModel): TableBlock[] {
  return doc.blocks.filter((b): b is TableBlock => b.kind === 'table');
}

export function cellAt(t: TableBlock, row: number, col: number): Cell | undefined {
  return t.cells.find((c) => c.row === row && c.col === col);
}

/** Text of the origin cell at (row, col); fails when no cell starts there. */
export function textAt(t: TableBlock, row: number, col: number): string {
  const c = cellAt(t, row, col);
  if (!c) throw new Error(`table ${t.index}: no cell starts at (${row}, ${col})`);
  return c.text;
}

export function paragraphs(doc: DocumentModel): string[] {
  return doc.blocks.flatMap((b) => (b.kind === 'table' ? [] : [b.text]));
}

/** Everything a reader of the model can see: block texts and cell texts. */
export function allText(doc: DocumentModel): string {
  return doc.blocks.map((b) => (b.kind === 'table' ? b.cells.map((c) => c.text).join('|') : b.text)).join('\n');
}

/**
 * Model invariants every table must satisfy: origin cells inside the grid,
 * no two cells covering the same slot, sources that point at the cell, and
 * block/table indices in document order.
 */
export function checkModel(doc: DocumentModel): void {
  let tableIndex = 0;
  doc.blocks.forEach((b, i) => {
    if (b.kind !== 'table') {
      expect(b.source.block).toBe(i);
      expect(b.text).toBe(b.text.trim());
      expect(b.text).not.toBe('');
      return;
    }
    expect(b.index).toBe(tableIndex++);
    expect(b.source.table).toBe(b.index);
    expect(b.structure).toBe('grid');
    expect(b.method).toBe('html-table');
    const seen = new Set<string>();
    for (const c of b.cells) {
      expect(c.source).toEqual({ table: b.index, row: c.row, col: c.col });
      expect(c.rowSpan).toBeGreaterThanOrEqual(1);
      expect(c.colSpan).toBeGreaterThanOrEqual(1);
      expect(c.row + c.rowSpan).toBeLessThanOrEqual(b.nRows);
      expect(c.col + c.colSpan).toBeLessThanOrEqual(b.nCols);
      for (let r = c.row; r < c.row + c.rowSpan; r++) {
        for (let k = c.col; k < c.col + c.colSpan; k++) {
          const slot = `${r},${k}`;
          expect(seen.has(slot), `slot ${slot} of table ${b.index} covered twice`).toBe(false);
          seen.add(slot);
        }
      }
    }
  });
}
