/**
 * text-vs-table: a number the narrative states against the table cell it
 * names. Failing, passing, blank and unsure cases on hand-built models; the
 * traps (another quantity, another year, a subunit); the corpus; and
 * generated reports with agreeing restatements, traps and planted
 * contradictions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Field, ReportMeta } from '../../src/contract/document.js';
import type { DocumentModel } from '../../src/model.js';
import { processBytes } from '../../src/pipeline/process.js';
import { statementsOf, textVsTable } from '../../src/validate/text-vs-table.js';
import { measureTextVsTable } from '../bench/text-vs-table.js';
import { ROOT } from '../helpers/gold.js';

function field(value: number | null, confidence = 0.99, raw = value === null ? '' : String(value)): Field {
  return { value, raw, confidence, flags: value === null ? ['blank'] : [], source: { method: 'html-table', table: 1, row: 3, col: 9 } };
}

const REPORT: ReportMeta = { agency: '某某市某某局', year: 2023, template: '2021', title: '某某市某某局2023年政府信息公开工作年度报告' };

function model(...paragraphs: string[]): DocumentModel {
  return {
    format: 'html',
    meta: { extractor: 'html', warnings: [] },
    blocks: [
      { kind: 'heading', text: REPORT.title!, source: { block: 0 }, method: 'html' },
      ...paragraphs.map((text, i) => ({ kind: 'paragraph' as const, text, source: { block: i + 1 }, method: 'html' })),
    ],
  };
}

const FIELDS = (): Record<string, Field> => ({
  't3.new.total': field(28),
  't3.carried_over.total': field(2),
  't4.review.total': field(3),
  't2.fees.amount': field(1.52, 0.99, '1.52'),
  't2.normative.issued': field(7),
  't2.normative.in_force': field(120),
});

describe('text-vs-table', () => {
  it('fails: the text states another number than the table, with the sentence located and the cell named', () => {
    const text = '2023年，我局共收到政府信息公开申请31件，均在法定期限内答复。';
    const got = textVsTable(model('一、总体情况', text), FIELDS(), REPORT);
    expect(got).toHaveLength(1);
    const f = got[0];
    expect(f).toMatchObject({ rule: 'text-vs-table', severity: 'error', expected: 28, actual: 31 });
    expect(f.keys).toEqual(['t3.new.total', 't3.carried_over.total']);
    expect(f.message).toContain('31');
    expect(f.message).toContain('28');
    const ev = f.evidence!.text!;
    expect(ev.block).toBe(2);
    expect(text.slice(ev.chars[0], ev.chars[1])).toBe(ev.sentence);
    expect(ev.sentence).toContain('收到政府信息公开申请31件');
    expect(text.slice(ev.number[0], ev.number[1])).toBe('31');
  });

  it('passes: the same number, or (收到/受理) the number with 上年结转 added', () => {
    expect(textVsTable(model('全年共收到政府信息公开申请28件。'), FIELDS(), REPORT)).toEqual([]);
    expect(textVsTable(model('本年度共受理政府信息公开申请30件（含上年结转2件）。'), FIELDS(), REPORT)).toEqual([]);
    // 新收 names only the new requests: 30 no longer fits.
    expect(textVsTable(model('本年新收政府信息公开申请30件。'), FIELDS(), REPORT)).toHaveLength(1);
  });

  it('each quantity: review, fees (万元 and 元, rounded), normative documents', () => {
    const f = FIELDS();
    expect(textVsTable(model('因政府信息公开被申请行政复议3件。'), f, REPORT)).toEqual([]);
    expect(textVsTable(model('因政府信息公开被申请行政复议5件。'), f, REPORT).map((x) => x.keys)).toEqual([['t4.review.total']]);
    expect(textVsTable(model('全年行政事业性收费金额1.5万元。'), f, REPORT)).toEqual([]);
    expect(textVsTable(model('全年行政事业性收费15200元。'), f, REPORT)).toEqual([]);
    expect(textVsTable(model('全年行政事业性收费2.5万元。'), f, REPORT).map((x) => x.expected)).toEqual([1.52]);
    expect(textVsTable(model('本年制发行政规范性文件7件，现行有效行政规范性文件120件。'), f, REPORT)).toEqual([]);
    expect(textVsTable(model('本年制发行政规范性文件9件，现行有效行政规范性文件120件。'), f, REPORT).map((x) => x.keys)).toEqual([
      ['t2.normative.issued'],
    ]);
  });

  it('blank: a blank, dashed or missing cell says nothing', () => {
    const f = FIELDS();
    f['t3.new.total'] = field(null);
    expect(textVsTable(model('全年共收到政府信息公开申请31件。'), f, REPORT)).toEqual([]);
    delete f['t3.new.total'];
    expect(textVsTable(model('全年共收到政府信息公开申请31件。'), f, REPORT)).toEqual([]);
  });

  it('unsure: no finding from a cell below confidence 0.8, nor when an unsure 上年结转 could make it fit', () => {
    const f = FIELDS();
    f['t3.new.total'] = field(28, 0.79);
    expect(textVsTable(model('全年共收到政府信息公开申请31件。'), f, REPORT)).toEqual([]);
    const g = FIELDS();
    g['t3.carried_over.total'] = field(2, 0.3);
    expect(textVsTable(model('全年共收到政府信息公开申请31件。'), g, REPORT)).toEqual([]);
  });

  it('traps: another quantity, year, subunit, channel, approximate count, unit or the agency as reviewer are not compared', () => {
    const traps = [
      '其中，通过网上申请31件。',
      '申请数量较上年增加31件。',
      '2022年收到政府信息公开申请31件。',
      '区卫生健康局收到政府信息公开申请31件。',
      '全年收取信息处理费31元。',
      '清理行政规范性文件31件。',
      '作为复议机关，全年办理行政复议案件31件，收到行政复议申请31件。',
      '全年收到政府信息公开申请31余件。',
      '全年受理政府信息公开申请31件次。',
      '自2008年以来累计收到政府信息公开申请3100件。',
      '下一步，力争将行政事业性收费控制在31万元以内。',
      '行政复议案件31件。', // not about 信息公开: an agency may be the reviewer
    ];
    const m = model(...traps);
    expect(statementsOf(m, REPORT)).toEqual([]);
    expect(textVsTable(m, FIELDS(), REPORT)).toEqual([]);
  });

  it('全区 is the reporting body only in its government’s report, not in a department’s', () => {
    const text = model('2023年，全区共收到政府信息公开申请31件。');
    expect(statementsOf(text, REPORT)).toEqual([]);
    const gov = { ...REPORT, agency: '某某市某某区人民政府' };
    expect(statementsOf(text, gov).map((s) => s.stated)).toEqual([31]);
  });

  it('the agency named as the subject, full-width digits and spaces inside the phrase are read', () => {
    const st = statementsOf(model(`${REPORT.agency}全年收到政府信息公开申请 ３１ 件。`), REPORT);
    expect(st.map((s) => [s.key, s.stated])).toEqual([['t3.new.total', 31]]);
  });

  it('legacy and unknown templates are not read', () => {
    expect(statementsOf(model('全年共收到政府信息公开申请31件。'), { ...REPORT, template: 'legacy' })).toEqual([]);
  });

  it('0 false alarms on the corpus; the statements it reads agree with the gold cells', async () => {
    const dir = join(ROOT, 'corpus');
    let statements = 0;
    for (const name of [
      'hzq2023_working.pdf',
      'kewei-2024-source.md',
      'pingtan_2022_80629_page.txt',
      'shanghai_office_2019.html',
      '000_97b5ed2afefa8716.txt',
    ]) {
      const { doc, model: m } = await processBytes({ bytes: readFileSync(join(dir, name)), name });
      expect(
        doc.findings.filter((f) => f.rule === 'text-vs-table'),
        name,
      ).toEqual([]);
      statements += statementsOf(m!, doc.report).length;
    }
    // 洪泽区 受理…21件, 科委 收到…34件, 平潭 2022 收到…75件 and 行政复议案件2件 (table read at 0.3: not compared).
    expect(statements).toBe(4);
  });

  it('generated reports: agreeing restatements and traps give no finding, every planted contradiction exactly one', async () => {
    const m = await measureTextVsTable(110, 5000);
    expect(m.problems).toEqual([]);
    expect(m.falseAlarms).toBe(0);
    expect(m.planted).toBeGreaterThan(100);
    expect(m.found).toBe(m.planted);
    expect(m.statements).toBeGreaterThan(300);
  });
});
