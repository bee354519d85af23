import { describe, expect, it } from 'vitest';
import { bestMatch, labelCore, normLabel, similarity } from '../../src/mapping/normalize.js';
import { T3_ALL_ROWS } from '../../src/mapping/catalog.js';
import { parseValue } from '../../src/mapping/values.js';

const t3 = (label: string) => bestMatch(labelCore(label), T3_ALL_ROWS, (r) => r.labels)?.item.id;

describe('label normalisation and matching', () => {
  it('treats 1. and 1、 and 1． alike, and drops spaces, line breaks and quotes', () => {
    expect(normLabel('2、其他法律行政法规禁止公开')).toBe(normLabel('2.其他法律行政法规禁止公开'));
    expect(normLabel('2．其他法律\n行政法规 禁止公开')).toBe('2.其他法律行政法规禁止公开');
    expect(labelCore('3.危及“三安全一稳定”')).toBe(labelCore('3.危及"三安全一稳定"'));
    expect(labelCore('3.危及三安全一稳定')).toBe('危及三安全一稳定');
    expect(labelCore('（二）部分公开（区分处理的，只计这一情形，不计其他情形）')).toBe('部分公开(区分处理的,只计这一情形,不计其他情形)');
  });

  it('matches every printed table-3 row label to its row', () => {
    expect(t3('一、本年新收政府信息公开申请数量')).toBe('new');
    expect(t3('（一）予以公开')).toBe('granted');
    expect(t3('三、本年度办理结果（一）予以公开')).toBe('granted');
    expect(t3('1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请')).toBe('other_no_correction');
    expect(t3('3.其他')).toBe('other_misc');
    expect(t3('（六）其他处理')).toBe('other');
    expect(t3('（七）总计')).toBe('total');
    expect(t3('2.重复申请')).toBe('rejected_duplicate');
    expect(t3('4.无正当理由大量反复申请')).toBe('rejected_excessive');
  });

  it('tolerates real typos but not unrelated labels', () => {
    expect(t3('2.其他法律行政止公开')).toBe('denied_prohibited'); // 洪泽区 2023
    expect(t3('1.属于国家秘秘')).toBe('denied_state_secret');
    expect(t3('申请人情况')).toBeUndefined();
    expect(t3('（三）不予公开')).toBeUndefined();
    expect(t3('自然人')).toBeUndefined();
  });

  it('similarity is 1 for equal strings and falls with edits', () => {
    expect(similarity('abc', 'abc')).toBe(1);
    expect(similarity('其他法律行政止公开', '其他法律行政法规禁止公开')).toBeCloseTo(0.75, 2);
  });
});

describe('cell values (spec/contract.md)', () => {
  it('reads plain, full-width, separated, decimal and negative numbers', () => {
    expect(parseValue('3081')).toMatchObject({ value: 3081, kind: 'number', flags: [] });
    expect(parseValue('３０８１')).toMatchObject({ value: 3081 });
    expect(parseValue('1,234')).toMatchObject({ value: 1234 });
    expect(parseValue('1，234')).toMatchObject({ value: 1234 });
    expect(parseValue('7730.28')).toMatchObject({ value: 7730.28 });
    expect(parseValue('-18')).toMatchObject({ value: -18 });
    expect(parseValue('−15')).toMatchObject({ value: -15 });
    expect(parseValue(' 12 \n')).toMatchObject({ value: 12 });
  });

  it('keeps units apart from the number', () => {
    expect(parseValue('251000元')).toMatchObject({ value: 251000, unit: '元' });
    expect(parseValue('73802895.90元')).toMatchObject({ value: 73802895.9, unit: '元' });
    expect(parseValue('25.1万元')).toMatchObject({ value: 25.1, unit: '万元' });
  });

  it('blank, dash and text are null with a flag', () => {
    expect(parseValue('')).toEqual({ value: null, kind: 'blank', flags: ['blank'] });
    expect(parseValue('\u00a0')).toEqual({ value: null, kind: 'blank', flags: ['blank'] });
    expect(parseValue('—')).toMatchObject({ value: null, flags: ['dash'] });
    expect(parseValue('/')).toMatchObject({ value: null, flags: ['dash'] });
    expect(parseValue('－')).toMatchObject({ value: null, flags: ['dash'] });
    expect(parseValue('不适用')).toMatchObject({ value: null, flags: ['text'] });
    expect(parseValue('1 2')).toMatchObject({ value: null, flags: ['text'] });
  });

  it('annotated cells keep their number', () => {
    expect(parseValue('22（其中修订16件）')).toMatchObject({ value: 22, flags: ['annotated'] });
    expect(parseValue('55(含自然失效29件)')).toMatchObject({ value: 55, flags: ['annotated'] });
  });
});
