/**
 * Scanned copies of the official forms (test/fixtures/ocr, made by
 * test/generate/ocr-fixtures.ts from test/fixtures/pdf-form with known values)
 * read end to end, cell by cell against the gold. Needs tesseract with chi_sim
 * (and pdftoppm for the mixed page); skips, saying why, when they are missing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineStatus } from '../../extractors/ocr/tesseract.js';
import { processBytes } from '../../src/pipeline/process.js';
import type { ExtractedDocument } from '../../src/contract/document.js';
import { ROOT } from '../helpers/gold.js';

const DIR = join(ROOT, 'test', 'fixtures', 'ocr');
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as Record<
  string,
  { source: string; dpi: number; rotate: number; noise: number; gold: string; docx?: boolean }
>;
const engine = await engineStatus();
if (!engine.ok) console.warn(`OCR tests skipped: ${engine.reason}`);

interface Gold {
  agency: string;
  year: number;
  template: string;
  fields: Record<string, number | null>;
}

/** Share of gold cells read exactly, at least (every scan reads 100 % today; the issue's target is 99 %). */
const FLOOR = 0.99;

/**
 * Findings each scan must produce: the planted filing errors that are localised (each cell of the failing
 * sum adds up in another), and nothing else; a break that is not localised cannot be told from a misreading.
 */
const EXPECTED_FINDINGS: Record<string, string[]> = {
  't3-localised-200': ['t3-balance:t3.carried_forward.natural_person', 't3-balance:t3.carried_forward.total'],
};

function compare(doc: ExtractedDocument, gold: Gold) {
  let exact = 0;
  const confidentWrong: string[] = [];
  for (const [key, want] of Object.entries(gold.fields)) {
    const f = doc.fields[key];
    if (!f) continue;
    if (f.value === want) exact++;
    else if (f.confidence >= 0.5) confidentWrong.push(`${key}: ${want} read ${f.value} at ${f.confidence}`);
  }
  return { exact: exact / Object.keys(gold.fields).length, confidentWrong };
}

// OCR takes seconds a page, many more on a loaded machine.
describe.skipIf(!engine.ok)('scanned official forms (OCR)', { timeout: 600_000 }, () => {
  for (const [name, m] of Object.entries(manifest)) {
    it(`${name}: ${m.dpi} dpi${m.rotate ? `, turned ${m.rotate}°` : ''}${m.noise ? ', noise' : ''}: cells exact, none wrong with confidence`, async () => {
      const gold = JSON.parse(readFileSync(join(DIR, m.gold), 'utf8')) as Gold;
      const file = `${name}.${m.docx ? 'docx' : 'pdf'}`;
      const { doc } = await processBytes({ bytes: readFileSync(join(DIR, file)), name: file });
      expect(doc.errors).toEqual([]);
      expect(doc.extractor).toBe(m.docx ? 'docx:ocr' : 'pdf:ocr');
      expect(doc.report).toMatchObject({ agency: gold.agency, year: gold.year, template: gold.template });
      const { exact, confidentWrong } = compare(doc, gold);
      expect(confidentWrong).toEqual([]);
      expect(exact).toBeGreaterThanOrEqual(FLOOR);
      for (const f of Object.values(doc.fields)) {
        expect(f.source.method).toBe('ocr-ruled');
        if (m.docx) {
          // Pictures in a Word file: the package part and the pixels.
          expect(f.source.image).toMatch(/^word\/media\/page\d\.png$/);
          expect(f.source.pixels).toHaveLength(4);
        } else {
          expect(f.source.page).toBeGreaterThan(0);
          expect(f.source.bbox).toHaveLength(4);
        }
      }
      expect(doc.findings.map((f) => `${f.rule}:${f.keys[f.keys.length - 1]}`).sort()).toEqual(EXPECTED_FINDINGS[name] ?? []);
    });
  }

  it('t4-error (wrong 总计 printed in table 4): no finding, the cells of the failing sums below 0.5', async () => {
    // Table 4's sums share no cell with another identity: a failure there cannot be told from a misreading.
    const { doc } = await processBytes({ bytes: readFileSync(join(DIR, 't4-error-200-skew.pdf')), name: 't4.pdf' });
    expect(doc.findings).toEqual([]);
    for (const k of ['t4.review.total', 't4.review.upheld', 't4.litigation_after_review.total']) {
      expect(doc.fields[k]?.confidence, k).toBeLessThan(0.5);
      expect(doc.fields[k]?.flags, k).toContain('identity-failed');
    }
    // Where the sums hold, the values are trusted.
    expect(doc.fields['t4.litigation_direct.total'].confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('t3-cell-error (one cell printed 5 too high): its row and column sums fail together, no finding, those cells below 0.5', async () => {
    const { doc } = await processBytes({ bytes: readFileSync(join(DIR, 't3-cell-error-150.pdf')), name: 't3.pdf' });
    expect(doc.findings).toEqual([]);
    for (const k of ['t3.granted.commercial', 't3.granted.total', 't3.total.commercial']) {
      expect(doc.fields[k]?.confidence, k).toBeLessThan(0.5);
      expect(doc.fields[k]?.flags, k).toContain('identity-failed');
    }
  });

  it('a scanned page among text pages is read by OCR', async () => {
    const { doc } = await processBytes({ bytes: readFileSync(join(ROOT, 'test/fixtures/pdf/mixed.pdf')), name: 'mixed.pdf' });
    expect(doc.errors).toEqual([]);
    expect(doc.extractor).toBe('pdf:ocr');
    expect(doc.warnings.map((w) => w.code)).toContain('ocr-pages');
  });
});

describe('without the OCR engine', () => {
  it('a scanned PDF gets ocr-unavailable and nothing else', async () => {
    const was = process.env.OGI_TESSERACT;
    process.env.OGI_TESSERACT = '0';
    try {
      const { doc } = await processBytes({ bytes: readFileSync(join(DIR, 'filled-150.pdf')), name: 'filled-150.pdf' });
      expect(doc.errors.map((e) => e.code)).toEqual(['ocr-unavailable']);
      expect(doc.errors[0].message).toMatch(/tesseract/);
      expect(doc.fields).toEqual({});
      expect(doc.report).toBeNull();
    } finally {
      if (was === undefined) delete process.env.OGI_TESSERACT;
      else process.env.OGI_TESSERACT = was;
    }
  });

  it('a binary that does not exist is reported as such', async () => {
    const was = process.env.OGI_TESSERACT;
    process.env.OGI_TESSERACT = '/nonexistent/tesseract';
    try {
      const status = await engineStatus();
      expect(status.ok).toBe(false);
      expect(status.reason).toContain('OGI_TESSERACT=/nonexistent/tesseract');
    } finally {
      if (was === undefined) delete process.env.OGI_TESSERACT;
      else process.env.OGI_TESSERACT = was;
    }
  });
});
