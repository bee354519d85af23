/** Every error path of the PDF extractor, and the guards (abort, page limit). */
import { describe, expect, it } from 'vitest';
import { createPdfExtractor, extractor } from '../../extractors/pdf/index.js';
import { errorCode, extract, fixture, tables } from './helpers.js';

describe('unreadable PDFs', () => {
  it('encrypted with a user password → pdf-encrypted', async () => {
    expect(await errorCode(extract(fixture('encrypted.pdf')))).toBe('pdf-encrypted');
  });

  it('encrypted with an owner password only opens like any PDF', async () => {
    const doc = await extract(fixture('encrypted-owner.pdf'));
    expect(tables(doc)).toHaveLength(1);
  });

  it('truncated → pdf-corrupt', async () => {
    expect(await errorCode(extract(fixture('truncated.pdf')))).toBe('pdf-corrupt');
  });

  it('an HTML page saved as .pdf → pdf-corrupt', async () => {
    expect(await errorCode(extract(fixture('html-as.pdf'), 'report.pdf'))).toBe('pdf-corrupt');
  });

  it('empty and random bytes → pdf-corrupt', async () => {
    expect(await errorCode(extract(new Uint8Array(0)))).toBe('pdf-corrupt');
    const noise = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 251);
    expect(await errorCode(extract(noise))).toBe('pdf-corrupt');
    expect(await errorCode(extract(new TextEncoder().encode('%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n')))).toBe('pdf-corrupt');
  });

  // Without the OCR engine (OGI_TESSERACT=0); with it, test/ocr/scans.test.ts reads these pages.
  const withoutOcr = async <T>(f: () => Promise<T>): Promise<T> => {
    const was = process.env.OGI_TESSERACT;
    process.env.OGI_TESSERACT = '0';
    try {
      return await f();
    } finally {
      if (was === undefined) delete process.env.OGI_TESSERACT;
      else process.env.OGI_TESSERACT = was;
    }
  };

  it('scanned pages without a text layer and no OCR engine → ocr-unavailable, no garbage blocks', async () => {
    expect(await withoutOcr(() => errorCode(extract(fixture('scanned.pdf'))))).toBe('ocr-unavailable');
  });

  it('a scanned page among text pages without an OCR engine is a warning, not an error; nothing else changes', async () => {
    const doc = await withoutOcr(() => extract(fixture('mixed.pdf')));
    expect(doc.meta.pages).toBe(2);
    expect(doc.meta.warnings.map((w) => w.code)).toEqual(['ocr-unavailable', 'pdf-page-no-text']);
    expect(doc.meta.warnings[0].message).toContain('tesseract');
    expect(doc.meta.warnings[1].message).toContain('page 2');
    expect(doc.meta.extractor).toBe('pdf');
    expect(doc.blocks.every((b) => b.source.page === 1)).toBe(true);
  });
});

describe('guards', () => {
  it('an aborted signal stops before reading', async () => {
    const ac = new AbortController();
    ac.abort();
    expect(await errorCode(extract(fixture('report-5p.pdf'), 'x.pdf', { signal: ac.signal }))).toBe('aborted');
  });

  it('aborting during extraction stops between pages', async () => {
    const ac = new AbortController();
    const p = extract(fixture('report-5p.pdf'), 'x.pdf', { signal: ac.signal });
    setTimeout(() => ac.abort(), 5);
    expect(await errorCode(p)).toBe('aborted');
  });

  it('checks the signal before every page', async () => {
    // A signal that turns aborted on its fourth look: the extraction must stop inside the page loop.
    let looks = 0;
    const signal = {
      get aborted() {
        return ++looks >= 4;
      },
      addEventListener() {},
      removeEventListener() {},
    } as unknown as AbortSignal;
    expect(await errorCode(extract(fixture('report-5p.pdf'), 'x.pdf', { signal }))).toBe('aborted');
    expect(looks).toBeGreaterThanOrEqual(4);
  });

  it('reads at most maxPages pages and says so', async () => {
    const doc = await createPdfExtractor({ maxPages: 2 }).extract({ bytes: fixture('report-5p.pdf'), name: 'x.pdf' }, {});
    expect(doc.meta.pages).toBe(5);
    expect(doc.meta.warnings.map((w) => w.code)).toContain('pdf-pages-truncated');
    expect(Math.max(...doc.blocks.map((b) => b.source.page ?? 0))).toBe(2);
  });

  it('does not detach or alter the caller’s bytes', async () => {
    const bytes = fixture('ruled-filled.pdf');
    const copy = bytes.slice();
    await extractor.extract({ bytes, name: 'x.pdf' }, {});
    expect(bytes.byteLength).toBe(copy.byteLength);
    expect(Buffer.from(bytes).equals(Buffer.from(copy))).toBe(true);
  });
});
