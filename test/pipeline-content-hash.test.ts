/** contentHash: page noise (view counters, today's date, session tokens) is not a change; content is. */
import { describe, expect, it } from 'vitest';
import type { ExtractedDocument } from '../src/contract/document.js';
import { contentHash, stripVolatile } from '../src/pipeline/content-hash.js';

const doc = (fields: Record<string, string> = {}): ExtractedDocument =>
  ({
    file: 'x',
    sha256: 'x',
    format: 'html',
    size: 1,
    report: { agency: '示例市人民政府', year: 2023, template: '2021', title: '2023年政府信息公开工作年度报告' },
    fields: Object.fromEntries(
      Object.entries(fields).map(([k, raw]) => [k, { value: Number(raw), raw, confidence: 1, flags: [], source: {} }]),
    ),
    findings: [],
    errors: [],
    warnings: [],
    extractor: 'html',
    pipeline_version: 'test',
  }) as unknown as ExtractedDocument;

describe('stripVolatile', () => {
  it('takes out view counters, today’s date and session tokens', () => {
    const noisy = (n: number, d: string, tok: string) =>
      `一、总体情况 本年新收申请123件。 访问次数：${n} 浏览量: [${n + 3}] 点击数 ${n * 2}次 阅读（${n}） 今天是${d} 星期五 当前时间：10:3${n % 10} jsessionid=${tok}`;
    const a = stripVolatile(noisy(1001, '2026年1月2日', 'A1B2C3D4E5F6'));
    const b = stripVolatile(noisy(2002, '2026年11月20日', 'ZZ99YY88XX77'));
    expect(a).toBe(b);
    expect(a).toContain('本年新收申请123件');
    expect(stripVolatile('token 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b 结束')).toBe('token 结束');
  });

  it('keeps report content: numbers in tables, publication dates, document numbers', () => {
    const s = '发布日期：2024-01-20 本年新收 1234 件 武政规〔2024〕4号 2023年12月31日前 访问';
    expect(stripVolatile(s)).toBe(s);
  });
});

describe('contentHash', () => {
  it('is equal for the same report with other noise, and differs when the text or a field changes', () => {
    const h1 = contentHash(doc({ 't3.a': '12' }), '一、总体情况 访问次数：100 今天是2026年1月1日');
    const h2 = contentHash(doc({ 't3.a': '12' }), '一、总体情况 访问次数：250 今天是2026年3月7日');
    expect(h1).toBe(h2);
    expect(contentHash(doc({ 't3.a': '13' }), '一、总体情况 访问次数：100')).not.toBe(h1);
    expect(contentHash(doc({ 't3.a': '12' }), '一、总体情况（修订） 访问次数：100')).not.toBe(h1);
  });
});
