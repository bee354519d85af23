/**
 * Format → extractor. Backends are loaded on first use so that an HTML-only
 * run never pays for pdf.js or LibreOffice probing. Adding a format means
 * adding a folder under extractors/ and one line here.
 */
import type { Format } from '../model.js';
import type { Extractor } from '../contract/extractor.js';

const loaders: Record<Format, () => Promise<{ extractor: Extractor }>> = {
  html: () => import('../../extractors/html/index.js'),
  txt: () => import('../../extractors/txt/index.js'),
  docx: () => import('../../extractors/docx/index.js'),
  doc: () => import('../../extractors/doc/index.js'),
  pdf: () => import('../../extractors/pdf/index.js'),
};

const cache = new Map<Format, Promise<Extractor>>();

export function getExtractor(format: Format): Promise<Extractor> {
  let p = cache.get(format);
  if (!p) {
    p = loaders[format]().then((m) => m.extractor);
    cache.set(format, p);
  }
  return p;
}
