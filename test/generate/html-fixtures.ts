/**
 * Generates the HTML extractor's fixtures (test/fixtures/html/). The files are
 * committed; test/html/fixtures.test.ts checks they match this generator, and
 * rewrites them when OGI_WRITE_FIXTURES=1:
 *
 *   OGI_WRITE_FIXTURES=1 npx vitest run test/html/fixtures.test.ts
 *
 * The pages imitate what the portals publish: GBK pages with no charset
 * anywhere, Word "Save as Web Page" output, TRS/Hanweb portal templates with
 * a layout table, ASP.NET form wrapper, breadcrumbs, share widgets and footer.
 * Values in the tables are distinct so a test can tell a shifted column.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import iconv from 'iconv-lite';

export interface Fixture {
  name: string;
  bytes: Uint8Array;
}

/** Table 3 rows of the 2021 form: [label cells HTML, row key]. 25 data rows. */
const T3_LABELS: string[] = [
  '<td colspan="3">一、本年新收政府信息公开申请数量</td>',
  '<td colspan="3">二、上年结转政府信息公开申请数量</td>',
  '<td rowspan="22">三、本年度办理结果</td><td colspan="2">（一）予以公开</td>',
  '<td colspan="2">（二）部分公开（区分处理的，只计这一情形，不计其他情形）</td>',
  '<td rowspan="8">（三）不予公开</td><td>1.属于国家秘密</td>',
  '<td>2.其他法律行政法规禁止公开</td>',
  '<td>3.危及“三安全一稳定”</td>',
  '<td>4.保护第三方合法权益</td>',
  '<td>5.属于三类内部事务信息</td>',
  '<td>6.属于四类过程性信息</td>',
  '<td>7.属于行政执法案卷</td>',
  '<td>8.属于行政查询事项</td>',
  '<td rowspan="3">（四）无法提供</td><td>1.本机关不掌握相关政府信息</td>',
  '<td>2.没有现成信息需要另行制作</td>',
  '<td>3.补正后申请内容仍不明确</td>',
  '<td rowspan="5">（五）不予处理</td><td>1.信访举报投诉类申请</td>',
  '<td>2.重复申请</td>',
  '<td>3.要求提供公开出版物</td>',
  '<td>4.无正当理由大量反复申请</td>',
  '<td>5.要求行政机关确认或重新出具已获取信息</td>',
  '<td rowspan="3">（六）其他处理</td><td>1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请</td>',
  '<td>2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请</td>',
  '<td>3.其他</td>',
  '<td colspan="2">（七）总计</td>',
  '<td colspan="3">四、结转下年度继续办理</td>',
];

/** Value of Table 3 row r (0-based data row), column c (0..6): distinct, blank for some. */
export function t3Value(r: number, c: number): string {
  if (c === 6) return String(1000 + r); // 总计 column
  if ((r + c) % 4 === 3) return ''; // a blank printed as &nbsp;
  return String(r * 10 + c + 1);
}

export function table3Html(cell = (v: string) => (v === '' ? '&nbsp;' : v)): string {
  const head =
    '<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>' +
    '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>' +
    '<tr><td>商业<br>企业</td><td>科研<br>机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>';
  const body = T3_LABELS.map((labels, r) => {
    const vals = Array.from({ length: 7 }, (_, c) => `<td>${cell(t3Value(r, c))}</td>`).join('');
    return `<tr>${labels}${vals}</tr>`;
  }).join('');
  return `<table border="1" cellspacing="0">${head}${body}</table>`;
}

export function table4Html(): string {
  const words = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];
  const sub = words.map((w) => `<td>${w}</td>`).join('');
  return (
    '<table border="1"><tbody>' +
    '<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>' +
    `<tr>${words.map((w) => `<td rowspan="2">${w}</td>`).join('')}<td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>` +
    `<tr>${sub}${sub}</tr>` +
    `<tr>${Array.from({ length: 15 }, (_, i) => `<td>${i === 1 ? '&nbsp;' : 40 + i}</td>`).join('')}</tr>` +
    '</tbody></table>'
  );
}

export function table2Html(): string {
  return (
    '<table border="1"><tbody>' +
    '<tr><td colspan="4">第二十条第（一）项</td></tr>' +
    '<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>' +
    '<tr><td>规章</td><td>2</td><td>1</td><td>31</td></tr>' +
    '<tr><td>行政规范性文件</td><td>17</td><td>4</td><td>205</td></tr>' +
    '<tr><td colspan="4">第二十条第（五）项</td></tr>' +
    '<tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>' +
    '<tr><td>行政许可</td><td colspan="3">1,286</td></tr>' +
    '<tr><td colspan="4">第二十条第（八）项</td></tr>' +
    '<tr><td>信息内容</td><td colspan="3">本年收费金额（单位：万元）</td></tr>' +
    '<tr><td>行政事业性收费</td><td colspan="3">96.35</td></tr>' +
    '</tbody></table>'
  );
}

/** Narrative of a 2021-form report, as paragraphs; `agency` names the issuer. */
function narrative(agency: string, year: number): string[] {
  return [
    `本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》要求编制。本报告中所列数据的统计期限自${year}年1月1日起至${year}年12月31日止。`,
    '一、总体情况',
    `${year}年，${agency}认真贯彻落实《条例》，坚持以公开为常态、不公开为例外，持续推进决策、执行、管理、服务、结果公开。全年主动公开政府信息3215条，其中政策文件125件。`,
    '（一）主动公开',
    '围绕重点领域信息公开，及时发布财政预决算、重大建设项目、公共资源配置等信息。做好政策解读工作，发布解读材料46篇。',
    '（二）依申请公开',
    '全年共收到政府信息公开申请87件，均在法定期限内答复。',
  ];
}

function closing(): string[] {
  return [
    '五、存在的主要问题及改进情况',
    '一是政策解读形式还不够丰富；二是依申请公开办理规范化水平有待提高。下一步，将加强培训，提升工作人员业务能力。',
    '六、其他需要报告的事项',
    '本年度未收取信息处理费。',
  ];
}

const p = (s: string): string => `<p>${s}</p>`;

/** Tables 2, 3 and 4, each after its section heading. */
function tablesHtml(): string {
  return [
    p('二、主动公开政府信息情况'),
    table2Html(),
    p('三、收到和处理政府信息公开申请情况'),
    table3Html(),
    p('四、政府信息公开行政复议、行政诉讼情况'),
    table4Html(),
  ].join('\n');
}

function reportBodyHtml(agency: string, year: number): string {
  return [...narrative(agency, year).map(p), tablesHtml(), ...closing().map(p)].join('\n');
}

/** GBK bytes, no BOM, no meta, no header: decoding must come from the bytes. 喆 and 堃 are GBK-only (not GB2312). */
export function gbkNoCharset(): Fixture {
  const agency = '喆堃镇人民政府';
  const html =
    '<html><head><title>喆堃镇人民政府2021年政府信息公开工作年度报告</title></head><body>\n' +
    `<div class="main"><h1>${agency}2021年政府信息公开工作年度报告</h1>\n${reportBodyHtml(agency, 2021)}\n</div></body></html>`;
  return { name: 'gbk-no-charset.html', bytes: iconv.encode(html, 'gbk') };
}

/** Declared gb2312 (as IE-era editors write it) while the bytes use GBK-only characters. */
export function gb2312Meta(): Fixture {
  const agency = '某某县喆城街道办事处';
  const html =
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>年度报告</title></head><body>\n' +
    `<div class="content"><p align="center"><strong>${agency}2021年政府信息公开工作年度报告</strong></p>\n${reportBodyHtml(agency, 2021)}\n</div></body></html>`;
  return { name: 'gb2312-meta.html', bytes: iconv.encode(html, 'gbk') };
}

/** A page re-saved as UTF-8 whose meta still says gb2312. */
export function utf8WrongMeta(): Fixture {
  const agency = '某某市生态环境局';
  const html =
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>某某市生态环境局2021年政府信息公开工作年度报告</title></head><body>\n' +
    `<div id="zoom">${reportBodyHtml(agency, 2021)}</div></body></html>`;
  return { name: 'utf8-wrong-meta.html', bytes: Buffer.from(html, 'utf8') };
}

const NAV = ['首页', '政务公开', '政务服务', '互动交流', '走进某某', '专题专栏', '数据开放', '政策文件', '通知公告', '人事信息']
  .map((t, i) => `<li><a href="/col/${i}/index.html">${t}</a></li>`)
  .join('');

function portalChromeTop(site: string): string {
  return (
    `<div class="header"><h1 class="logo"><img src="/images/logo.png" alt="${site}">${site}</h1>` +
    '<div class="weather">今天 晴 12℃～20℃</div><div class="search"><input type="text" name="q"><button>搜索</button></div></div>\n' +
    `<div class="nav"><ul>${NAV}</ul></div>\n`
  );
}

function portalSidebar(): string {
  const links = [
    '政府信息公开指南',
    '政府信息公开制度',
    '法定主动公开内容',
    '政府信息公开年报',
    '2020年政府信息公开工作年度报告',
    '2019年政府信息公开工作年度报告',
  ]
    .map((t, i) => `<tr><td><a href="/xxgk/${i}.html">${t}</a></td></tr>`)
    .join('');
  return (
    '<div class="sidebar"><h3>政府信息公开</h3>' +
    // A menu laid out as a table that names 政府信息公开: link-dense, so not report data.
    `<table class="menu">${links}</table>` +
    '<div class="contact">联系电话：0571-12345678 地址：某某路1号 邮编：310000</div></div>'
  );
}

function portalFooter(site: string): string {
  return (
    '<div style="display:none">统计代码 隐藏文字不应出现</div>\n' +
    `<div class="footer"><p>版权所有：${site}办公室 主办单位：${site}办公室 承办单位：某某区大数据发展管理局</p>` +
    '<p>网站标识码：3301000001 浙ICP备12345678号-1 浙公网安备 33010202000001号</p><p>建议使用1920×1080分辨率、IE10以上浏览器</p></div>\n'
  );
}

/**
 * A TRS-style portal page: ASP.NET form wrapper, header, nav, a layout table
 * (sidebar cell + content cell), breadcrumb, the article with #zoom, share and
 * print widgets, related links, hidden text and a footer.
 */
export function portalLayout(): Fixture {
  const site = '某某区人民政府';
  const agency = '某某区人民政府';
  const html =
    '<!DOCTYPE html>\n<html><head><meta charset="utf-8">' +
    `<title>某某区人民政府2021年政府信息公开工作年度报告_${site}</title>\n` +
    '<script>var tpl = "<table><tr><td>本年新收政府信息公开申请数量</td></tr></table>"; document.write("<p>脚本文字</p>");</script>\n' +
    '<style>.nav li{float:left} p{text-indent:2em}</style><link rel="stylesheet" href="/css/main.css">\n' +
    '</head><body>\n<form id="form1" method="post" action="./detail.aspx">\n' +
    `<input type="hidden" name="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1MmRkMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA=">\n` +
    portalChromeTop(site) +
    '<table class="layout" width="1000" cellpadding="0" cellspacing="0"><tr>\n' +
    `<td class="left" width="200" valign="top">${portalSidebar()}</td>\n` +
    '<td class="right" width="800" valign="top">\n' +
    '<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/ndbg/">政府信息公开年报</a></div>\n' +
    '<div class="article">\n' +
    `<div class="article-title"><h2>${agency}2021年政府信息公开工作年度报告</h2></div>\n` +
    '<div class="info">发布时间：2022-01-20 来源：区政府办公室 【字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>\n' +
    `<div id="zoom" class="TRS_Editor">\n${reportBodyHtml(agency, 2021)}\n</div>\n` +
    '<div class="tools"><span><a href="javascript:window.print()">【打印本页】</a></span><span><a href="javascript:window.close()">【关闭窗口】</a></span></div>\n' +
    '<div class="share">分享到：<a href="#">微信</a><a href="#">微博</a><a href="#">QQ空间</a></div>\n' +
    '</div>\n' +
    '<div class="related"><h4>相关文章</h4><ul>' +
    ['2020年度报告', '2019年度报告', '2018年度报告', '政府信息公开指南'].map((t) => `<li><a href="#">${t}</a></li>`).join('') +
    '</ul></div>\n' +
    '</td></tr></table>\n' +
    portalFooter(site) +
    '</form>\n<script src="/js/stat.js"></script>\n</body></html>\n';
  return { name: 'portal-layout.html', bytes: Buffer.from(html, 'utf8') };
}

/**
 * A portal page with no known content container: the narrative sits in one
 * div and the tables in a sibling div, so the density heuristic picks the
 * narrative and the report tables must pull the body back up.
 */
export function portalDensity(): Fixture {
  const site = '某某市交通运输局';
  // The tables come last, after the closing parts, as in some real reports.
  const narrativeHtml = narrative(site, 2022).map(p).join('\n');
  const closingHtml = closing().map(p).join('\n');
  // Long enough that the narrative alone holds over three quarters of the article's text.
  const extra = Array.from({ length: 80 }, (_, i) =>
    p(
      `${i + 1}. 持续深化政务公开，推进政府信息管理规范化，完善信息发布审核机制，确保信息准确、及时、规范发布。各科室按照职责分工，落实公开责任。`,
    ),
  ).join('\n');
  const tables = tablesHtml();
  const html =
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>市交通运输局2022年政府信息公开工作年度报告 - 某某市交通运输局</title></head><body>\n' +
    portalChromeTop(site) +
    '<div class="wrap"><div class="crumbs">您现在的位置：<a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a></div>\n' +
    '<div class="main-box"><div class="detail">\n' +
    '<div class="detail-title">某某市交通运输局2022年政府信息公开工作年度报告</div>\n' +
    '<div class="meta-line">发布日期：2023-01-18 浏览次数：1024</div>\n' +
    `<div class="detail-text">\n${narrativeHtml}\n${extra}\n${closingHtml}\n</div>\n` +
    `<div class="detail-tables">\n${tables}\n</div>\n` +
    '</div></div>\n' +
    `<div class="side-list"><h4>最新信息</h4><ul>${['关于某某的通知', '某某工作动态', '某某公示', '某某公告'].map((t) => `<li><a href="#">${t}</a></li>`).join('')}</ul></div>\n` +
    '</div>\n' +
    portalFooter(site) +
    '</body></html>\n';
  return { name: 'portal-density.html', bytes: Buffer.from(html, 'utf8') };
}

/** Word's "Save as Web Page" output, gb2312-declared, GBK bytes. */
export function wordExport(): Fixture {
  const tdv = (v: string) =>
    v === ''
      ? `<td width=60 valign=top style='border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt'><p class=MsoNormal align=center style='text-align:center'><span lang=EN-US><o:p>&nbsp;</o:p></span></p></td>`
      : `<td width=60 valign=top style='border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt'><p class=MsoNormal align=center style='text-align:center'><span lang=EN-US style='font-size:10.5pt'>${v}<o:p></o:p></span></p></td>`;
  const tdl = (t: string, attrs = '') =>
    `<td ${attrs} valign=top style='border:solid windowtext 1.0pt'><p class=MsoNormal><span style='font-family:仿宋_GB2312'>${t}</span><span lang=EN-US><o:p></o:p></span></p></td>`;
  const listPara = (num: string, text: string, ie: boolean) =>
    ie
      ? `<p class=MsoListParagraph style='margin-left:0cm;text-indent:0cm;mso-list:l0 level1 lfo1'><!--[if !supportLists]--><span style='font-family:黑体'>${num}<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp; </span></span><!--[endif]--><span style='font-family:黑体'>${text}</span><span lang=EN-US><o:p></o:p></span></p>`
      : `<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]><span>${num}<span style='font:7.0pt "Times New Roman"'>&nbsp; </span></span><![endif]><span>${text}</span></p>`;
  const body =
    `<p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:22.0pt;font-family:方正小标宋简体'>某某县喆城镇人民政府<span lang=EN-US>2021</span>年政府信息公开<br>工作年度报告<span lang=EN-US><o:p></o:p></span></span></b></p>\n` +
    `<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'><span style='font-size:16.0pt;font-family:仿宋_GB2312'>本报告由某某县喆城镇人民政府根据《条例》要求编制。<span lang=EN-US><o:p></o:p></span></span></p>\n` +
    listPara('一、', '总体情况', true) +
    '\n' +
    `<p class=MsoNormal style='text-indent:32.0pt'><span style='font-family:仿宋_GB2312'>全年主动公开政府信息<span lang=EN-US>412</span>条。</span></p>\n` +
    listPara('二、', '主动公开政府信息情况', false) +
    '\n' +
    `<div align=center><table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;mso-yfti-tbllook:1184'>\n` +
    `<tr style='mso-yfti-irow:0;height:20.0pt'>${tdl('第二十条第（一）项', 'colspan=4 width=400')}</tr>\n` +
    `<tr>${tdl('信息内容')}<td width=100 valign=top style='border:solid windowtext 1.0pt'><p class=MsoNormal align=center><span>本年</span></p><p class=MsoNormal align=center><span>制发件数</span></p></td>` +
    `<td width=100><span class=MsoNormal>本年</span><span class=MsoNormal>废止件数</span></td><td width=100><p class=MsoNormal>现行有效<span lang=EN-US><o:p></o:p></span>件数</p></td></tr>\n` +
    `<tr>${tdl('规章')}${tdv('3')}${tdv('')}${tdv('28')}</tr>\n` +
    `<tr>${tdl('行政规范性文件')}${tdv('11')}${tdv('2')}${tdv('96')}</tr>\n` +
    `<![if !supportMisalignedColumns]><tr height=0><td width=100 style='border:none'></td><td width=100 style='border:none'></td><td width=100 style='border:none'></td><td width=100 style='border:none'></td></tr><![endif]>\n` +
    '</table></div>\n' +
    listPara('三、', '收到和处理政府信息公开申请情况', true) +
    '\n' +
    `<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>\n` +
    table3Html((v) =>
      v === ''
        ? `<p class=MsoNormal align=center><span lang=EN-US><o:p>&nbsp;</o:p></span></p>`
        : `<p class=MsoNormal align=center><span lang=EN-US>${v}<o:p></o:p></span></p>`,
    ) +
    '\n';
  const html =
    `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">\n` +
    `<head>\n<meta http-equiv=Content-Type content="text/html; charset=gb2312">\n<meta name=ProgId content=Word.Document>\n<meta name=Generator content="Microsoft Word 15">\n` +
    `<title>某某县喆城镇人民政府2021年政府信息公开工作年度报告</title>\n` +
    `<!--[if gte mso 9]><xml>\n <o:DocumentProperties>\n  <o:Author>admin</o:Author>\n  <o:Pages>3</o:Pages>\n </o:DocumentProperties>\n</xml><![endif]-->\n` +
    `<style>\n<!--\n /* Style Definitions */\n p.MsoNormal, li.MsoNormal, div.MsoNormal\n\t{mso-style-parent:"";\n\tmargin:0cm;\n\tfont-size:10.5pt;}\n-->\n</style>\n` +
    `<!--[if gte vml 1]><v:shapetype id="_x0000_t75"></v:shapetype><![endif]-->\n` +
    `</head>\n<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>\n<div class=WordSection1 style='layout-grid:15.6pt'>\n${body}</div>\n</body>\n</html>\n`;
  return { name: 'word-export.html', bytes: iconv.encode(html, 'gbk') };
}

/** rowspan/colspan edge cases, each table preceded by a paragraph naming it. */
export function grids(): Fixture {
  const t = (name: string, inner: string) => `<p>${name}</p>\n<table border="1">${inner}</table>\n`;
  const html =
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>grids</title></head><body>\n' +
    t('ragged', '<tr><td>a</td><td>b</td><td>c</td></tr><tr><td>d</td><td>e</td></tr><tr><td>f</td><td>g</td><td>h</td><td>i</td></tr>') +
    t(
      'spans',
      '<tr><td colspan="1000">标题行</td></tr>' +
        '<tr><td rowspan="0">左</td><td colspan="0">x</td><td>y</td></tr>' +
        '<tr><td>z</td><td rowspan="9">长</td></tr>' +
        '<tr><td colspan="abc">w</td></tr>',
    ) +
    t(
      'sections',
      '<tfoot><tr><td>合计</td><td>9</td></tr></tfoot>' +
        '<tbody><tr><td>甲</td><td>4</td></tr><tr><td>乙</td><td>5</td></tr></tbody>' +
        '<thead><tr><th rowspan="5">项目</th><th>数量</th></tr></thead>',
    ) +
    t(
      'overlap',
      '<tr><td>A</td><td rowspan="2">B</td><td>C</td></tr><tr><td colspan="3">D</td></tr><tr><td>E</td><td>F</td><td>G</td></tr>',
    ) +
    t('whitespace', '<tr><td>  1\u00a0 2 \n </td><td>&nbsp;</td><td> \u3000 </td><td>政府信息\n公开</td><td>Total\namount</td></tr>') +
    '<table><tr><td><p>单格布局表中的第一段，这是一个用来排版的表格。</p><p>第二段。</p></td></tr></table>\n' +
    '</body></html>\n';
  return { name: 'grids.html', bytes: Buffer.from(html, 'utf8') };
}

/**
 * Modelled on the TRS "trt" detail template of pingtan.gov.cn as crawled in
 * 2023-2025 (changwu/pingtan-gov-zwgk-archive, page.html): avalon ms-*
 * widgets, breadcrumb, .article_title outside the text, 全真版/文字版 tabs
 * with an iframe, .TRS_Editor inside .article_content, tab spans with
 * white-space:pre, table cells as <p class="p"> ending in &nbsp;, a legacy
 * upper-case paragraph with a <P> nested in a <SPAN>, and the portal footer.
 * The structure is the portal's; the text and values are generated.
 */
export function trsPortal(): Fixture {
  const title = '平潭综合实验区2022年度政府信息公开工作年度报告';
  const tab = '<span style="white-space:pre">\t</span>';
  const para = (t: string) => `<p><span style="font-size: 16px;">${tab}${t}</span></p>`;
  const cell = (v: string) =>
    `<p class="p" style="margin: 0pt; text-align: justify; line-height: 20pt;"><span style="font-family: 仿宋_GB2312; font-size: 14pt;"><span style="font-family:仿宋_GB2312">${v}</span><span style="font-family:仿宋_GB2312">&nbsp;</span></span><span style="font-family: 仿宋_GB2312;"></span></p>`;
  const t3 = table3Html(cell).replace(
    '<table border="1" cellspacing="0">',
    '<table class="MsoNormalTable" border="1" cellspacing="0" style="border-collapse:collapse;width:434.9500pt;border:none;\nmso-border-left-alt:0.5000pt solid windowtext;">',
  );
  const html =
    '<!DOCTYPE html>\n<html ms-controller="windowRoot" ms-class-1="SLB:isSlb">\n  <head>\n    <meta charset="utf-8" name="viewport" content="width=device-width, initial-scale=1.0" />\n' +
    `<meta name="SiteName" content="平潭综合实验区党工委管委会"/>\n<meta name="ColumnName" content="政府信息公开年报"/>\n<meta name="ArticleTitle" content="${title}"/>\n<meta name="PubDate" content="2023-02-20 15:07"/>\n` +
    `    <title>${title}_政府信息公开年报_平潭综合实验区党工委管委会</title>\n    <link rel="stylesheet" type="text/css" href="/images/trt_ui_v2.css">\n  </head>\n  <body>\n` +
    '    <div class="warp info_public_bg">\n      <!--头部開始-->\n      <div class="header menu_hov"><div class="row"><div class="logo trt-col-9"><img src="/images/gh_logo.png" /></div>\n' +
    '<div class="header_line clearflx" role="serve" des="头部信息"><a href="https://www.gov.cn/" title="国务院">国务院</a><a href="https://www.fujian.gov.cn/" title="省政府">省政府</a>\n' +
    '<em ms-visible="!isLogin"><a id="logined" href="javascript:void(0);" ms-click="$login">登录</a><a href="javascript:void(0);">注册</a></em>\n' +
    '<em ms-visible="isLogin" style="display:none;"><a href="/uc/indexs/index">你好，<font ms-text="loginInfo.showname | truncate(12)"></font></a></em><span>网站支持IPV6</span></div>\n' +
    `<div class="menu_base menu_right menu_hd"><ul class="clearflx" role="navigation"><li><a href="/">首页</a></li><li class="parentNode"><a href="/zwgk/">政务公开</a></li><li><a href="/jdhy/">解读回应</a></li><li><a href="/bsfw/">办事服务</a></li></ul></div>\n` +
    '<div class="search_fixed"><form method="get" action="/ssp/main/index.html"><input type="text" placeholder="请输入搜索内容" name="key" /><button class="btn_base"><i class="trt-iconfont trt-icon-sousuo"></i></button></form></div></div></div>\n' +
    '<div class="banner_header"><div class="area_weather"><p><font ms-text="now|date(\'yyyy年MM月dd日 EEEE\')"></font></p><p id="weather-box"><iframe id="tianqi" src="https://example.invalid/tianqi"></iframe></p></div>\n' +
    '<div class="aged_link"><a href="javascript:void(0);" ms-click="$inSlb()">长者模式</a><a href="javascript:void(0);" id="barrierFreeBtn"><font id="WzaStatus">无障碍浏览</font></a></div></div>\n' +
    '      <!--头部結束-->\n      <div class="main"><div class="content"><div class="row content_bg_02" role="viewlist" des="正文">\n' +
    '<div class="breadcrumb"><span><i class="trt-iconfont trt-icon-weizhi"></i>当前位置：</span><ul><li><a href="../../../../" title="首页">首页</a></li><li><a href="../../../" title="政务公开">政务公开</a></li><li><a href="../" title="政府信息公开年报">政府信息公开年报</a></li></ul></div>\n' +
    '<div class="pad_t_base"><div class="mar_t_large"><div class="trt-row" ms-controller="relnews"><div class="trt-col-sm-24"><div class="article_component" ms-controller="windowRoot">\n' +
    `<div class="article_title_group"><div class="article_title text_align_center">\n                          ${title}\n                        </div></div>\n` +
    '<div class="article_extend pad_base"><div class="trt-row"><div class="trt-col-16"><span class="article_source">来源：平潭综合实验区管委会办公室</span> <span class="article_time bf-pass">时间：2023-02-20 15:07</span></div>\n' +
    '<div class="trt-col-8 function_icon none_sm"><span class="SLB_none" ms-click="$addfont()"><i class="trt-iconfont trt-icon-zitifangda"></i></span><span class="phone_none" onclick="$printDetail()"><i class="trt-iconfont trt-icon-dayin"></i></span>' +
    '<span class="share"><i class="trt-iconfont trt-icon-fenxiang1"></i><div class="share_box"><a href="javascript:void(0);" title="分享到微信">微信</a><a href="javascript:void(0);" title="分享到新浪微博">微博</a><a href="javascript:void(0);" title="分享到QQ空间">QQ空间</a></div></span></div></div></div>\n' +
    '<div class="tabs tab_base_01"><div class="tabs_hd" ms-controller="QzbView" ms-visible="qzbFile!=\'\'"><ul><li ms-click="$togs(0)"><a href="javascript:;">全真版</a></li><li ms-click="$togs(1)"><a href="javascript:;">文字版</a></li></ul><a ms-attr-href="qzbFile" title="文件下载" class="download"><i class="trt-iconfont trt-icon-pdf"></i>文件下载</a></div>\n' +
    '<div class="links_con mar_b_base" ms-controller="list" ms-if="havXglj"><span>相关链接：</span><p ms-repeat="list"><a ms-attr-href="el.url" ms-text="el.title"></a></p></div>\n' +
    '<div class="tabs_content tabs_bd"><div class="pic_con" ms-visible="show==0&&qzbFile!=\'\'"><iframe class="isofd" ms-attr-src="/generic2/web/viewer.html?file={{qzbFile}}"></iframe></div>\n' +
    '<div class="word_con" ms-controller="QzbView" ms-visible="show==1||qzbFile==\'\'">\n\t\t\t\t\t\t\t<!-- 预防无法预览 -->\n\t\t\t\t\t\t\t<!-- <div class="word_con" ms-controller="QzbView"> -->\n' +
    '<div class="article_area" ms-controller="windowRoot" ms-class="font{{detailFont}}"><div class="article_content article_content_01 font_family_cn">\n<div class=TRS_Editor>' +
    para(
      '本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）、《国务院办公厅政府信息与政务公开办公室关于印发&lt;中华人民共和国政府信息公开工作年度报告格式&gt;的通知》（国办公开办函〔2021〕30号）等文件要求编制。',
    ) +
    para('一、总体情况') +
    '<P style="LINE-HEIGHT: 27pt; TEXT-INDENT: 32pt; MARGIN: 0cm 0cm 0pt; FONT-SIZE: 12pt" align=left><SPAN style="FONT-FAMILY: 仿宋_GB2312; FONT-SIZE: 16pt">\n<P style="LINE-HEIGHT: 27pt; TEXT-INDENT: 32pt"><SPAN style="FONT-FAMILY: 仿宋_GB2312; FONT-SIZE: 16pt">2022年，全区共主动公开政府信息<SPAN>14571</SPAN>条，集中公开现行有效行政规范性文件<SPAN>698</SPAN>件。</SPAN></P>\n' +
    para('（一）主动公开方面') +
    para('持续推进基础信息公开、深化重点领域信息公开，做好规范性文件、各类规划和惠企政策公开。') +
    para('二、主动公开政府信息情况') +
    table2Html() +
    para('三、收到和处理政府信息公开申请情况') +
    t3 +
    para('四、政府信息公开行政复议、行政诉讼情况') +
    table4Html() +
    closing().map(para).join('') +
    '</div>\n</div></div>\n</div></div></div>\n</div></div></div></div></div>\n</div></div></div>\n' +
    '<div class="footer"><div class="row" role="serve" des="网站信息"><div class="trt-col-11 website_info"><p><a href="/zwzdb/sybz/" title="使用帮助">使用帮助</a><em>|</em><a href="/zwzdb/lxwm/" title="联系我们">联系我们</a><em>|</em><a href="/zwzdb/ysbh/" title="隐私保护">隐私保护</a></p>\n' +
    '<p><span>网站标识码：3590000001</span><span><img src="/images/babs.png" /> <a href="#">公安备案号：35012899001-19002</a></span><span><a href="https://beian.miit.gov.cn" title="闽ICP备09032658号">闽ICP备09032658号</a></span></p>\n' +
    '<p><span>版权所有：平潭综合实验区党工委管委会网站</span></p></div></div>\n' +
    '<div class="copyright_info"><div class="row"><p><span>主办单位：福建省平潭综合实验区管理委员会办公室</span></p><p>为确保最佳浏览效果，建议您使用以下浏览器版本：IE浏览器9.0版本及以上； Google Chrome浏览器 63版本及以上。</p></div></div></div>\n' +
    "      <!--底部结束-->\n    </div>\n    <script>\n    var SiteInfo = { itpSiteId: 21, itpMassage:'系统正在升级，预计于晚上20时恢复，为此对您造成的不便敬请谅解。' };\n</script>\n" +
    '<script src="/images/model.min.js"></script>\n  </body>\n</html>\n';
  return { name: 'trs-portal.html', bytes: Buffer.from(html, 'utf8') };
}

export function htmlFixtures(): Fixture[] {
  return [gbkNoCharset(), gb2312Meta(), utf8WrongMeta(), portalLayout(), portalDensity(), wordExport(), grids(), trsPortal()];
}

/** The repository root: the nearest package.json above this file (works from src and from dist/). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    if (dirname(dir) === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = dirname(dir);
  }
  return dir;
}

export const fixtureDir = (): string => join(repoRoot(), 'test', 'fixtures', 'html');

export function writeHtmlFixtures(dir = fixtureDir()): string[] {
  mkdirSync(dir, { recursive: true });
  return htmlFixtures().map((f) => {
    const path = join(dir, f.name);
    writeFileSync(path, f.bytes);
    return path;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const path of writeHtmlFixtures()) console.log(path);
}
