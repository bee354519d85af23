/**
 * The cross-report rules added for the review workbench: copied-report,
 * silent-edit and yoy-outlier, each on failing, passing, blank and unsure
 * cases (pure functions), and through a store.
 */
import { describe, expect, it } from 'vitest';
import type { CrossReportFinding, DocumentStore, ReportCandidate, StoredField, UrlEdit } from '../../src/store/store.js';
import { COPIED_MIN_NONZERO, copiedFindings, copiedReportRule, tableSignature } from '../../src/validate/copied-report.js';
import { changedFields, silentEditRule } from '../../src/validate/silent-edit.js';
import { yoyFindings, yoyOutlierRule } from '../../src/validate/yoy-outlier.js';
import { CROSS_REPORT_RULES } from '../../src/validate/cross-report.js';

const sf = (value: number | null, confidence = 0.99, raw = value === null ? '' : String(value)): StoredField => ({
  value,
  raw,
  confidence,
  flags: value === null ? ['blank'] : [],
});

/** A table-2–4 reading with `n` distinct non-zero non-total cells and a few zeros and totals. */
function tables(n: number, offset = 0): Record<string, StoredField> {
  const keys = [
    't2.normative.issued',
    't2.normative.in_force',
    't2.licensing.decisions',
    't2.penalty.decisions',
    't3.new.natural_person',
    't3.new.commercial',
    't3.granted.natural_person',
    't3.partial.natural_person',
    't3.unable_not_held.natural_person',
    't4.review.upheld',
  ];
  const out: Record<string, StoredField> = {};
  keys.forEach((k, i) => (out[k] = sf(i < n ? i + 1 + offset : 0)));
  out['t3.new.total'] = sf(100);
  out['t4.review.total'] = sf(0);
  return out;
}

const cand = (reportId: number, agency: string, year: number): ReportCandidate => ({
  reportId,
  documentId: reportId,
  agency,
  year,
  template: '2021',
  processedAt: `2025-01-0${reportId}`,
});

/** A store that answers only what the rules ask. */
function fakeStore(reports: (ReportCandidate & { fields: Record<string, StoredField> })[], edits: UrlEdit[] = []): DocumentStore {
  const byId = new Map(reports.map((r) => [r.reportId, r]));
  return {
    crossReportCandidates: async () => reports.map(({ fields: _f, ...r }) => r),
    fieldsOfReport: async (id: number, prefixes: readonly string[]) =>
      Object.fromEntries(Object.entries(byId.get(id)!.fields).filter(([k]) => !prefixes.length || prefixes.some((p) => k.startsWith(p)))),
    urlEdits: async () => edits,
  } as unknown as DocumentStore;
}

describe('copied-report', () => {
  it('fails: identical tables with enough non-zero cells, on the later report, pointing at the earlier', async () => {
    const store = fakeStore([
      { ...cand(1, '甲县财政局', 2022), fields: tables(8) },
      { ...cand(2, '乙县民政局', 2023), fields: tables(8) },
      { ...cand(3, '甲县财政局', 2023), fields: tables(8, 5) },
    ]);
    const got = await copiedReportRule.compute(store);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ rule: 'copied-report', severity: 'warning', reportId: 2, otherReportId: 1 });
    expect(got[0].keys).toHaveLength(8);
    expect(got[0].message).toContain('甲县财政局');
    expect(got[0].evidence).toMatchObject({ identical: 12, nonZero: 8 });
  });

  it('passes: one different cell, or the same report twice (same year, agency names containing one another)', async () => {
    const other = tables(8);
    other['t3.new.natural_person'] = sf(99);
    expect(
      await copiedReportRule.compute(
        fakeStore([
          { ...cand(1, 'A', 2022), fields: tables(8) },
          { ...cand(2, 'B', 2022), fields: other },
        ]),
      ),
    ).toEqual([]);
    const same = fakeStore([
      { ...cand(1, '洪泽区人民政府', 2023), fields: tables(8) },
      { ...cand(2, '淮安市洪泽区人民政府', 2023), fields: tables(8) },
    ]);
    expect(await copiedReportRule.compute(same)).toEqual([]);
  });

  it(`blank: all-zero or nearly empty tables never count (fewer than ${COPIED_MIN_NONZERO} non-zero cells, or fewer than 3 values)`, () => {
    expect(tableSignature('2021', tables(0))).toBeUndefined();
    expect(tableSignature('2021', tables(COPIED_MIN_NONZERO - 1))).toBeUndefined();
    const ones = tables(10);
    for (const k of Object.keys(ones)) if (ones[k].value) ones[k] = sf(1);
    expect(tableSignature('2021', ones)).toBeUndefined();
    expect(tableSignature('2021', tables(COPIED_MIN_NONZERO))).toBeDefined();
    // Blank and 0 print the same count.
    const blanks = tables(8);
    blanks['t4.review.total'] = sf(null);
    expect(tableSignature('2021', blanks)!.signature).toBe(tableSignature('2021', tables(8))!.signature);
  });

  it('unsure: a cell below confidence 0.8 in either report: no finding', () => {
    const unsure = tables(8);
    unsure['t3.granted.natural_person'] = sf(7, 0.5);
    expect(tableSignature('2021', unsure)).toBeUndefined();
    const a = { ...cand(1, 'A', 2022), sig: tableSignature('2021', tables(8))! };
    expect(copiedFindings([a])).toEqual([]);
  });
});

describe('yoy-outlier', () => {
  it('fails: a total ×10 or more against last year, with the factor (info)', () => {
    const got = yoyFindings({ 't3.new.total': sf(12) }, { 't3.new.total': sf(480) }, 2023);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ rule: 'yoy-outlier', severity: 'info', keys: ['t3.new.total'], expected: 12, actual: 480 });
    expect(got[0].evidence!.factor).toBe(40);
    expect(got[0].message).toContain('×40');
    // Drops count too, and from 0.
    expect(yoyFindings({ 't4.review.total': sf(300) }, { 't4.review.total': sf(3) }, 2023)[0].evidence!.factor).toBe(0.01);
    expect(yoyFindings({ 't3.new.total': sf(0) }, { 't3.new.total': sf(150) }, 2023)[0].evidence!.factor).toBeNull();
  });

  it('passes: under the factor, or both values under the minimum', () => {
    expect(yoyFindings({ 't3.new.total': sf(100) }, { 't3.new.total': sf(900) }, 2023)).toEqual([]);
    expect(yoyFindings({ 't3.new.total': sf(1) }, { 't3.new.total': sf(50) }, 2023)).toEqual([]);
  });

  it('the threshold is an option', () => {
    const opts = { factor: 3, minimum: 10 };
    expect(yoyFindings({ 't3.new.total': sf(5) }, { 't3.new.total': sf(20) }, 2023, opts)).toHaveLength(1);
  });

  it('blank and unsure cells say nothing', () => {
    expect(yoyFindings({ 't3.new.total': sf(null) }, { 't3.new.total': sf(480) }, 2023)).toEqual([]);
    expect(yoyFindings({ 't3.new.total': sf(12, 0.3) }, { 't3.new.total': sf(480) }, 2023)).toEqual([]);
    expect(yoyFindings({}, { 't3.new.total': sf(480) }, 2023)).toEqual([]);
  });

  it('through a store: same agency, consecutive years only; points at last year', async () => {
    const store = fakeStore([
      { ...cand(1, 'A', 2021), fields: { 't3.new.total': sf(10) } },
      { ...cand(2, 'A', 2023), fields: { 't3.new.total': sf(500) } },
      { ...cand(3, 'A', 2024), fields: { 't3.new.total': sf(5000) } },
      { ...cand(4, 'B', 2023), fields: { 't3.new.total': sf(5) } },
    ]);
    const got = await yoyOutlierRule().compute(store);
    expect(got.map((f) => [f.reportId, f.otherReportId])).toEqual([[3, 2]]);
  });
});

describe('silent-edit', () => {
  const edit = (before: number | null, after: number | null, hashes: [string, string] = ['h1', 'h2']): UrlEdit => ({
    url: 'https://example.gov.cn/art/2024/r1.html',
    before: {
      versionId: 1,
      documentId: 10,
      reportId: before,
      sha256: 'a'.repeat(64),
      contentHash: hashes[0],
      fetchedAt: '2025-01-20T02:30:00Z',
    },
    after: {
      versionId: 2,
      documentId: 11,
      reportId: after,
      sha256: 'b'.repeat(64),
      contentHash: hashes[1],
      fetchedAt: '2025-03-02T02:30:00Z',
    },
  });

  it('fails: lists every changed field old → new, with both dates and both documents', async () => {
    const before = { 't3.new.total': sf(28), 't3.new.natural_person': sf(20), 't4.review.total': sf(3), 't2.fees.amount': sf(null) };
    const after = { 't3.new.total': sf(31), 't3.new.natural_person': sf(23), 't4.review.total': sf(3), 't2.fees.amount': sf(1.5) };
    const store = fakeStore(
      [
        { ...cand(1, 'A', 2024), fields: before },
        { ...cand(2, 'A', 2024), fields: after },
      ],
      [edit(1, 2)],
    );
    const [f, ...rest] = await silentEditRule.compute(store);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'silent-edit', severity: 'warning', reportId: 2, otherReportId: 1 });
    expect(f.keys).toEqual(['t2.fees.amount', 't3.new.natural_person', 't3.new.total']);
    expect(f.evidence!.changes).toEqual([
      { key: 't2.fees.amount', before: null, after: 1.5, rawBefore: '' },
      { key: 't3.new.natural_person', before: 20, after: 23 },
      { key: 't3.new.total', before: 28, after: 31 },
    ]);
    expect(f.evidence!.before).toEqual({ documentId: 10, sha256: 'a'.repeat(64), fetchedAt: '2025-01-20T02:30:00Z' });
    expect(f.message).toContain('2025-01-20');
    expect(f.message).toContain('2025-03-02');
    expect(f.message).toContain('t3.new.total 28 → 31');
  });

  it('passes: same extracted content (page noise only) gives no finding; text-only edits are info', async () => {
    const fields = { 't3.new.total': sf(28) };
    const reports = [
      { ...cand(1, 'A', 2024), fields },
      { ...cand(2, 'A', 2024), fields },
    ];
    expect(await silentEditRule.compute(fakeStore(reports, [edit(1, 2, ['same', 'same'])]))).toEqual([]);
    const [f] = await silentEditRule.compute(fakeStore(reports, [edit(1, 2)]));
    expect(f).toMatchObject({ severity: 'info', keys: [] });
  });

  it('blank: versions without a report on either side are not compared', async () => {
    const store = fakeStore([{ ...cand(1, 'A', 2024), fields: { 't3.new.total': sf(28) } }], [edit(1, null), edit(null, 1)]);
    expect(await silentEditRule.compute(store)).toEqual([]);
  });

  it('unsure: a change where either reading is below 0.8 is not listed', () => {
    expect(changedFields({ 't3.new.total': sf(28, 0.3) }, { 't3.new.total': sf(31) })).toEqual([]);
    expect(changedFields({ 't3.new.total': sf(28) }, { 't3.new.total': sf(31, 0.79) })).toEqual([]);
  });
});

describe('registry', () => {
  it('every cross-report rule is recomputed after ingest and crawl', () => {
    expect(CROSS_REPORT_RULES.map((r) => r.id)).toEqual(['carryover', 'copied-report', 'silent-edit', 'yoy-outlier']);
  });

  it('findings point at both reports', async () => {
    const store = fakeStore([
      { ...cand(1, 'A', 2022), fields: tables(8) },
      { ...cand(2, 'A', 2023), fields: tables(8) },
    ]);
    const all: CrossReportFinding[] = [];
    for (const r of CROSS_REPORT_RULES.filter((x) => x.id !== 'silent-edit')) all.push(...(await r.compute(store)));
    expect(all.length).toBeGreaterThan(0);
    for (const f of all) expect(f.otherReportId).not.toBe(f.reportId);
  });
});
