/** The pieces the platform adapters stand on: script literals, download names, pdf.js viewer links. */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { dispositionFilename, urlFilename } from '../../src/crawl/content-disposition.js';
import { assignedValue, objectAt, parseLooseObject, writtenMarkup } from '../../src/crawl/js-literals.js';
import { LinkCollector, unwrapViewer } from '../../src/crawl/links.js';
import { platform as jpage } from '../../src/crawl/platforms/hanweb-jpage.js';
import { parseJsonAnswer, ApiError } from '../../src/crawl/platforms/types.js';

const PATTERNS = { reportText: /年度报告|年报/, navText: /信息公开/, include: [] };

describe('script literals', () => {
  it('reads the literal fields of a jpage config and skips the expressions', () => {
    const src = `$('#745545').jpage({themeName:'lucidity',totalRecord:224,openCookies:false,dataBefore:'<ul class=\\'jgdj_list\\'>',dataStore:$('#745545').children('script').html(),groupSize:3,proxyUrl:'/module/web/jpage/dataproxy.jsp',perPage:15,ajaxParam:param_745545});`;
    expect(objectAt(src, src.indexOf('jpage(') + 5)).toEqual({
      themeName: 'lucidity',
      totalRecord: 224,
      openCookies: false,
      dataBefore: "<ul class='jgdj_list'>",
      groupSize: 3,
      proxyUrl: '/module/web/jpage/dataproxy.jsp',
      perPage: 15,
    });
  });

  it('finds assigned values: objects, arrays, numbers ending a statement', () => {
    const src = `var param_1 = {col:1,path:'http://a/',unitid:'1'};\nvar InitData9 = ["<li>a</li>", '<li>b</li>'];\nvar n = 25;// 共25页\nwindow._X = {a: "\\u003Cp\\u003E"}`;
    expect(assignedValue(src, 'param_1')).toEqual({ col: 1, path: 'http://a/', unitid: '1' });
    expect(assignedValue(src, 'InitData9')).toEqual(['<li>a</li>', '<li>b</li>']);
    expect(assignedValue(src, 'n')).toBe(25);
    expect(assignedValue(src, '_X')).toEqual({ a: '<p>' });
  });

  it('parses JSON and single-quoted object literals', () => {
    expect(parseLooseObject(`{'parseType':'bulidstatic','pageId':'abc'}`)).toEqual({ parseType: 'bulidstatic', pageId: 'abc' });
    expect(parseLooseObject('{"a":[1,2]}')).toEqual({ a: [1, 2] });
  });

  it('evaluates document.writeln concatenations with string variables', () => {
    const src = `var url = "./202602/t20260214_2730572.shtml";\nvar title = "关于印发的通知";\ndocument.writeln("<a href="+url+" target=_blank>");document.writeln(title.substring(0,30));document.writeln("</a>");`;
    expect(writtenMarkup(src).replace(/\n/g, '')).toBe('<a href=./202602/t20260214_2730572.shtml target=_blank>关于印发的通知</a>');
    const acc = `var s = '';\nfor (var i = 0; i < 1; i++) {\n s += '<li><a href="' + 'a/1.html' + '">';\n s += "一" + '</a></li>';\n}\ndocument.write(s);`;
    expect(writtenMarkup(acc)).toBe('<li><a href="a/1.html">一</a></li>');
  });
});

describe('download names', () => {
  it('decodes raw GBK bytes, RFC 5987, RFC 2047 and percent-encoded names', () => {
    const name = '2023年政府信息公开工作年度报告.pdf';
    expect(dispositionFilename(`attachment;filename=${iconv.encode(name, 'gbk').toString('latin1')}`)).toBe(name);
    expect(dispositionFilename(`attachment;filename="${Buffer.from(name).toString('latin1')}"`)).toBe(name);
    expect(dispositionFilename(`attachment; filename="x.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`)).toBe(name);
    expect(dispositionFilename(`attachment; filename="=?UTF-8?B?${Buffer.from(name).toString('base64')}?="`)).toBe(name);
    expect(dispositionFilename(`attachment; filename=${encodeURIComponent(name)}`)).toBe(name);
    expect(dispositionFilename('inline')).toBeUndefined();
    expect(urlFilename(`http://a/module/download/downfile.jsp?classid=0&showname=${encodeURIComponent(name)}&filename=ab12.pdf`)).toBe(
      name,
    );
  });
});

describe('pdf.js viewers', () => {
  it('link the file, resolved as pdf.js does', () => {
    expect(unwrapViewer(new URL('http://a/pdfjs/web/viewer.html?file=%2Ffgw%2Fx.pdf')).href).toBe('http://a/fgw/x.pdf');
    expect(unwrapViewer(new URL('http://a/static/pdfjs/web/viewer.html?file=../../f/y.pdf')).href).toBe('http://a/static/f/y.pdf');
    expect(unwrapViewer(new URL('http://a/generic/web/viewer.html#file=/z.pdf')).href).toBe('http://a/z.pdf');
    expect(unwrapViewer(new URL('http://a/page.html?file=/z.pdf')).href).toBe('http://a/page.html?file=/z.pdf');
  });
});

describe('JSON answers', () => {
  const answer = (text: string) => ({
    request: { method: 'GET' as const, url: 'http://a/api' },
    text,
    status: 200,
    patterns: { reportText: /年报/, navText: /公开/, include: [] },
  });
  it('are errors when they say so, are empty or are not JSON', () => {
    expect(() => parseJsonAnswer(answer('{"success":false,"msg":"排序方式不能为空！"}'))).toThrow('排序方式不能为空！');
    expect(() => parseJsonAnswer(answer(''))).toThrow(ApiError);
    expect(() => parseJsonAnswer(answer('<html>error</html>'))).toThrow(/not JSON/);
    expect(parseJsonAnswer(answer('{"success":true,"data":{"html":""}}'))).toEqual({ success: true, data: { html: '' } });
  });
});

describe('Hanweb jpage answers', () => {
  const ask = (text: string) => {
    const links = new LinkCollector('http://a/col/col1/index.html', 'http://a/col/col1/index.html', PATTERNS);
    const found = jpage.fromAnswer!(
      {
        request: {
          method: 'POST',
          url: 'http://a/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15',
          state: { mode: 'post', proxy: 'http://a/module/web/jpage/dataproxy.jsp', body: 'unitid=1', perPage: 15, groupSize: 3, total: 90 },
        },
        text,
        status: 200,
        patterns: PATTERNS,
      },
      links,
    );
    return { links: links.links, found };
  };
  it('an empty body or an HTML page is a failure, not an empty list', () => {
    expect(() => ask('')).toThrow(expect.objectContaining({ code: 'api-empty' }));
    expect(() => ask('<html><body>系统繁忙</body></html>')).toThrow(expect.objectContaining({ code: 'api-not-datastore' }));
  });
  it('reads escaped records, and asks for the groups a larger <totalrecord> adds', () => {
    const r = ask(
      `<datastore><totalrecord>100</totalrecord><recordset><record>&lt;li&gt;&lt;a href="/art/1.html"&gt;2023年政府信息公开工作年度报告&lt;/a&gt;&lt;/li&gt;</record></recordset></datastore>`,
    );
    expect(r.links.map((l) => [l.url, l.role])).toEqual([['http://a/art/1.html', 'report']]);
    expect(r.found.requests?.map((q) => q.url)).toEqual([
      'http://a/module/web/jpage/dataproxy.jsp?startrecord=91&endrecord=100&perpage=15',
    ]);
  });
});
