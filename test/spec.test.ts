/** src/spec/fields.ts is the data form of spec/fields.tsv: the two must agree line for line. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIELD_KEYS, FIELD_SPECS } from '../src/spec/fields.js';
import { ROOT } from './helpers/gold.js';

describe('canonical fields', () => {
  it('src/spec/fields.ts matches spec/fields.tsv (key, table, templates, labels, unit, order)', () => {
    const [header, ...lines] = readFileSync(join(ROOT, 'test/fixtures/spec/fields.tsv'), 'utf8').trim().split(/\r?\n/);
    expect(header.split('\t')).toEqual(['key', 'table', 'templates', 'row_label', 'column_label', 'unit']);
    const tsv = lines.map((l) => {
      const [key, table, templates, rowLabel, columnLabel, unit] = l.split('\t');
      return { key, table, templates: templates.split(/[\s,]+/), rowLabel, columnLabel, unit };
    });
    expect(FIELD_SPECS.map((f) => ({ ...f, templates: [...f.templates] }))).toEqual(tsv);
    expect(FIELD_KEYS.size).toBe(tsv.length);
  });
});
