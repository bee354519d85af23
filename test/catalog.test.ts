/** Every key mapping can build from the label catalog is a key of spec/fields.tsv: a label can never invent a key. */
import { describe, expect, it } from 'vitest';
import { T2_COLUMNS, T2_DEFAULT_COLUMNS, T3_ALL_ROWS, T3_COLUMNS, T4_COLUMNS, T4_GROUPS } from '../src/mapping/catalog.js';
import { FIELD_KEYS, FIELD_SPECS } from '../src/spec/fields.js';

describe('label catalog', () => {
  it('table 3: every row × column is a canonical key, and every canonical t3 key has its row and column', () => {
    const built = T3_ALL_ROWS.flatMap((r) => T3_COLUMNS.map((c) => `t3.${r.id}.${c.id}`));
    expect(built.filter((k) => !FIELD_KEYS.has(k))).toEqual([]);
    expect(FIELD_SPECS.filter((f) => f.table === 't3' && !built.includes(f.key)).map((f) => f.key)).toEqual([]);
  });

  it('table 4: every group × column is a canonical key, and nothing else is', () => {
    const built = T4_GROUPS.flatMap((g) => T4_COLUMNS.map((c) => `t4.${g.id}.${c.id}`));
    expect(built.filter((k) => !FIELD_KEYS.has(k))).toEqual([]);
    expect(FIELD_SPECS.filter((f) => f.table === 't4' && !built.includes(f.key)).map((f) => f.key)).toEqual([]);
  });

  it('table 2: the default columns of each form are canonical keys of that form', () => {
    for (const form of ['2019', '2021'] as const) {
      for (const [row, cols] of Object.entries(T2_DEFAULT_COLUMNS[form])) {
        for (const col of cols) {
          const spec = FIELD_SPECS.find((f) => f.key === `t2.${row}.${col}`);
          expect(spec, `t2.${row}.${col}`).toBeDefined();
          expect(spec!.templates).toContain(form);
        }
      }
    }
    // Every column id the header matcher can produce names a real key of some row.
    for (const c of T2_COLUMNS)
      expect(
        [...FIELD_KEYS].some((k) => k.startsWith('t2.') && k.endsWith(`.${c.id}`)),
        c.id,
      ).toBe(true);
  });
});
