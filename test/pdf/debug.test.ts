/** The debug SVG, and how pdf.js is driven (no glyph outlines compiled, caller's bytes untouched). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDebugSvg } from '../../extractors/pdf/debug.js';
import { documentParams, pdfjs } from '../../extractors/pdf/load.js';
import { ROOT, fixture } from './helpers.js';

const corpus = () => new Uint8Array(readFileSync(join(ROOT, 'corpus', 'hzq2023_working.pdf')));

describe('renderDebugSvg', () => {
  it('draws glyphs, rulings and every cell of the page with its row/col label', async () => {
    const svg = await renderDebugSvg(corpus(), 4);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="595" height="842"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    // Page 4 holds the end of table 3 (9 x 10 slots on this page, 75 cells) and table 4 (34 cells).
    expect(svg.match(/<g class="table" data-method="pdf-ruled">/g)).toHaveLength(2);
    expect(svg).toContain('>r0c0 8×1<');
    expect(svg).toContain('>r3c14<');
    expect((svg.match(/>r\d+c\d+( \d+×\d+)?</g) ?? []).length).toBe(75 + 34);
    expect(svg).toContain('>结<');
    expect(svg).toMatch(/<g class="rulings"[^>]*>\n<line /);
  });

  it('marks aligned tables in their own colour and escapes text', async () => {
    const svg = await renderDebugSvg(fixture('borderless.pdf'), 1);
    expect(svg).toContain('data-method="pdf-aligned"');
    expect(svg).not.toMatch(/>[^<]*&(?!amp;|lt;|gt;|quot;)[^<]*</);
  });

  it('refuses a page outside the document', async () => {
    await expect(renderDebugSvg(corpus(), 6)).rejects.toThrow(RangeError);
  });
});

describe('pdf.js setup', () => {
  it('compiles no glyph outlines while reading operator lists', async () => {
    const lib = await pdfjs();
    const doc = await lib.getDocument(documentParams(corpus())).promise;
    try {
      const page = await doc.getPage(3);
      await page.getOperatorList({ annotationMode: lib.AnnotationMode.DISABLE });
      const ids = [...(page.commonObjs as unknown as Iterable<[string, unknown]>)].map(([id]) => id);
      expect(ids.some((id) => id.includes('_f'))).toBe(true); // the fonts are there
      expect(ids.filter((id) => id.includes('_path_'))).toEqual([]);
    } finally {
      await doc.destroy();
    }
  });
});
