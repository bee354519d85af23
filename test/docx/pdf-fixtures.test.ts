/**
 * The committed PDF conversions print exactly the gold values: pdftotext's
 * layout text of each table region holds the gold numbers, no more, no fewer.
 * (Not in order: a cell whose text sits on another baseline, e.g. beside a
 * wrapped label, comes out earlier or later in reading order.)
 * Checks the fixtures, not an extractor (the PDF extractor has its own tests).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { expectedText, loadFixtures } from './fixtures.js';
import { slots } from '../generate/word/layout.js';

const hasPdftotext = spawnSync('sh', ['-c', 'command -v pdftotext'], { encoding: 'utf8' }).status === 0;
const fixtures = loadFixtures('pdf-form', 'pdf');
const SECTIONS = [
  '二、主动公开政府信息情况',
  '三、收到和处理政府信息公开申请情况',
  '四、政府信息公开行政复议、行政诉讼情况',
  '五、存在的主要问题及改进情况',
];

describe('PDF fixtures', () => {
  it('are all there, each with its gold', () => {
    expect(fixtures).toHaveLength(8);
  });

  for (const fx of fixtures) {
    it.skipIf(!hasPdftotext)(
      `${fx.name}: each table region prints exactly the gold values${hasPdftotext ? '' : ' (skipped: pdftotext from poppler-utils is not installed)'}`,
      () => {
        const text = spawnSync('pdftotext', ['-layout', fx.path, '-'], { encoding: 'utf8' }).stdout;
        const at = SECTIONS.map((s) => text.indexOf(s));
        expect(at.every((i) => i >= 0)).toBe(true);
        for (let t = 0; t < 3; t++) {
          const region = text.slice(at[t] + SECTIONS[t].length, at[t + 1]);
          const printed = [...region.matchAll(/(?<![\d.])-?\d+(?:\.\d+)?(?![\d.])/g)].map((m) => m[0]).sort();
          const want = slots(fx.form)
            .filter((s) => s.table === t)
            .sort((a, b) => a.row - b.row || a.col - b.col)
            .map((s) => expectedText(fx.gold, s.key).replace(/元$/, ''))
            .filter((v) => v !== '')
            .sort();
          expect(printed, `table ${t + 2}`).toEqual(want);
        }
      },
    );
  }
});
