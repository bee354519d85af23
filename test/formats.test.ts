/**
 * Word and PDF reports end to end: the official 2021 Word form filled with
 * known values (test/generate/word-fixtures.ts), as DOCX, as .doc and as the
 * PDF LibreOffice prints from it. Every gold cell exact; findings exactly the
 * filing errors planted in form2021-t4-error.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSoffice } from '../extractors/doc/soffice.js';
import { processBytes } from '../src/pipeline/process.js';
import { ROOT, diffAgainstGold, loadGold } from './helpers/gold.js';

const soffice = findSoffice();

function fixtures(dir: string, ext: string) {
  const base = join(ROOT, 'test/fixtures', dir);
  return readdirSync(base)
    .filter((f) => f.endsWith(ext))
    .map((f) => ({ file: join(base, f), gold: loadGold(join(base, f.replace(ext, '.json'))) }));
}

/**
 * Findings each fixture must raise: only the planted filing error. Its
 * narrative states the true 行政复议 count (4) beside the misprinted 总计 (0),
 * so text-vs-table finds that too.
 */
const expectedFindings = (name: string) =>
  name.startsWith('form2021-t4-error')
    ? ['t4-sum:t4.litigation_after_review.total', 't4-sum:t4.review.total', 'text-vs-table:t4.review.total']
    : [];

async function check(file: string, gold: ReturnType<typeof loadGold>, minConfidence: number) {
  const { doc } = await processBytes({ bytes: readFileSync(file), name: file });
  expect(doc.errors).toEqual([]);
  expect(doc.report).toMatchObject({ agency: gold.agency, year: gold.year, template: gold.template });
  expect(diffAgainstGold(doc, gold)).toEqual([]);
  for (const [key, f] of Object.entries(doc.fields)) expect(f.confidence, key).toBeGreaterThanOrEqual(minConfidence);
  const name = file.split('/').pop()!;
  expect(doc.findings.map((f) => `${f.rule}:${f.keys.at(-1)}`).sort()).toEqual(expectedFindings(name));
  return doc;
}

describe('DOCX filled from the official form', () => {
  for (const { file, gold } of fixtures('docx', '.docx')) {
    it(`${gold.file}: every gold cell exact, with table/row/col sources`, async () => {
      const doc = await check(file, gold, 0.9);
      const f = doc.fields['t3.new.total'];
      expect(f.source).toMatchObject({ method: 'docx-table' });
      expect(f.source.table).toBeTypeOf('number');
      expect(f.source.row).toBeTypeOf('number');
      expect(f.source.col).toBeTypeOf('number');
    });
  }
});

describe('PDF printed from the official form (LibreOffice)', () => {
  for (const { file, gold } of fixtures('pdf-form', '.pdf')) {
    it(`${gold.file}: every gold cell exact, with page and bbox`, async () => {
      const doc = await check(file, gold, 0.9);
      for (const f of Object.values(doc.fields)) {
        expect(f.source.page).toBeGreaterThanOrEqual(1);
        expect(f.source.bbox).toHaveLength(4);
      }
    });
  }
});

describe('.doc (Word 97-2003)', () => {
  const docs = fixtures('doc', '.doc');
  for (const { file, gold } of docs.filter((d) => /filled|single-other|2019/.test(d.file))) {
    it.skipIf(!soffice.path)(`${gold.file} through LibreOffice: every gold cell exact`, async () => {
      const doc = await check(file, gold, 0.9);
      expect(doc.extractor).toBe('doc:soffice');
    });
  }
  for (const { file, gold } of docs) {
    it(`${gold.file} without LibreOffice: never a confident wrong number, every value flagged`, async () => {
      const old = process.env.OGI_SOFFICE;
      process.env.OGI_SOFFICE = '0';
      try {
        const { doc } = await processBytes({ bytes: readFileSync(file), name: file });
        expect(doc.extractor).toBe('doc:text');
        expect(doc.warnings.map((w) => w.code)).toContain('doc-text-only');
        expect(doc.report).toMatchObject({ agency: gold.agency, year: gold.year });
        // Right or wrong, no value read this way is confident.
        for (const [key, f] of Object.entries(doc.fields)) {
          expect(f.confidence, key).toBeLessThan(0.5);
          expect(f.flags, key).toContain('doc-text-fallback');
        }
        // Unsure cells never turn into findings against the filing.
        expect(doc.findings).toEqual([]);
      } finally {
        if (old === undefined) delete process.env.OGI_SOFFICE;
        else process.env.OGI_SOFFICE = old;
      }
    });
  }
});

describe('PDF without ruling lines (the official form printed borderless)', () => {
  const base = join(ROOT, 'test/fixtures/pdf-borderless');
  for (const f of readdirSync(base).filter((x) => x.endsWith('.pdf'))) {
    it(`${f}: tables from alignment are never confident, and never blame the filing`, async () => {
      const gold = JSON.parse(readFileSync(join(base, f.replace('.pdf', '.json')), 'utf8')) as { fields: Record<string, number | null> };
      const { doc } = await processBytes({ bytes: readFileSync(join(base, f)), name: f });
      expect(Object.keys(doc.fields).length).toBeGreaterThan(0);
      let right = 0;
      for (const [key, field] of Object.entries(doc.fields)) {
        expect(field.source.method, key).toBe('pdf-aligned');
        expect(field.flags, key).toContain('layout-inferred');
        expect(field.confidence, key).toBeLessThan(0.5);
        if (field.value === gold.fields[key]) right++;
      }
      // Some cells are read right; the point is that the wrong ones are not trusted.
      expect(right).toBeGreaterThan(0);
      expect(doc.findings).toEqual([]);
    });
  }
});
