/**
 * Shared by the docx and doc tests: the committed Word fixtures, their gold
 * files, and a cell-exact comparison of an extracted model with the gold.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cell, DocumentModel, TableBlock } from '../../src/model.js';
import { slots, t2LabelRows, t3LabelCol, t3RowLabel, t3Rows, T3_FIRST_ROW, type FormKind } from '../generate/word/layout.js';
import type { Gold } from '../generate/word/forms.js';

/** One shape for every gold file: the corpus's (test/fixtures/gold) and the generated fixtures'. */
export type { Gold };

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export interface Fixture {
  name: string;
  path: string;
  bytes: Uint8Array;
  gold: Gold;
  form: FormKind;
}

export function loadFixtures(kind: 'docx' | 'doc' | 'pdf-form', ext: string): Fixture[] {
  const dir = join(FIXTURES, kind);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.' + ext))
    .map((f) => {
      const name = f.slice(0, -ext.length - 1);
      const gold = JSON.parse(readFileSync(join(dir, name + '.json'), 'utf8')) as Gold;
      return { name, path: join(dir, f), bytes: new Uint8Array(readFileSync(join(dir, f))), gold, form: formOf(gold) };
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

export function formOf(gold: Gold): FormKind {
  if (gold.template === '2019') return '2019';
  return gold.absent_rows.includes('other_no_correction') ? '2021-single-other' : '2021';
}

/** The cell text the gold implies: the raw print when there is one, '' for a blank, else the number. */
export function expectedText(gold: Gold, key: string): string {
  const v = gold.fields[key];
  if (gold.raw[key] !== undefined) return gold.raw[key];
  return v === null ? '' : String(v);
}

export function tablesOf(model: DocumentModel): TableBlock[] {
  return model.blocks.filter((b): b is TableBlock => b.kind === 'table');
}

/** The origin cell whose top-left slot is (row, col), if any. */
export function originAt(t: TableBlock, row: number, col: number): Cell | undefined {
  return t.cells.find((c) => c.row === row && c.col === col);
}

/** Every grid slot is covered by at most one origin cell, and every cell lies inside the grid. */
export function overlaps(t: TableBlock): string[] {
  const seen = new Map<string, Cell>();
  const problems: string[] = [];
  for (const c of t.cells) {
    if (c.row + c.rowSpan > t.nRows || c.col + c.colSpan > t.nCols) problems.push(`cell (${c.row},${c.col}) outside ${t.nRows}x${t.nCols}`);
    for (let r = c.row; r < c.row + c.rowSpan; r++) {
      for (let k = c.col; k < c.col + c.colSpan; k++) {
        const other = seen.get(`${r},${k}`);
        if (other) problems.push(`slot (${r},${k}) covered by (${other.row},${other.col}) and (${c.row},${c.col})`);
        seen.set(`${r},${k}`, c);
      }
    }
  }
  return problems;
}

const norm = (s: string) => s.replace(/\s+/g, '');

/**
 * Compares an extracted grid model with the gold, cell by cell. Returns the
 * mismatches (empty when exact) and how many value cells matched.
 */
export function compareGrid(model: DocumentModel, fx: Fixture): { mismatches: string[]; matched: number } {
  const mismatches: string[] = [];
  let matched = 0;
  const tables = tablesOf(model);
  if (tables.length !== 3) return { mismatches: [`expected 3 tables, got ${tables.length}`], matched };
  for (const s of slots(fx.form)) {
    const cell = originAt(tables[s.table], s.row, s.col);
    const want = expectedText(fx.gold, s.key);
    if (!cell) mismatches.push(`${s.key}: no origin cell at table ${s.table} (${s.row},${s.col})`);
    else if (cell.text !== want)
      mismatches.push(`${s.key}: cell (${s.row},${s.col}) is ${JSON.stringify(cell.text)}, gold ${JSON.stringify(want)}`);
    else if (cell.rowSpan !== 1 || (s.table !== 0 && cell.colSpan !== 1))
      mismatches.push(`${s.key}: value cell spans ${cell.rowSpan}x${cell.colSpan}`);
    else matched++;
  }
  // Each value row is named by the right label, so the slot layout itself is checked against the print.
  for (const [row, label] of Object.entries(t2LabelRows(fx.form))) {
    const cell = originAt(tables[0], Number(row), 0);
    if (cell?.text !== label) mismatches.push(`table 2 row ${row}: label ${JSON.stringify(cell?.text)}, expected ${label}`);
  }
  t3Rows(fx.form).forEach((r, i) => {
    const cell = originAt(tables[1], T3_FIRST_ROW + i, t3LabelCol(r));
    if (!cell || norm(cell.text) !== norm(t3RowLabel(r)))
      mismatches.push(`table 3 row ${T3_FIRST_ROW + i}: label ${JSON.stringify(cell?.text)}, expected ${t3RowLabel(r)}`);
  });
  for (const t of tables) mismatches.push(...overlaps(t).map((p) => `table ${t.index}: ${p}`));
  return { mismatches, matched };
}
