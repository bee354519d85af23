/** Shared helpers for the PDF extractor tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractor } from '../../extractors/pdf/index.js';
import type { ExtractOptions } from '../../src/contract/extractor.js';
import type { Cell, DocumentModel, TableBlock, TextBlock } from '../../src/model.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'pdf');

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)));
}

export function extract(bytes: Uint8Array, name = 'x.pdf', options: ExtractOptions = {}): Promise<DocumentModel> {
  return extractor.extract({ bytes, name }, options);
}

export { errorCode } from '../helpers/errors.js';

export function tables(doc: DocumentModel): TableBlock[] {
  return doc.blocks.filter((b): b is TableBlock => b.kind === 'table');
}

export function texts(doc: DocumentModel): TextBlock[] {
  return doc.blocks.filter((b): b is TextBlock => b.kind !== 'table');
}

/** [row, col, rowSpan, colSpan, text] origin cells, sorted. */
export type CellTuple = [number, number, number, number, string];

export function tuples(t: TableBlock): CellTuple[] {
  return t.cells.map((c): CellTuple => [c.row, c.col, c.rowSpan, c.colSpan, c.text]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** The origin cell covering a grid slot. */
export function at(t: TableBlock, row: number, col: number): Cell | undefined {
  return t.cells.find((c) => row >= c.row && row < c.row + c.rowSpan && col >= c.col && col < c.col + c.colSpan);
}

export function cellByText(t: TableBlock, text: string): Cell | undefined {
  return t.cells.find((c) => c.text === text);
}

/** Cell texts that are plain numbers, as numbers. */
export function numbers(t: TableBlock): number[] {
  return t.cells.filter((c) => /^-?\d+(\.\d+)?$/.test(c.text.trim())).map((c) => Number(c.text.trim()));
}

export function loadJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
