/** Mapping on hand-built document models: no extractor involved. */
import { describe, expect, it } from 'vitest';
import { mapDocument } from '../../src/mapping/map-document.js';
import { doc, gridTable, para, rowsTable, T3_HEADER, T3_IDS_2021, T3_LABELS_2021 } from '../helpers/model.js';

/** Row i of table 3 holds i, i+1, …: every cell distinct, so a misplaced row shows. */
const rowValues = (i: number) => [0, 1, 2, 3, 4, 5, 6].map((j) => String(i * 10 + j));

function t3Doc(rows: string[][], method = 'txt-cells') {
  return doc(
    [para('三、收到和处理政府信息公开申请情况'), rowsTable(0, [T3_HEADER, ...rows], method)],
    '某局2023年度政府信息公开工作年度报告',
  );
}

describe('table 3', () => {
  it('maps labelled rows by label, whatever their order in the form', () => {
    const rows = T3_LABELS_2021.map((l, i) => [l, ...rowValues(i)]);
    const m = mapDocument(t3Doc(rows));
    T3_IDS_2021.forEach((id, i) => expect(m.fields[`t3.${id}.natural_person`].value).toBe(i * 10));
    expect(m.fields['t3.carried_forward.total']).toMatchObject({ value: 246, raw: '246', flags: [] });
    expect(m.report.template).toBe('2021');
  });

  it('places unlabelled rows by order only when the gap fits exactly', () => {
    const rows = T3_LABELS_2021.map((l, i) => [i % 3 === 1 ? '' : l, ...rowValues(i)]);
    const m = mapDocument(t3Doc(rows, 'md-table'));
    T3_IDS_2021.forEach((id, i) => expect(m.fields[`t3.${id}.total`].value, id).toBe(i * 10 + 6));
    expect(m.fields['t3.carried_over.total'].flags).toContain('row-by-order');
    expect(m.fields['t3.carried_over.total'].confidence).toBeLessThan(0.8);
    expect(m.fields['t3.new.total'].flags).not.toContain('row-by-order');
  });

  it('leaves unlabelled rows out when the count does not fit their gap', () => {
    const rows = T3_LABELS_2021.map((l, i) => [l, ...rowValues(i)]);
    rows.splice(5, 1, ['', ...rowValues(5)], ['', ...rowValues(99)]); // one row too many between two labels
    const m = mapDocument(t3Doc(rows));
    expect(m.fields['t3.denied_prohibited.total']).toBeUndefined();
    expect(m.warnings.map((w) => w.code)).toContain('t3-rows-unplaced');
    expect(m.fields['t3.denied_security_stability.total'].value).toBe(66);
  });

  it('keeps the single （六）其他处理 row as t3.other.* and never invents the sub-rows', () => {
    const labels = [...T3_LABELS_2021.slice(0, 20), '（六）其他处理', ...T3_LABELS_2021.slice(23)];
    const m = mapDocument(t3Doc(labels.map((l, i) => [l, ...rowValues(i)])));
    expect(m.fields['t3.other.natural_person'].value).toBe(200);
    expect(Object.keys(m.fields).filter((k) => k.startsWith('t3.other_'))).toEqual([]);
    expect(m.fields['t3.total.natural_person'].value).toBe(210);
  });

  it('blank cells are null with a flag, never 0; a blank 总计 is skipped by the checks', () => {
    const rows = T3_LABELS_2021.map((l, i) => [l, ...rowValues(i)]);
    rows[0] = [rows[0][0], '3', '', '—', '', '', '', ''];
    const m = mapDocument(t3Doc(rows));
    expect(m.fields['t3.new.commercial']).toMatchObject({ value: null, raw: '', flags: ['blank'] });
    expect(m.fields['t3.new.research']).toMatchObject({ value: null, raw: '—', flags: ['dash'] });
    expect(m.fields['t3.new.total']).toMatchObject({ value: null, flags: ['blank'] });
  });

  it('a grid with rowspan parents reads the same as one cell per row', () => {
    const grid = gridTable(0, [
      [
        ['（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', 3, 3],
        ['申请人情况', 1, 7],
      ],
      [
        ['自然人', 2, 1],
        ['法人或其他组织', 1, 5],
        ['总计', 2, 1],
      ],
      ['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'],
      [['一、本年新收政府信息公开申请数量', 1, 3], ...rowValues(0)],
      [['二、上年结转政府信息公开申请数量', 1, 3], ...rowValues(1)],
      [['三、本年度办理结果', 22, 1], ['（一）予以公开', 1, 2], ...rowValues(2)],
      [['（二）部分公开（区分处理的，只计这一情形，不计其他情形）', 1, 2], ...rowValues(3)],
      [['（三）不予公开', 8, 1], '1.属于国家秘密', ...rowValues(4)],
      ['2.其他法律行政法规禁止公开', ...rowValues(5)],
    ]);
    const m = mapDocument(doc([grid]));
    expect(m.fields['t3.granted.other_org'].value).toBe(25);
    expect(m.fields['t3.denied_prohibited.total']).toMatchObject({ value: 56, source: { table: 0, row: 8, col: 9 } });
    expect(m.fields['t3.denied_prohibited.total'].source.rowLabel).toBe('2.其他法律行政法规禁止公开');
  });

  it('a value cell merged over two columns is flagged and never copied', () => {
    const rows = T3_LABELS_2021.map((l, i) => [l, ...rowValues(i)]);
    const grid = gridTable(0, [
      T3_HEADER,
      ...rows.map((r, i) => (i === 0 ? [r[0], ['5', 1, 2] as [string, number, number], ...r.slice(3)] : r)),
    ]);
    const m = mapDocument(doc([grid]));
    expect(m.fields['t3.new.natural_person']).toMatchObject({ value: 5 });
    expect(m.fields['t3.new.natural_person'].flags).toContain('merged-cell');
    expect(m.fields['t3.new.natural_person'].confidence).toBeLessThan(0.5);
    expect(m.fields['t3.new.commercial']).toBeUndefined();
  });
});

describe('table 2', () => {
  it('maps values by order against the nearest header, despite column drift (2019 form)', () => {
    const grid = gridTable(0, [
      [['第二十条第（一）项', 1, 5]],
      ['信息内容', '本年新\n制作数量', ['本年新\n公开数量', 1, 2], '对外公开总数量'],
      ['规章', '13', ['13', 1, 2], '120'],
      ['规范性文件', '60', ['60', 1, 2], '700'],
      [['第二十条第（五）项', 1, 5]],
      ['信息内容', ['上一年项目数量', 1, 2], '本年增/减', '处理决定数量'],
      ['行政许可', ['396', 1, 2], '-18', '181'],
      [['第二十条第（九）项', 1, 5]],
      ['信息内容', ['采购项目数量', 1, 2], ['采购总金额', 1, 2]],
      ['政府集中采购', ['6', 1, 2], ['25.1万元', 1, 2]],
    ]);
    const m = mapDocument(doc([para('二、主动公开政府信息情况'), grid], '上海市某局2019年政府信息公开工作年度报告'));
    expect(m.fields['t2.rules.published'].value).toBe(13);
    expect(m.fields['t2.normative.total_public'].value).toBe(700);
    expect(m.fields['t2.licensing.delta'].value).toBe(-18);
    expect(m.fields['t2.licensing.decisions'].value).toBe(181);
    expect(m.fields['t2.procurement.amount']).toMatchObject({ value: 251000, raw: '25.1万元' });
    expect(m.fields['t2.procurement.amount'].flags).toContain('unit-converted');
    expect(m.report.template).toBe('2019');
  });

  it('reads a table-2 row from a text line when the header is a line too', () => {
    const m = mapDocument(
      doc(
        [
          para('一、主动公开政府信息情况'),
          para('第二十条第（五）项'),
          para('信息内容本年处理决定数量'),
          para('行政许可 97'),
          para('行政事业性收费 12.5'),
        ],
        '2024年某委政府信息公开工作年度报告',
      ),
    );
    expect(m.fields['t2.licensing.decisions']).toMatchObject({ value: 97, source: { method: 'text-row' } });
    expect(m.fields['t2.fees.amount']).toMatchObject({ value: 12.5 });
    expect(m.fields['t2.fees.amount'].flags).toContain('columns-assumed');
  });
});

describe('table 4', () => {
  it('one row of 15 values in the form order', () => {
    const grid = gridTable(0, [
      [
        ['行政复议', 1, 5],
        ['行政诉讼', 1, 10],
      ],
      [
        ['结果维持', 2, 1],
        ['结果纠正', 2, 1],
        ['其他结果', 2, 1],
        ['尚未审结', 2, 1],
        ['总计', 2, 1],
        ['未经复议直接起诉', 1, 5],
        ['复议后起诉', 1, 5],
      ],
      ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计', '结果维持', '结果纠正', '其他结果', '尚未审结', '总计'],
      Array.from({ length: 15 }, (_, i) => String(i)),
    ]);
    const m = mapDocument(doc([para('四、政府信息公开行政复议、行政诉讼情况'), grid]));
    expect(m.fields['t4.review.upheld'].value).toBe(0);
    expect(m.fields['t4.litigation_direct.pending'].value).toBe(8);
    expect(m.fields['t4.litigation_after_review.total']).toMatchObject({ value: 14, flags: [] });
  });

  it('one row per group', () => {
    const m = mapDocument(
      doc([
        para('四、政府信息公开行政复议、行政诉讼情况'),
        rowsTable(0, [
          ['', '结果维持', '结果纠正', '其他结果', '尚未审结', '总计'],
          ['行政复议', '1', '2', '0', '0', '3'],
          ['未经复议直接起诉', '0', '0', '0', '1', '1'],
          ['复议后起诉', '0', '0', '0', '0', '0'],
        ]),
      ]),
    );
    expect(m.fields['t4.review.total'].value).toBe(3);
    expect(m.fields['t4.litigation_direct.pending'].value).toBe(1);
    expect(m.fields['t4.litigation_after_review.upheld'].value).toBe(0);
  });
});

describe('report metadata', () => {
  it('takes the agency and the statistics year from a title broken over lines', () => {
    const m = mapDocument(doc([para('洪泽区人民政府'), para('2023 年政府信息公开工作年度报告'), para('本报告……')]));
    expect(m.report).toMatchObject({ agency: '洪泽区人民政府', year: 2023, title: '洪泽区人民政府2023 年政府信息公开工作年度报告' });
  });

  it('the year comes from the statistics period when the title has none', () => {
    const m = mapDocument(
      doc([para('某局政府信息公开工作年度报告'), para('本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。')]),
    );
    expect(m.report.year).toBe(2022);
  });

  it('the agency after the year: 2019年上海市人民政府办公厅…', () => {
    const m = mapDocument(doc([para('2019年上海市人民政府办公厅政府信息公开工作年度报告')]));
    expect(m.report).toMatchObject({ agency: '上海市人民政府办公厅', year: 2019, template: 'unknown' });
  });
});
