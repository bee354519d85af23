/**
 * Generated variants of the form: known values rendered in several HTML and
 * text layouts (test/generate/synth), read back cell-exact. Covers GBK with
 * and without a declared charset, blank-for-zero, label typos, the single
 * （六） row, the 2019 form, portal chrome, Word markup and flattened text.
 */
import { describe, expect, it } from 'vitest';
import { processBytes } from '../src/pipeline/process.js';
import {
  breakIdentity,
  expectedFields,
  randomReport,
  renderHtml,
  renderRunTogether,
  renderText,
  HTML_LAYOUTS,
  IDENTITY_RULES,
  TEXT_LAYOUTS,
  type RenderedFile,
  type SynthReport,
} from './generate/synth/index.js';

async function read(file: RenderedFile) {
  const { doc } = await processBytes({ bytes: file.bytes, name: file.name, contentType: file.contentType });
  return doc;
}

function diff(doc: Awaited<ReturnType<typeof read>>, r: SynthReport) {
  const want = expectedFields(r);
  const out: string[] = [];
  for (const [k, v] of Object.entries(want)) {
    const f = doc.fields[k];
    if (!f) out.push(`${k}: missing (want ${v})`);
    else if (f.value !== v) out.push(`${k}: got ${f.value} from "${f.raw}", want ${v}`);
  }
  for (const k of Object.keys(doc.fields)) if (!(k in want)) out.push(`${k}: not in the document`);
  return out;
}

const SEEDS = [1, 2, 3, 5, 8, 13, 21, 34];
const VARIANTS: [string, (seed: number) => SynthReport][] = [
  ['2021 form', (s) => randomReport(s, { template: '2021', singleOther: false, typos: false, blankForZero: false })],
  ['2021 with the single （六） row', (s) => randomReport(s, { template: '2021', singleOther: true })],
  ['2019 form', (s) => randomReport(s, { template: '2019' })],
  ['blank for zero', (s) => randomReport(s, { blankForZero: true, scale: 'tiny' })],
  ['label typos', (s) => randomReport(s, { typos: true })],
  ['Shanghai-style totals only in main rows', (s) => randomReport(s, { template: '2019', blankForZero: true, totalsOnlyMainRows: true })],
  ['annotated cells', (s) => randomReport(s, { template: '2021', annotate: true })],
];

/** Every layout with its renderer; the seed salt keeps HTML and text cases on different reports. */
const LAYOUTS: [string, (r: SynthReport) => RenderedFile, number][] = [
  ...HTML_LAYOUTS.map(
    (l) => [`HTML ${l}`, (r: SynthReport) => renderHtml(r, l), 7 + l.length] as [string, (r: SynthReport) => RenderedFile, number],
  ),
  ...TEXT_LAYOUTS.map(
    (l) => [`text ${l}`, (r: SynthReport) => renderText(r, l), 11 + l.length] as [string, (r: SynthReport) => RenderedFile, number],
  ),
];

describe.each(VARIANTS)('%s', (_name, make) => {
  for (const [layout, render, salt] of LAYOUTS) {
    it(`${layout}: every cell exact, no findings`, async () => {
      for (const seed of SEEDS.slice(0, 4)) {
        const r = make(seed * salt);
        const doc = await read(render(r));
        expect(doc.errors, `seed ${seed}`).toEqual([]);
        expect(diff(doc, r), `seed ${seed}`).toEqual([]);
        expect(doc.report).toMatchObject({ agency: r.agency, year: r.year, template: r.template });
        expect(doc.findings, `seed ${seed}`).toEqual([]);
      }
    });
  }
});

describe('a report whose printed numbers break an identity gets exactly the right findings', () => {
  for (const rule of IDENTITY_RULES) {
    it(rule, async () => {
      for (const seed of SEEDS) {
        // Half the reports print blanks for zeros: a blank total hides its identity, and that must hold end to end.
        const base = randomReport(seed, { scale: seed % 3 ? 'medium' : 'tiny', blankForZero: seed % 2 === 0 });
        const { report, expectedFindings } = breakIdentity(base, rule, seed);
        const layout = HTML_LAYOUTS[seed % HTML_LAYOUTS.length];
        const doc = await read(renderHtml(report, layout));
        // Which cells a finding names matters, not the order it lists them in.
        const got = doc.findings.map((f) => ({ rule: f.rule, keys: [...f.keys].sort(), expected: f.expected, actual: f.actual }));
        const sortKey = (f: { rule: string; keys: string[] }) => `${f.rule}|${f.keys.join(',')}`;
        expect(
          got.sort((a, b) => sortKey(a).localeCompare(sortKey(b))),
          `seed ${seed} ${layout}`,
        ).toEqual(expectedFindings.map((f) => ({ ...f, keys: [...f.keys].sort() })).sort((a, b) => sortKey(a).localeCompare(sortKey(b))));
      }
    });
  }
});

describe('cells run together by a crawler', () => {
  it('never a confident wrong number', async () => {
    for (const seed of SEEDS) {
      const r = randomReport(seed);
      const doc = await read(renderRunTogether(r));
      const want = expectedFields(r);
      for (const [k, f] of Object.entries(doc.fields)) {
        expect(k in want, k).toBe(true);
        if (f.value !== want[k]) expect(f.confidence, `${k} seed ${seed}`).toBeLessThan(0.5);
      }
      expect(doc.findings).toEqual([]);
    }
  });
});
