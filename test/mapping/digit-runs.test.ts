import { describe, expect, it } from 'vitest';
import { normaliseRunText, splitRun } from '../../src/mapping/digit-runs.js';
import { mapDocument } from '../../src/mapping/map-document.js';
import { doc, para } from '../helpers/model.js';

describe('splitting run-together cells', () => {
  it('finds the only split when there is one', () => {
    expect(splitRun('0000000', 7)).toEqual([['0', '0', '0', '0', '0', '0', '0']]);
    expect(splitRun('6000017', 7)).toEqual([['6', '0', '0', '0', '0', '1', '7']]);
    expect(splitRun('007', 3)).toEqual([['0', '0', '7']]);
    expect(splitRun('0 1 1 0 2', 5)).toEqual([['0', '1', '1', '0', '2']]);
  });

  it('a minus sign starts a cell; a unit closes the last one', () => {
    expect(splitRun('35-15', 2)).toEqual([['35', '-15']]);
    expect(splitRun('2648-18538', 3)).toContainEqual(['2648', '-18', '538']);
    expect(splitRun('39573802895.90元', 2).length).toBeGreaterThan(1);
  });

  it('returns every split of an ambiguous run (the caller leaves it out)', () => {
    // 平潭 2020 一、本年新收: four readings.
    expect(splitRun('200 000121', 7)).toHaveLength(4);
    expect(splitRun('7777166', 3).length).toBeGreaterThan(1);
  });

  it('no split when the digits cannot make the cells', () => {
    expect(splitRun('12', 3)).toEqual([]);
    expect(splitRun('0012', 2)).toEqual([]);
  });
});

describe('run-together table text', () => {
  it('normalises labels but keeps offsets into the printed text', () => {
    const { text, offsets } = normaliseRunText('2、“其他”　1');
    expect(text).toBe('2.其他 1');
    expect(offsets[text.indexOf('1')]).toBe(7);
  });

  it("maps unique splits, lets the form's sums choose among several, and raises no findings", () => {
    const body =
      '三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他' +
      '一、本年新收政府信息公开申请数量200 000121二、上年结转政府信息公开申请数量0000000三、本年度办理结果（一）予以公开6000017（二）部分公开（区分处理的，只计这一情形，不计其他情形）6000006' +
      '（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开0000000四、结转下年度继续办理 0 0 00 00 0 五、存在的主要问题及改进情况';
    const m = mapDocument(doc([para(`某区2020年度政府信息公开工作年度报告 ${body}`)]));
    // "200 000121" has four 7-cell splits; only 20|0|0|0|0|1|21 makes its row add up.
    expect(m.fields['t3.new.natural_person']).toMatchObject({ value: 20, flags: ['digit-run-split', 'split-by-identities'] });
    expect(m.fields['t3.new.total']).toMatchObject({ value: 21 });
    // A unique split whose sums hold: a lead that adds up (0.6), never a finding's bar.
    expect(m.fields['t3.granted.total']).toMatchObject({ value: 7, raw: '7', confidence: 0.6, flags: ['digit-run-split'] });
    expect(m.fields['t3.denied_state_secret.total']).toMatchObject({ value: 0 });
    expect(m.fields['t3.denied_prohibited.natural_person']).toMatchObject({ value: 0 });
    expect(m.fields['t3.carried_forward.total']).toMatchObject({ value: 0 });
    for (const f of Object.values(m.fields)) expect(f.confidence).toBeLessThanOrEqual(0.6);
  });

  it('a run the sums cannot settle stays out, with digit-run-ambiguous', () => {
    // Table 2 takes part in no identity: "7777166" has many 3-cell splits and nothing to choose by.
    const t2 = '二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件7777166';
    const t3 = '三、收到和处理政府信息公开申请情况一、本年新收政府信息公开申请数量0000000二、上年结转政府信息公开申请数量0000000';
    const m = mapDocument(doc([para(`某区2021年度政府信息公开工作年度报告 ${t2}${t3}`)]));
    expect(m.fields['t2.rules.issued']).toMatchObject({ value: 0 });
    expect(Object.keys(m.fields).filter((k) => k.startsWith('t2.normative.'))).toEqual([]);
    expect(m.warnings.find((w) => w.code === 'digit-run-ambiguous')?.message).toMatch(/7777166.*cannot tell apart/);
  });
});
