/**
 * The generated fixtures (test/generate/html-fixtures.ts), read from the
 * committed files. Regenerate with:
 *   OGI_WRITE_FIXTURES=1 npx vitest run test/html/fixtures.test.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DocumentModel, TableBlock } from '../../src/model.js';
import { fixtureDir, htmlFixtures, t3Value, writeHtmlFixtures } from '../generate/html-fixtures.js';
import { allText, cellAt, checkModel, extract, fixture, paragraphs, tables, textAt } from './helpers.js';

if (process.env.OGI_WRITE_FIXTURES === '1') writeHtmlFixtures();

/** The 2021-form Table 3 of the generated reports: 3 header rows, 25 data rows, values in columns 3..9. */
function expectTable3(t: TableBlock): void {
  expect([t.nRows, t.nCols]).toEqual([28, 10]);
  expect(cellAt(t, 5, 0)).toMatchObject({ text: '三、本年度办理结果', rowSpan: 22, colSpan: 1 });
  expect(cellAt(t, 7, 1)).toMatchObject({ text: '（三）不予公开', rowSpan: 8 });
  expect(textAt(t, 2, 4)).toBe('商业\n企业');
  for (let r = 0; r < 25; r++) for (let c = 0; c < 7; c++) expect(textAt(t, 3 + r, 3 + c), `row ${r} col ${c}`).toBe(t3Value(r, c));
  expect(textAt(t, 27, 0)).toBe('四、结转下年度继续办理');
}

function expectReportTables(doc: DocumentModel): void {
  const ts = tables(doc);
  expect(ts).toHaveLength(3);
  expect(textAt(ts[0], 6, 1)).toBe('1,286');
  expect(textAt(ts[0], 9, 1)).toBe('96.35');
  expectTable3(ts[1]);
  expect(ts[2].cells.filter((c) => c.row === 3).map((c) => c.text)).toEqual([
    '40',
    '',
    ...Array.from({ length: 13 }, (_, i) => String(42 + i)),
  ]);
}

describe('committed fixtures', () => {
  it('match the generator', () => {
    for (const f of htmlFixtures()) {
      const path = join(fixtureDir(), f.name);
      expect(existsSync(path), `${f.name} missing: run with OGI_WRITE_FIXTURES=1`).toBe(true);
      expect(Buffer.compare(readFileSync(path), Buffer.from(f.bytes)), `${f.name} differs from the generator`).toBe(0);
    }
  });
});

describe('charsets', () => {
  it('decodes a GBK page with no charset anywhere, GBK-only characters included', async () => {
    const doc = await extract(fixture('gbk-no-charset.html'));
    expect(doc.meta).toMatchObject({ encoding: 'gb18030', encodingSource: 'detected', warnings: [] });
    expect(doc.meta.title).toBe('喆堃镇人民政府2021年政府信息公开工作年度报告');
    expect(doc.blocks[0]).toMatchObject({
      kind: 'heading',
      level: 1,
      text: '喆堃镇人民政府2021年政府信息公开工作年度报告',
      method: 'html-h1',
    });
    expectReportTables(doc);
    checkModel(doc);
  });

  it('decodes a gb2312-declared page as gb18030', async () => {
    const doc = await extract(fixture('gb2312-meta.html'));
    expect(doc.meta).toMatchObject({ encoding: 'gb18030', encodingSource: 'meta', warnings: [] });
    // The heading is a centered <p><strong> naming the report.
    expect(doc.meta.title).toBe('某某县喆城街道办事处2021年政府信息公开工作年度报告');
    expectReportTables(doc);
  });

  it('reads a UTF-8 page under a stale gb2312 meta as UTF-8, and says so', async () => {
    const doc = await extract(fixture('utf8-wrong-meta.html'));
    expect(doc.meta).toMatchObject({ encoding: 'utf-8', encodingSource: 'utf8-valid' });
    expect(doc.meta.warnings.map((w) => w.code)).toEqual(['charset-mismatch']);
    expect(paragraphs(doc)).toContain('一、总体情况');
    expectReportTables(doc);
  });

  it('lets an HTTP charset decide when it fits the bytes', async () => {
    const doc = await extract(fixture('gbk-no-charset.html'), {}, 'text/html; charset=GBK');
    expect(doc.meta).toMatchObject({ encoding: 'gb18030', encodingSource: 'http' });
  });
});

/** Chrome strings of the generated portal pages: none may reach the model. */
const CHROME = [
  '当前位置',
  '您现在的位置',
  '版权所有',
  '主办单位',
  '承办单位',
  '网站标识码',
  'ICP备',
  '公网安备',
  '分辨率',
  '分享到',
  '打印本页',
  '关闭窗口',
  '字号',
  '首页',
  '脚本文字',
  '隐藏文字',
  '今天 晴',
  '搜索',
  '相关文章',
  '最新信息',
  '政府信息公开指南',
  '联系电话',
  '微博',
  'VIEWSTATE',
];

describe('portal pages', () => {
  it('finds the report in #zoom inside a layout table and drops every piece of chrome', async () => {
    const doc = await extract(fixture('portal-layout.html'));
    expect(doc.meta.extractor).toBe('html:selector:#zoom');
    expect(doc.meta.title).toBe('某某区人民政府2021年政府信息公开工作年度报告');
    const text = allText(doc);
    for (const c of CHROME) expect(text, c).not.toContain(c);
    // The article heading sits outside #zoom: it opens the block list.
    expect(doc.blocks[0]).toMatchObject({
      kind: 'heading',
      level: 2,
      method: 'html-title',
      text: '某某区人民政府2021年政府信息公开工作年度报告',
    });
    expect(paragraphs(doc).slice(-4)).toEqual([
      '五、存在的主要问题及改进情况',
      '一是政策解读形式还不够丰富；二是依申请公开办理规范化水平有待提高。下一步，将加强培训，提升工作人员业务能力。',
      '六、其他需要报告的事项',
      '本年度未收取信息处理费。',
    ]);
    expectReportTables(doc);
    checkModel(doc);
  });

  it('finds the article by text density and pulls back report tables the heuristic left out', async () => {
    const doc = await extract(fixture('portal-density.html'));
    expect(doc.meta.extractor).toBe('html:density');
    expect(doc.meta.warnings.map((w) => w.code)).toEqual(['body-widened']);
    expect(doc.meta.title).toBe('某某市交通运输局2022年政府信息公开工作年度报告');
    const text = allText(doc);
    for (const c of CHROME) expect(text, c).not.toContain(c);
    const ps = paragraphs(doc);
    expect(ps).toContain('一、总体情况');
    expect(ps).toContain('三、收到和处理政府信息公开申请情况');
    expectReportTables(doc);
    checkModel(doc);
  });
});

describe('TRS portal template (modelled on pingtan.gov.cn)', () => {
  it('reads .TRS_Editor, prepends the .article_title heading, drops the portal around it', async () => {
    const doc = await extract(fixture('trs-portal.html'));
    expect(doc.meta.extractor).toBe('html:selector:.trs_editor');
    expect(doc.meta.title).toBe('平潭综合实验区2022年度政府信息公开工作年度报告');
    expect(doc.blocks[0]).toMatchObject({ kind: 'heading', method: 'html-title', text: '平潭综合实验区2022年度政府信息公开工作年度报告' });
    const ps = paragraphs(doc);
    // Tab spans and the upper-case legacy paragraph (a <P> inside a <SPAN> inside a <P>).
    expect(ps).toContain('一、总体情况');
    expect(ps).toContain('2022年，全区共主动公开政府信息14571条，集中公开现行有效行政规范性文件698件。');
    expect(ps[1]).toMatch(/^本报告根据《中华人民共和国政府信息公开条例》.*印发<中华人民共和国政府信息公开工作年度报告格式>的通知》/);
    const text = allText(doc);
    for (const c of [
      '来源：',
      '时间：',
      '全真版',
      '文字版',
      '文件下载',
      '相关链接',
      '微信',
      '登录',
      '长者模式',
      '无障碍',
      '网站标识码',
      '版权所有',
      '主办单位',
      '浏览器',
      '使用帮助',
      '当前位置',
      '系统正在升级',
    ]) {
      expect(text, c).not.toContain(c);
    }
    expectReportTables(doc);
    checkModel(doc);
  });
});

describe('Word "Save as Web Page" output', () => {
  it('reads paragraphs, list numbers and tables without Word residue', async () => {
    const doc = await extract(fixture('word-export.html'));
    expect(doc.meta).toMatchObject({ encoding: 'gb18030', encodingSource: 'meta' });
    expect(doc.meta.title).toBe('某某县喆城镇人民政府2021年政府信息公开工作年度报告');
    const ps = paragraphs(doc);
    // List numbers live between <!--[if !supportLists]--> markers; the spacer after them goes.
    expect(ps).toContain('一、总体情况');
    expect(ps).toContain('二、主动公开政府信息情况');
    expect(ps).toContain('三、收到和处理政府信息公开申请情况');
    expect(ps).toContain('全年主动公开政府信息412条。');
    const text = allText(doc);
    for (const junk of ['admin', 'mso-', 'MsoNormal', 'DocumentProperties', 'Style Definitions', '_x0000_'])
      expect(text).not.toContain(junk);
    checkModel(doc);
  });

  it('turns nested <p>, MsoNormal spans and <o:p> into line breaks, &nbsp; cells into blanks', async () => {
    const [t2, t3] = tables(await extract(fixture('word-export.html')));
    expect(textAt(t2, 1, 1)).toBe('本年\n制发件数');
    expect(textAt(t2, 1, 2)).toBe('本年\n废止件数');
    expect(textAt(t2, 1, 3)).toBe('现行有效\n件数');
    expect(t2.cells.filter((c) => c.row === 2).map((c) => c.text)).toEqual(['规章', '3', '', '28']);
    // Word's invisible spacer row at the end is gone.
    expect([t2.nRows, t2.nCols]).toEqual([4, 4]);
    expectTable3(t3);
  });
});
