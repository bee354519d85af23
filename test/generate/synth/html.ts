/**
 * HTML renderings of a synthetic report. Each layout is a full report (title,
 * preamble with the statistics period, sections 一…六, Tables 2/3/4) dressed
 * the way one family of real pages is.
 */
import iconv from 'iconv-lite';
import { narrative, type Narrative } from './narrative.js';
import { createRng, type Rng } from './prng.js';
import { Labeler, t2Drift, t2Official, t2Split, t3Table, t4Table, type GridCell, type GridTable, type HeaderStyle } from './tables.js';
import type { HtmlLayout, RenderedFile, SynthReport } from './types.js';
import { reportSeed } from './values.js';
import { fileBase } from './names.js';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const lines = (text: string): string[] => text.split('\n');

interface Tables {
  t2: GridTable[];
  t3: GridTable;
  t4: GridTable;
}

function tables(r: SynthReport, t2: 'official' | 'split' | 'drift', header: HeaderStyle): Tables {
  const L = new Labeler(r);
  const t2t = t2 === 'official' ? [t2Official(r, L)] : t2 === 'split' ? t2Split(r, L) : [t2Drift(r, L)];
  return { t2: t2t, t3: t3Table(r, L, header), t4: t4Table(r, L, header) };
}

/** Tables placed after the paragraphs of sections 二, 三 and 四. */
function tablesOf(t: Tables, sectionIndex: number): GridTable[] {
  return sectionIndex === 1 ? t.t2 : sectionIndex === 2 ? [t.t3] : sectionIndex === 3 ? [t.t4] : [];
}

function spanAttrs(c: GridCell, quote = '"'): string {
  let a = '';
  if (c.rowspan > 1) a += ` rowspan=${quote}${c.rowspan}${quote}`;
  if (c.colspan > 1) a += ` colspan=${quote}${c.colspan}${quote}`;
  return a;
}

// ---- official: clean markup, one <table> per section, merges exactly as templates.md ----

function officialTable(t: GridTable, attrs = ' border="1" cellspacing="0" cellpadding="4"'): string {
  const rows = t.rows.map(
    (row) => `<tr>${row.map((c) => `<td${spanAttrs(c)}>${lines(c.text).map(escapeHtml).join('<br>')}</td>`).join('')}</tr>`,
  );
  return `<table${attrs}>\n${rows.join('\n')}\n</table>`;
}

function officialBody(n: Narrative, t: Tables): string {
  const out = [`<h1>${escapeHtml(n.title)}</h1>`, ...n.preamble.map((p) => `<p>${escapeHtml(p)}</p>`)];
  n.sections.forEach((s, i) => {
    out.push(`<h2>${escapeHtml(s.heading)}</h2>`, ...s.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`));
    out.push(...tablesOf(t, i).map((x) => officialTable(x)));
  });
  return out.join('\n');
}

function officialPage(r: SynthReport, meta: string): string {
  const n = narrative(r);
  return `<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n${meta}<title>${escapeHtml(n.title)}</title>\n</head>\n<body>\n${officialBody(n, tables(r, 'official', 'official'))}\n</body>\n</html>\n`;
}

// ---- word-export: Word "Save as Web Page" residue ----

const WORD_HEAD = (title: string): string => `<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns:m="http://schemas.microsoft.com/office/2004/12/omml"
xmlns="http://www.w3.org/TR/REC-html40">

<head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<meta name=Originator content="Microsoft Word 15">
<title>${escapeHtml(title)}</title>
<!--[if gte mso 9]><xml>
 <o:DocumentProperties>
  <o:Author>Administrator</o:Author>
  <o:LastAuthor>Administrator</o:LastAuthor>
  <o:Revision>3</o:Revision>
  <o:TotalTime>12</o:TotalTime>
  <o:Pages>6</o:Pages>
  <o:Words>1032</o:Words>
  <o:Characters>5888</o:Characters>
  <o:Version>16.00</o:Version>
 </o:DocumentProperties>
</xml><![endif]--><!--[if gte mso 9]><xml>
 <w:WordDocument>
  <w:SpellingState>Clean</w:SpellingState>
  <w:DrawingGridVerticalSpacing>7.8 磅</w:DrawingGridVerticalSpacing>
  <w:DisplayHorizontalDrawingGridEvery>0</w:DisplayHorizontalDrawingGridEvery>
  <w:Compatibility>
   <w:SpaceForUL/>
   <w:BalanceSingleByteDoubleByteWidth/>
  </w:Compatibility>
 </w:WordDocument>
</xml><![endif]-->
<style>
<!--
 /* Font Definitions */
 @font-face
	{font-family:宋体;
	panose-1:2 1 6 0 3 1 1 1 1 1;}
 @font-face
	{font-family:仿宋_GB2312;
	panose-1:2 1 6 9 3 1 1 1 1 1;}
 /* Style Definitions */
 p.MsoNormal, li.MsoNormal, div.MsoNormal
	{mso-style-unhide:no;
	margin:0cm;
	text-align:justify;
	text-justify:inter-ideograph;
	font-size:10.5pt;
	font-family:"Times New Roman",serif;}
table.MsoNormalTable
	{mso-style-name:普通表格;
	mso-padding-alt:0cm 5.4pt 0cm 5.4pt;}
@page WordSection1
	{size:595.3pt 841.9pt;
	margin:72.0pt 90.0pt 72.0pt 90.0pt;}
div.WordSection1
	{page:WordSection1;}
-->
</style>
<!--[if gte mso 10]>
<style>
 table.MsoNormalTable {mso-style-name:普通表格; mso-tstyle-rowband-size:0;}
</style>
<![endif]-->
</head>
`;

function wordRun(text: string, font: string): string {
  return `<span style='font-size:12.0pt;font-family:${font};mso-ascii-font-family:"Times New Roman"'>${escapeHtml(text)}</span>`;
}

function wordCellContent(c: GridCell, rng: Rng): string {
  const p = (inner: string): string => `<p class=MsoNormal align=center style='text-align:center'>${inner}</p>`;
  if (c.text === '') return p(`<span lang=EN-US><o:p>&nbsp;</o:p></span>`);
  if (c.role === 'value' && /^-?[\d.]+$/.test(c.text)) {
    // Word often splits one number over two runs after an edit.
    if (c.text.length >= 2 && rng.chance(0.15)) {
      const cut = rng.int(1, c.text.length - 1);
      return p(`<span lang=EN-US>${c.text.slice(0, cut)}</span><span lang=EN-US>${c.text.slice(cut)}<o:p></o:p></span>`);
    }
    return p(`<span lang=EN-US>${c.text}<o:p></o:p></span>`);
  }
  // One Word paragraph per printed line.
  return lines(c.text)
    .map((l) => p(`${wordRun(l, c.role === 'header' || c.role === 'title' ? '黑体' : '宋体')}<span lang=EN-US><o:p></o:p></span>`))
    .join('\n  ');
}

function wordTable(t: GridTable, rng: Rng): string {
  const colW =
    t.part === 't3'
      ? [24, 64, 150, 52, 52, 52, 52, 52, 52, 52]
      : t.part === 't4'
        ? new Array(15).fill(40)
        : t.width === 5
          ? [150, 90, 50, 50, 90]
          : [170, 90, 90, 90];
  const total = colW.reduce((s, w) => s + w, 0);
  const out = [
    `<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 width=${total} style='width:${(total * 0.75).toFixed(1)}pt;border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>`,
  ];
  const covered: number[] = new Array(t.width).fill(0);
  t.rows.forEach((row, ri) => {
    const attrs = ri === 0 ? `mso-yfti-irow:0;mso-yfti-firstrow:yes;height:20.0pt` : `mso-yfti-irow:${ri};height:20.0pt`;
    out.push(` <tr style='${attrs}'>`);
    let c = 0;
    for (const cl of row) {
      while (covered[c] > 0) c++;
      const w = colW.slice(c, c + cl.colspan).reduce((s, x) => s + x, 0);
      out.push(
        `  <td width=${w}${spanAttrs(cl, '')} valign=center style='width:${(w * 0.75).toFixed(1)}pt;border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt;height:20.0pt'>\n  ${wordCellContent(cl, rng)}\n  </td>`,
      );
      for (let k = 0; k < cl.colspan; k++) covered[c + k] = cl.rowspan;
      c += cl.colspan;
    }
    out.push(' </tr>');
    for (let k = 0; k < t.width; k++) if (covered[k] > 0) covered[k]--;
  });
  // Word's column-sizing row: a real extra <tr> of empty cells inside a downlevel-revealed conditional.
  out.push(
    ' <![if !supportMisalignedColumns]>',
    ' <tr height=0>',
    ...colW.map((w) => `  <td width=${w} style='border:none'></td>`),
    ' </tr>',
    ' <![endif]>',
  );
  out.push('</table>');
  return out.join('\n');
}

function wordPage(r: SynthReport): string {
  const n = narrative(r);
  const t = tables(r, 'official', 'official');
  const rng = createRng(reportSeed(r)).fork(31);
  const body: string[] = [
    `<p class=MsoNormal align=center style='text-align:center;line-height:28.0pt'><b><span style='font-size:22.0pt;font-family:方正小标宋简体'>${escapeHtml(n.title)}</span></b><b><span lang=EN-US style='font-size:22.0pt'><o:p></o:p></span></b></p>`,
    `<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>`,
    ...n.preamble.map(
      (p) =>
        `<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'>${wordRun(p, '仿宋_GB2312')}<span lang=EN-US><o:p></o:p></span></p>`,
    ),
  ];
  n.sections.forEach((s, i) => {
    const [num, rest] = [s.heading.slice(0, 2), s.heading.slice(2)];
    body.push(
      rng.chance(0.5)
        ? // List numbering kept by Word in a downlevel-revealed conditional, as in [PT-2016].
          `<p class=MsoListParagraph style='margin-left:32.0pt;text-indent:-32.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-size:16.0pt;font-family:黑体'><span style='mso-list:Ignore'>${num}</span></span><![endif]><span style='font-size:16.0pt;font-family:黑体'>${escapeHtml(rest)}</span></p>`
        : `<p class=MsoNormal style='text-indent:32.0pt'><b><span style='font-size:16.0pt;font-family:黑体'>${escapeHtml(s.heading)}<span lang=EN-US><o:p></o:p></span></span></b></p>`,
    );
    body.push(
      ...s.paragraphs.map((p) => `<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'>${wordRun(p, '仿宋_GB2312')}</p>`),
    );
    for (const x of tablesOf(t, i)) {
      body.push(`<div align=center>\n${wordTable(x, rng)}\n</div>`, `<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>`);
    }
  });
  return `${WORD_HEAD(n.title)}\n<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>\n\n<div class=WordSection1 style='layout-grid:15.6pt'>\n\n${body.join('\n\n')}\n\n</div>\n\n</body>\n\n</html>\n`;
}

// ---- portal: the report inside a government portal page ----

function portalTable(t: GridTable): string {
  const rows = t.rows.map(
    (row) =>
      `<tr>${row
        .map(
          (c) =>
            `<td${spanAttrs(c)} style="border:1px solid #000;text-align:center;padding:2px"><p style="text-align:center">${c.text === '' ? '&nbsp;' : lines(c.text).map(escapeHtml).join('<br/>')}</p></td>`,
        )
        .join('')}</tr>`,
  );
  return `<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse;width:100%;margin:0 auto"><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function portalPage(r: SynthReport): string {
  const n = narrative(r);
  const t = tables(r, 'official', 'official');
  const rng = createRng(reportSeed(r)).fork(41);
  const city = r.agency.match(/^.+?[市区]/)?.[0] ?? r.agency;
  const prov = rng.pick(['沪', '闽', '苏', '浙', '川', '粤', '鄂', '吉']);
  const day = String(rng.int(10, 28));
  const content: string[] = [
    `<p style="text-align:center"><strong>${escapeHtml(n.title)}</strong></p>`,
    ...n.preamble.map((p) => `<p style="text-indent:2em">${escapeHtml(p)}</p>`),
  ];
  n.sections.forEach((s, i) => {
    content.push(
      `<p style="text-indent:2em"><strong>${escapeHtml(s.heading)}</strong></p>`,
      ...s.paragraphs.map((p) => `<p style="text-indent:2em">${escapeHtml(p)}</p>`),
    );
    content.push(...tablesOf(t, i).map(portalTable));
  });
  const years = [r.year - 1, r.year - 2, r.year - 3].map(
    (y) => `<li><a href="/zwgk/ndbg/${y}/" title="${y}年政府信息公开工作年度报告">${y}年政府信息公开工作年度报告</a></li>`,
  );
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta http-equiv="X-UA-Compatible" content="IE=edge" />
<title>${escapeHtml(n.title)}_${escapeHtml(city)}人民政府</title>
<meta name="SiteName" content="${escapeHtml(city)}人民政府" />
<meta name="ColumnName" content="政府信息公开年报" />
<meta name="ArticleTitle" content="${escapeHtml(n.title)}" />
<meta name="PubDate" content="${r.year + 1}-01-${day} 09:30" />
<link rel="stylesheet" type="text/css" href="/images/public.css" />
<script type="text/javascript" src="/js/jquery-1.12.4.min.js"></script>
</head>
<body>
<div class="top-bar"><div class="w1200"><span>欢迎访问${escapeHtml(city)}人民政府门户网站</span><a href="/wza/">无障碍</a> | <a href="/en/">English</a> | <a href="/app/">移动版</a></div></div>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="${escapeHtml(city)}人民政府" /></div>
<div class="search"><form action="/search/" method="get"><input type="text" name="q" placeholder="请输入关键字" /><button type="submit">搜索</button></form></div></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zjgk/">走进${escapeHtml(city)}</a></li><li class="on"><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/ztzl/">专题专栏</a></li></ul></div>
<table class="layout" width="1200" border="0" cellspacing="0" cellpadding="0" align="center">
<tr>
<td class="sidebar" width="260" valign="top">
<div class="side-title">政府信息公开</div>
<ul class="side-list"><li><a href="/zwgk/zn/">政府信息公开指南</a></li><li><a href="/zwgk/zd/">政府信息公开制度</a></li><li><a href="/zwgk/fdzdgknr/">法定主动公开内容</a></li><li class="on"><a href="/zwgk/ndbg/">政府信息公开年报</a></li><li><a href="/zwgk/ysqgk/">依申请公开</a></li></ul>
<div class="side-title">往年年报</div>
<ul class="side-list">${years.join('')}</ul>
<div class="side-hot">本站访问量：<span>${rng.int(100000, 9999999)}</span></div>
</td>
<td width="20">&nbsp;</td>
<td class="main" valign="top">
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/ndbg/">政府信息公开年报</a> &gt; 正文</div>
<div class="article">
<h1 class="article-title">${escapeHtml(n.title)}</h1>
<div class="article-info">发布时间：${r.year + 1}-01-${day}　来源：${escapeHtml(r.agency)}　浏览次数：<span id="hits">${rng.int(10, 9999)}</span>　字号：<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a></div>
<div class="TRS_Editor" id="zoom">
${content.join('\n')}
</div>
<div class="article-tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
</td>
</tr>
</table>
<div class="footer">
<p>主办：${escapeHtml(city)}人民政府办公室　承办：${escapeHtml(city)}大数据中心　版权所有：${escapeHtml(city)}人民政府</p>
<p><a href="https://beian.miit.gov.cn/" target="_blank">${prov}ICP备${rng.int(10000000, 99999999)}号-1</a>　网站标识码：${rng.int(1000000000, 9999999999)}　<img src="/images/ga.png" alt="" />${prov}公网安备 ${rng.int(10000000000000, 99999999999999)}号</p>
<p>联系电话：0${rng.int(10, 999)}-${rng.int(2000000, 89999999)}　建议使用1366×768以上分辨率浏览</p>
</div>
<script type="text/javascript">
var _hmt = _hmt || [];
(function () { var hm = document.createElement("script"); hm.src = "https://hm.baidu.com/hm.js?${rng.int(1e9, 9e9).toString(16)}"; var s = document.getElementsByTagName("script")[0]; s.parentNode.insertBefore(hm, s); })();
var pageConfig = { siteId: ${rng.int(1000, 9999)}, columnId: ${rng.int(10000, 99999)}, docId: ${rng.int(100000, 999999)}, counts: [${rng.int(0, 99)}, ${rng.int(0, 99)}, ${rng.int(0, 99)}] };
function doZoom(size) { document.getElementById("zoom").style.fontSize = size + "px"; }
</script>
</body>
</html>
`;
}

// ---- split-thead: thead/tbody, th cells, header rows merged differently, Table 2 as separate tables ----

function theadTable(t: GridTable): string {
  const row = (cells: GridCell[], inHead: boolean): string =>
    `<tr>${cells
      .map((c) => {
        const tag = inHead || c.role === 'label' || c.role === 'title' ? 'th' : 'td';
        const scope = !inHead && c.role === 'label' ? ' scope="row"' : '';
        return `<${tag}${scope}${spanAttrs(c)}>${lines(c.text).map(escapeHtml).join('<br />')}</${tag}>`;
      })
      .join('')}</tr>`;
  const head = t.rows.slice(0, t.headerRows).map((x) => row(x, true));
  const body = t.rows.slice(t.headerRows).map((x) => row(x, false));
  return `<table class="report-table">\n<thead>\n${head.join('\n')}\n</thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>`;
}

function theadPage(r: SynthReport): string {
  const n = narrative(r);
  const t = tables(r, 'split', 'split');
  const out = [`<header><h1>${escapeHtml(n.title)}</h1></header>`, '<main>', ...n.preamble.map((p) => `<p>${escapeHtml(p)}</p>`)];
  n.sections.forEach((s, i) => {
    out.push(`<section>`, `<h3>${escapeHtml(s.heading)}</h3>`, ...s.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`));
    out.push(...tablesOf(t, i).map(theadTable), '</section>');
  });
  out.push('</main>');
  return `<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${escapeHtml(n.title)}</title>\n<style>.report-table{border-collapse:collapse}.report-table th,.report-table td{border:1px solid #999;padding:4px}</style>\n</head>\n<body>\n${out.join('\n')}\n</body>\n</html>\n`;
}

// ---- drift: a fragment like [SH2019], Table 2 on a 5-column grid with drifting colspans ----

function shTable(t: GridTable, widthPx: number[]): string {
  const covered: number[] = new Array(t.width).fill(0);
  const rows = t.rows.map((row) => {
    let c = 0;
    const cells = row.map((cl) => {
      while (covered[c] > 0) c++;
      const w = widthPx.slice(c, c + cl.colspan).reduce((s, x) => s + x, 0);
      for (let k = 0; k < cl.colspan; k++) covered[c + k] = cl.rowspan;
      c += cl.colspan;
      const align = cl.role === 'label' ? '' : ' align="center"';
      const text = cl.text === '' ? '&nbsp;' : lines(cl.text).map(escapeHtml).join('<br />');
      return `<td${cl.colspan > 1 ? ` colspan="${cl.colspan}"` : ''} nowrap="nowrap"${cl.rowspan > 1 ? ` rowspan="${cl.rowspan}"` : ''} style="width:${w}px;"><p${align}>${text}</p></td>`;
    });
    for (let k = 0; k < t.width; k++) if (covered[k] > 0) covered[k]--;
    return `<tr>${cells.join('')}</tr>`;
  });
  return `<table align="center" border="1" cellspacing="1"><tbody>${rows.join('')}</tbody></table>`;
}

function driftPage(r: SynthReport): string {
  const n = narrative(r);
  const t = tables(r, 'drift', 'official');
  const widths = (x: GridTable): number[] =>
    x.part === 't2' ? [219, 149, 1, 100, 89] : x.part === 't3' ? [23, 57, 137, 38, 47, 47, 66, 57, 38, 62] : new Array(15).fill(40);
  const out = [
    `<p style='text-align: center;font-weight: bold;'>${escapeHtml(n.title)}</p>\t<p style='text-align: center'>发布日期：${r.year + 1}-01-31</p>`,
  ];
  out.push(...n.preamble.map((p) => `<p>${escapeHtml(p)}</p>`));
  n.sections.forEach((s, i) => {
    out.push(`<p>${i === 3 ? '<br />' : ''}${escapeHtml(s.heading)}</p>`, ...s.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`));
    out.push(...tablesOf(t, i).map((x) => shTable(x, widths(x))));
  });
  return out.join('');
}

// ---- entry point ----

export function renderHtml(r: SynthReport, layout: HtmlLayout): RenderedFile {
  const name = `${fileBase(r, layout)}.html`;
  switch (layout) {
    case 'official':
      return { bytes: utf8(officialPage(r, '<meta charset="utf-8">\n')), name };
    case 'word-export':
      return { bytes: utf8(wordPage(r)), name };
    case 'portal':
      return { bytes: utf8(portalPage(r)), name, contentType: 'text/html; charset=UTF-8' };
    case 'split-thead':
      return { bytes: utf8(theadPage(r)), name };
    case 'gbk':
      return { bytes: gbk(officialPage(r, '<meta charset="gb2312">\n')), name };
    case 'gbk-noheader':
      return { bytes: gbk(officialPage(r, '')), name };
    case 'drift':
      return { bytes: utf8(driftPage(r)), name };
  }
}

const encoder = new TextEncoder();
function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** GBK bytes; throws if a character has no GBK code (iconv-lite would silently print '?'). */
export function gbk(s: string): Uint8Array {
  const bytes = iconv.encode(s, 'gbk');
  if (iconv.decode(bytes, 'gbk') !== s) throw new Error('text has characters outside GBK');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}
