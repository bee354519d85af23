/**
 * Article detection, chrome pruning, title choice and paragraph splitting on
 * small inline pages, one behaviour each.
 */
import { describe, expect, it } from 'vitest';
import { findBody, pruneChrome } from '../../extractors/html/body.js';
import { toBlocks } from '../../extractors/html/blocks.js';
import type { HElement, HNode, HParent } from '../../extractors/html/dom.js';
import { computeStats, removeJunk } from '../../extractors/html/stats.js';
import { allText, checkModel, extract, paragraphs, tables } from './helpers.js';

const PROSE = '本机关认真贯彻落实《条例》要求，持续推进政务公开工作。全年主动公开政府信息一千余条。各项工作均按期完成。';

describe('paragraphs and headings', () => {
  it('splits <br> lines and loose div text into paragraphs; only h1–h6 are headings', async () => {
    const doc = await extract(
      '<div>前言文字<br>一、总体情况<br><br>正文第一段。<p><strong>二、主动公开政府信息情况</strong></p>结尾文字</div><h3>附件</h3><ul><li>附件1</li><li>附件2</li></ul>',
    );
    expect(doc.blocks.map((b) => [b.kind, b.kind === 'table' ? '' : b.text])).toEqual([
      ['paragraph', '前言文字'],
      ['paragraph', '一、总体情况'],
      ['paragraph', '正文第一段。'],
      ['paragraph', '二、主动公开政府信息情况'],
      ['paragraph', '结尾文字'],
      ['heading', '附件'],
      ['paragraph', '附件1'],
      ['paragraph', '附件2'],
    ]);
    expect(doc.blocks[5]).toMatchObject({ level: 3, method: 'html-h3' });
    expect(doc.blocks[6]).toMatchObject({ method: 'html-li' });
    expect(doc.blocks[3]).toMatchObject({ method: 'html-p' });
    checkModel(doc);
  });

  it('collapses whitespace, keeps explicit spaces between CJK, joins hard-wrapped CJK', async () => {
    const doc = await extract(
      '<p>  第二十条&nbsp;第（一）项 \n</p><p>政府信息\n   公开工作\u3000\u3000年度报告</p><p>\u3000\u3000首行缩进</p><p>（一） 予以公开</p>',
    );
    expect(paragraphs(doc)).toEqual(['第二十条 第（一）项', '政府信息公开工作 年度报告', '首行缩进', '（一）予以公开']);
  });
});

describe('article detection', () => {
  it('keeps an ASP.NET form that wraps the whole page', async () => {
    const doc = await extract(
      `<body><form id="form1"><div class="nav"><a href="/">首页</a><a href="/b">信息公开</a></div><div class="main"><p>${PROSE}</p><p>${PROSE}</p></div></form></body>`,
    );
    expect(paragraphs(doc)).toEqual([PROSE, PROSE]);
  });

  it('drops breadcrumbs, widgets and copyright lines found by their text, inside a fragment too', async () => {
    const doc = await extract(
      `<p>当前位置：首页 &gt; 政务公开 &gt; 年报</p><p>【打印本页】</p><p>${PROSE}</p><div>字号：【大 中 小】</div><p>${PROSE}</p><p>Copyright © 2021 某某区人民政府 版权所有</p>`,
    );
    expect(paragraphs(doc)).toEqual([PROSE, PROSE]);
  });

  it('drops hidden elements but keeps a hidden report table, with a warning', async () => {
    const doc = await extract(
      `<p>${PROSE}</p><div style="display: none">隐藏的统计代码</div><div hidden>隐藏二</div><div style="DISPLAY:NONE"><table><tr><td>本年新收政府信息公开申请数量</td><td>12</td></tr></table></div>`,
    );
    expect(allText(doc)).not.toContain('隐藏');
    expect(tables(doc)).toHaveLength(1);
    expect(doc.meta.warnings.map((w) => w.code)).toContain('hidden-report-table');
  });

  it('never drops a report table into the chrome: one in a footer-classed box stays', async () => {
    const doc = await extract(
      `<div class="article"><p>${PROSE}</p><p>${PROSE}</p></div><div class="bottom"><table><tr><td>行政复议</td><td>结果维持</td></tr><tr><td>1</td><td>2</td></tr></table></div>`,
    );
    expect(tables(doc)).toHaveLength(1);
    expect(paragraphs(doc)).toEqual([PROSE, PROSE]);
  });

  it('does not treat a link menu laid out as a table as report data', async () => {
    const menu = ['政府信息公开指南', '政府信息公开制度', '政府信息公开年报'].map((t) => `<tr><td><a href="#">${t}</a></td></tr>`).join('');
    const doc = await extract(
      `<div class="left"><table>${menu}</table></div><div class="right"><p>${PROSE}</p><p>${PROSE}</p><p>${PROSE}</p></div>`,
    );
    expect(tables(doc)).toHaveLength(0);
    expect(allText(doc)).not.toContain('指南');
  });

  it('survives 3 000 nested unclosed <div>s (parse5 itself is quadratic in depth beyond that)', async () => {
    const doc = await extract(`<body>${'<div>'.repeat(3000)}<p>${PROSE}</p><table><tr><td>本年新收</td><td>7</td></tr></table></body>`);
    expect(paragraphs(doc)).toEqual([PROSE]);
    expect(tables(doc)).toHaveLength(1);
  });

  it('walks a 100 000-deep tree without recursion', () => {
    const el = (name: string, children: HNode[]): HElement => {
      const e: HElement = { type: 'tag', name, attribs: {}, children, parent: null };
      for (const c of children) c.parent = e;
      return e;
    };
    const text = (data: string): HNode => ({ type: 'text', data, parent: null });
    let inner: HElement = el('p', [text(PROSE)]);
    for (let i = 0; i < 100_000; i++) inner = el(i % 2 ? 'div' : 'font', [inner, el('span', [text('字')])]);
    const body = el('body', [inner]);
    const root: HParent = { type: 'root', children: [body], parent: null };
    body.parent = root;
    removeJunk(root);
    const stats = computeStats(root);
    const choice = findBody(root, stats);
    pruneChrome(choice.body, stats);
    const { blocks } = toBlocks(choice.body);
    expect(blocks[0]).toMatchObject({ kind: 'paragraph', text: PROSE });
  });
});

describe('title', () => {
  it('takes <title> without the portal name when the page has no heading', async () => {
    const doc = await extract(
      `<html><head><title>某某局2020年政府信息公开工作年度报告_某某市人民政府</title></head><body><p>${PROSE}</p></body></html>`,
    );
    expect(doc.meta.title).toBe('某某局2020年政府信息公开工作年度报告');
    const other = await extract(`<html><head><title>某某市人民政府门户网站 - 通知公告</title></head><body><p>${PROSE}</p></body></html>`);
    expect(other.meta.title).toBe('通知公告');
  });

  it('prefers the CMS ArticleTitle meta over <title>', async () => {
    const doc = await extract(
      `<html><head><meta name="ArticleTitle" content=" 某某局2020年政府信息公开工作年度报告 "><title>年报_某某市人民政府</title></head><body><p>${PROSE}</p></body></html>`,
    );
    expect(doc.meta.title).toBe('某某局2020年政府信息公开工作年度报告');
  });

  it("ignores the portal logo <h1> and a related link naming another year's report", async () => {
    const doc = await extract(
      '<html><head><title>年报_某某县人民政府</title></head><body>' +
        '<div class="header"><h1 class="logo">某某县人民政府</h1></div>' +
        '<ul class="related"><li><a href="#">2018年政府信息公开工作年度报告</a></li><li><a href="#">2017年政府信息公开工作年度报告</a></li></ul>' +
        `<div class="main"><p>${PROSE}</p><p>${PROSE}</p></div></body></html>`,
    );
    expect(doc.meta.title).toBe('年报');
  });

  it('never takes a section heading that mentions 报告 as the title', async () => {
    const doc = await extract(
      `<html><body><header><h1>某某区交通运输局2019年政府信息公开工作年度报告</h1></header><main><h3>一、总体情况</h3><p>${PROSE}</p><h3>六、其他需要报告的事项</h3><p>${PROSE}</p></main></body></html>`,
    );
    expect(doc.meta.title).toBe('某某区交通运输局2019年政府信息公开工作年度报告');
    expect(doc.blocks[0]).toMatchObject({ kind: 'heading', level: 1, method: 'html-title' });
  });

  it('takes a centered bold paragraph naming the report, even split by <br>', async () => {
    const doc = await extract(`<p align="center"><b>某某县2021年政府信息公开<br>工作年度报告</b></p><p>${PROSE}</p>`);
    expect(doc.meta.title).toBe('某某县2021年政府信息公开工作年度报告');
    // Not centered or not bold: not a title.
    const plain = await extract(`<p><b>某某县2021年政府信息公开工作年度报告</b></p><p>${PROSE}</p>`);
    expect(plain.meta.title).toBeUndefined();
  });
});
