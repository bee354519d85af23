/**
 * A stop is not a property of the document: every extractor ends a stopped
 * read with the same ExtractError('aborted'), which the pipeline never stores.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Format } from '../../src/model.js';
import { getExtractor } from '../../src/extract/registry.js';
import { errorCode } from '../helpers/errors.js';

const samples: Record<Format, string> = {
  html: 'corpus/shanghai_office_2019.html',
  txt: 'corpus/000_97b5ed2afefa8716.txt',
  docx: 'test/fixtures/docx/form2021-filled.docx',
  doc: 'test/fixtures/doc/form2021-filled.doc',
  pdf: 'corpus/hzq2023_working.pdf',
};

describe('every extractor stops with ExtractError("aborted")', () => {
  for (const [format, file] of Object.entries(samples) as [Format, string][]) {
    it(`${format}: a signal aborted before the read`, async () => {
      const extractor = await getExtractor(format);
      const ac = new AbortController();
      ac.abort(new Error('SIGTERM'));
      expect(await errorCode(extractor.extract({ bytes: readFileSync(file), name: file }, { signal: ac.signal }))).toBe('aborted');
    });
  }
});
