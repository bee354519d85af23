/**
 * Generates the PDF extractor's fixtures in test/fixtures/pdf/, each table
 * fixture with a JSON file of the tables the extractor must rebuild.
 *
 *   npx tsc -p . && node dist/test/generate/pdf-fixtures.js
 *   (OGI_ROOT=/path/to/repo when the compiled script lives elsewhere)
 *
 * Needs LibreOffice (soffice, or OGI_SOFFICE), qpdf and pdftoppm. Tests only
 * read the committed outputs and never need these tools.
 *
 * - report-5p: a 5-page 2021-form report from HTML (tables 2/3/4 with real
 *   rowspan/colspan, a one-character-wide vertical label, wrapped headers);
 *   table 3 runs over a page break.
 * - split-header / split-noheader: a long table over two pages, with and
 *   without a repeated header, and a merged cell across the break.
 * - borderless: a table with no rulings (alignment fallback).
 * - ruled-filled: hand-written PDF whose rulings are thin filled rectangles
 *   under a cm transform, with merged cells, white lines, shading and a
 *   page-number footer; rotated: the same page with /Rotate 90.
 * - continues: a table ending page 1 and a different table starting page 2.
 * - cmap-font: Chinese in a non-embedded font with a predefined CMap
 *   (UniGB-UCS2-H), readable only with pdf.js' cMaps.
 * - watermark: three pages with a slanted watermark across a table, a column
 *   header turned counter-clockwise, and text placed off the page.
 * - encrypted (user password), encrypted-owner (permissions only, opens;
 *   both copies of ruled-filled), truncated (60% of borderless), scanned (one
 *   JPEG of borderless, no text), mixed (ruled-filled then scanned),
 *   html-as (an HTML page named .pdf).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { mulberry32 as rng } from './synth/prng.js';
import { sofficeConvert } from './soffice.js';
import { cjkText, hRule, text, vRule, writePdf } from './pdf-writer.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
// Compiled into dist/test/generate → the repository is three levels up.
const ROOT = process.env.OGI_ROOT ?? resolve(here, here.includes(`${join('dist', 'test')}`) ? '../../..' : '../..');
const OUT = join(ROOT, 'test', 'fixtures', 'pdf');

/** Expected table: [row, col, rowSpan, colSpan, text] origin cells. */
type CellSpec = [number, number, number, number, string];
interface TableSpec {
  nRows: number;
  nCols: number;
  cells: CellSpec[];
}
/** A spec row item: text, or [text, rowSpan, colSpan]. */
type Item = string | [string, number, number];

/** Lays rows of items onto a grid (like HTML does) and returns the origin cells. */
function layout(rows: Item[][]): TableSpec {
  const taken = new Set<string>();
  const cells: CellSpec[] = [];
  let nCols = 0;
  rows.forEach((row, r) => {
    let c = 0;
    for (const item of row) {
      while (taken.has(`${r},${c}`)) c++;
      const [text, rs, cs] = typeof item === 'string' ? [item, 1, 1] : item;
      cells.push([r, c, rs, cs, text]);
      for (let i = 0; i < rs; i++) for (let j = 0; j < cs; j++) taken.add(`${r + i},${c + j}`);
      c += cs;
      nCols = Math.max(nCols, c);
    }
  });
  return { nRows: rows.length, nCols, cells };
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

function htmlTable(rows: Item[][], attrs: string, cols?: number[]): string {
  const colgroup = cols ? `<colgroup>${cols.map((w) => `<col width="${w}">`).join('')}</colgroup>` : '';
  const body = rows
    .map(
      (row) =>
        `<tr>${row
          .map((it) => {
            const [t, rs, cs] = typeof it === 'string' ? [it, 1, 1] : it;
            return `<td${rs > 1 ? ` rowspan="${rs}"` : ''}${cs > 1 ? ` colspan="${cs}"` : ''}>${esc(t)}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('\n');
  return `<table ${attrs}>${colgroup}\n${body}\n</table>`;
}

// ---------------------------------------------------------------- report-5p

function table2(rand: () => number): Item[][] {
  const n = () => String(Math.floor(rand() * 40));
  return [
    [['第二十条第（一）项', 1, 4]],
    ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'],
    ['规章', n(), n(), n()],
    ['行政规范性文件', n(), n(), n()],
    [['第二十条第（五）项', 1, 4]],
    ['信息内容', ['本年处理决定数量', 1, 3]],
    ['行政许可', [String(Math.floor(rand() * 900)), 1, 3]],
    [['第二十条第（六）项', 1, 4]],
    ['信息内容', ['本年处理决定数量', 1, 3]],
    ['行政处罚', [String(Math.floor(rand() * 5000)), 1, 3]],
    ['行政强制', [String(Math.floor(rand() * 300)), 1, 3]],
    [['第二十条第（八）项', 1, 4]],
    ['信息内容', ['本年收费金额（单位：万元）', 1, 3]],
    ['行政事业性收费', [(rand() * 9000).toFixed(2), 1, 3]],
  ];
}

const T3_GROUPS: [string | null, string[]][] = [
  [null, ['（一）予以公开', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）']],
  [
    '（三）不予公开',
    [
      '1.属于国家秘密',
      '2.其他法律行政法规禁止公开',
      '3.危及“三安全一稳定”',
      '4.保护第三方合法权益',
      '5.属于三类内部事务信息',
      '6.属于四类过程性信息',
      '7.属于行政执法案卷',
      '8.属于行政查询事项',
    ],
  ],
  ['（四）无法提供', ['1.本机关不掌握相关政府信息', '2.没有现成信息需要另行制作', '3.补正后申请内容仍不明确']],
  [
    '（五）不予处理',
    ['1.信访举报投诉类申请', '2.重复申请', '3.要求提供公开出版物', '4.无正当理由大量反复申请', '5.要求行政机关确认或重新出具已获取信息'],
  ],
  [
    '（六）其他处理',
    [
      '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
      '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
      '3.其他',
    ],
  ],
  [null, ['（七）总计']],
];

function table3(rand: () => number): Item[][] {
  const values = () => {
    const v = Array.from({ length: 6 }, () => Math.floor(rand() * 30));
    return [...v, v.reduce((a, b) => a + b, 0)].map(String);
  };
  const rows: Item[][] = [
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
    [['一、本年新收政府信息公开申请数量', 1, 3], ...values()],
    [['二、上年结转政府信息公开申请数量', 1, 3], ...values()],
  ];
  const resultRows = T3_GROUPS.reduce((n, [, items]) => n + items.length, 0);
  let first = true;
  for (const [group, items] of T3_GROUPS) {
    items.forEach((label, i) => {
      const row: Item[] = [];
      if (first) row.push(['三、本年度办理结果', resultRows, 1]);
      first = false;
      if (group === null) row.push([label, 1, 2]);
      else {
        if (i === 0) row.push([group, items.length, 1]);
        row.push(label);
      }
      rows.push([...row, ...values()]);
    });
  }
  rows.push([['四、结转下年度继续办理', 1, 3], ...values()]);
  return rows;
}

function table4(rand: () => number): Item[][] {
  const parts = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];
  const group = () => {
    const v = Array.from({ length: 4 }, () => Math.floor(rand() * 12));
    return [...v, v.reduce((a, b) => a + b, 0)].map(String);
  };
  return [
    [
      ['行政复议', 1, 5],
      ['行政诉讼', 1, 10],
    ],
    [...parts.map((p): Item => [p, 2, 1]), ['未经复议直接起诉', 1, 5], ['复议后起诉', 1, 5]],
    [...parts, ...parts],
    [...group(), ...group(), ...group()],
  ];
}

const PROSE = [
  '本年度，本机关坚持以人民为中心的发展思想，认真贯彻落实《中华人民共和国政府信息公开条例》，围绕中心工作，持续深化政务公开，不断提升政府信息公开工作的规范化、标准化水平。',
  '一是加强组织领导，明确分管负责同志和工作机构，完善信息发布审核机制，做到应公开尽公开。二是规范依申请公开办理流程，严格答复时限，提高答复质量。三是加强政府网站和政务新媒体建设管理。',
  '全年通过政府门户网站主动公开各类政府信息，及时发布政策文件、工作动态和通知公告，做好重要政策解读和回应关切工作，保障公众的知情权、参与权、表达权和监督权。',
];

function reportHtml(): { html: string; tables: TableSpec[] } {
  const rand = rng(20231);
  const t2 = table2(rand);
  const t3 = table3(rand);
  const t4 = table4(rand);
  const prose = (n: number) => Array.from({ length: n }, (_, i) => `<p style="text-indent:2em">${PROSE[i % PROSE.length]}</p>`).join('\n');
  const t3cols = [22, 90, 170, 40, 36, 36, 36, 36, 36, 40];
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>示范区人民政府2023年政府信息公开工作年度报告</title>
<style>body{font-family:'Noto Serif CJK SC';font-size:12pt} td{font-size:10pt}</style></head><body>
<h1 align="center">示范区人民政府2023年政府信息公开工作年度报告</h1>
<p style="text-indent:2em">本报告根据《中华人民共和国政府信息公开条例》要求编制。报告中所列数据统计期限自2023年1月1日起至2023年12月31日止。</p>
<h2>一、总体情况</h2>
${prose(9)}
<h2>二、主动公开政府信息情况</h2>
${htmlTable(t2, 'border="1" cellspacing="0" cellpadding="4" width="100%"', [160, 100, 100, 100])}
<h2>三、收到和处理政府信息公开申请情况</h2>
${prose(2)}
${htmlTable(t3, 'border="1" cellspacing="0" cellpadding="2" width="100%"', t3cols)}
<h2>四、政府信息公开行政复议、行政诉讼情况</h2>
${htmlTable(t4, 'border="1" cellspacing="0" cellpadding="2" width="100%"')}
<h2>五、存在的主要问题及改进情况</h2>
${prose(8)}
<h2>六、其他需要报告的事项</h2>
<p style="text-indent:2em">本年度未收取信息处理费。</p>
${prose(24)}
</body></html>`;
  return { html, tables: [layout(t2), layout(t3), layout(t4)] };
}

// ---------------------------------------------------------------- split tables

function splitRows(header: boolean): { rows: Item[][]; html: string } {
  const rand = rng(header ? 7 : 8);
  const rows: Item[][] = [['事项', '本年新收', '上年结转', '总计']];
  for (let i = 1; i <= 44; i++) {
    const a = Math.floor(rand() * 90);
    const b = Math.floor(rand() * 20);
    const row: Item[] = [`第${i}项事项`, String(a), String(b), String(a + b)];
    // A merged cell across the page break (rows 26-33 put their totals in one cell).
    if (i === 26) row[3] = ['合并合计', 8, 1];
    else if (i > 26 && i <= 33) row.pop();
    rows.push(row);
  }
  const [head, ...body] = rows;
  const table = htmlTable(body, 'border="1" cellspacing="0" cellpadding="5" width="100%"');
  const headHtml = `<tr>${(head as string[]).map((t) => `<td>${t}</td>`).join('')}</tr>`;
  const withHead = header ? table.replace('>\n', `>\n<thead>${headHtml}</thead>\n`) : table.replace('>\n', `>\n${headHtml}\n`);
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>分页表格</title><style>td{font-size:12pt}</style></head><body>
<h1>分页表格测试</h1><p>下表从第一页开始，在第二页继续${header ? '，第二页重复表头' : '，第二页不重复表头'}。</p>
${withHead}
<p>表格之后的说明文字。</p></body></html>`;
  return { rows, html };
}

function borderless(): { rows: Item[][]; html: string } {
  const rows: Item[][] = [
    ['项目', '本年新收', '上年结转', '办结', '结转下年'],
    ['自然人', '120', '4', '118', '6'],
    ['商业企业', '35', '1', '30', '6'],
    ['科研机构', '2', '0', '2', '0'],
    ['社会公益组织', '0', '0', '0', '0'],
    ['法律服务机构', '7', '2', '9', '0'],
    ['总计', '164', '7', '159', '12'],
  ];
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>无框线表格</title><style>td{font-size:12pt}</style></head><body>
<h1>无框线表格</h1><p>下表没有任何框线，只靠对齐排列。</p>
${htmlTable(rows, 'border="0" cellspacing="0" cellpadding="6" width="100%"')}
<p>表格之后的说明文字。</p></body></html>`;
  return { rows, html };
}

// ---------------------------------------------------------------- hand-written PDFs

/** A minimal PDF writer: Helvetica text, content streams, optional JPEG images. */

/**
 * A 4x5 table in a user space scaled by 0.5 and shifted (cm), rulings as thin
 * filled rectangles. Merges: header "Counts" over columns 1-3 (no vertical
 * rulings there in row 0); "Group A" over rows 1-2 in column 0.
 */
function ruledFilled(pageH: number): { content: string; table: TableSpec } {
  const xs = [0, 300, 460, 620, 780]; // user units; the cm halves them
  const ys = [1000, 940, 880, 820, 760, 700]; // row boundaries, top to bottom (PDF y up)
  let c = '';
  c += text(72, pageH - 62, 14, 'Quarterly counts (ruled with filled rectangles)');
  c += `q 0.5 0 0 0.5 100 ${pageH - 600} cm\n`;
  // Shading behind the header row: a big filled rectangle, not a ruling.
  c += '0.85 g 0 940 780 60 re f 0 g\n';
  for (const y of ys) {
    // The ruling between "Group A"'s two rows is missing under column 0.
    if (y === 880) c += hRule(xs[1], xs[4], y);
    else c += hRule(xs[0], xs[4], y);
  }
  for (let i = 0; i < xs.length; i++) {
    // Row 0: columns 1-3 are one merged header cell.
    if (i === 2 || i === 3) c += vRule(xs[i], ys[5], ys[1]);
    else c += vRule(xs[i], ys[5], ys[0]);
  }
  // A white line across a cell is invisible: not a ruling.
  c += '1 g ' + vRule(700, 700, 760, 1.0) + ' 0 g\n';
  const rows: Item[][] = [
    ['Item', ['Counts', 1, 3]],
    [['Group A', 2, 1], '12', '7', '19'],
    ['30', '1', '31'],
    ['Group B', '4', '0', '4'],
    ['Total', '46', '8', '54'],
  ];
  const spec = layout(rows);
  for (const [r, col, rs, cs, t] of spec.cells) {
    const x = (xs[col] + xs[col + cs]) / 2 - t.length * 6.5;
    const y = (ys[r] + ys[r + rs]) / 2 - 8;
    c += text(x, y, 24, t);
  }
  c += 'Q\n';
  c += text(72, 200, 12, 'Figures are provisional.');
  c += text(290, 40, 10, '- 1 -');
  return { content: c, table: spec };
}

/** Page 1 ends with a 3-column table; page 2 starts with a 2-column table at other positions. */
function continuesPages(): { pages: string[]; tables: TableSpec[] } {
  const box = (xs: number[], ys: number[]) => {
    let c = '0.6 w\n';
    for (const y of ys) c += `${xs[0]} ${y} m ${xs[xs.length - 1]} ${y} l S\n`;
    for (const x of xs) c += `${x} ${ys[0]} m ${x} ${ys[ys.length - 1]} l S\n`;
    return c;
  };
  const fillCells = (xs: number[], ys: number[], rows: string[][]) =>
    rows.map((row, r) => row.map((t, i) => text(xs[i] + 6, ys[r] - 16, 11, t)).join('')).join('');
  const aXs = [72, 222, 372, 522];
  const aYs = [300, 276, 252, 228, 204, 180];
  const aRows = [
    ['Region', 'Applications', 'Answered'],
    ['North', '14', '13'],
    ['South', '9', '9'],
    ['East', '21', '20'],
    ['West', '5', '5'],
  ];
  const bXs = [100, 300, 480];
  const bYs = [800, 776, 752, 728];
  const bRows = [
    ['Channel', 'Count'],
    ['Online', '40'],
    ['Letter', '9'],
  ];
  const p1 =
    text(72, 780, 14, 'Report with two tables around a page break') +
    text(72, 330, 12, 'Table A lists applications by region.') +
    box(aXs, aYs) +
    fillCells(aXs, aYs, aRows) +
    text(290, 40, 10, '1');
  const p2 =
    box(bXs, bYs) + fillCells(bXs, bYs, bRows) + text(72, 690, 12, 'Table B lists applications by channel.') + text(290, 40, 10, '2');
  return { pages: [p1, p2], tables: [layout(aRows), layout(bRows)] };
}

/**
 * Three pages, each with a small ruled table whose last column header is
 * turned 90° counter-clockwise, a slanted "DRAFT COPY" watermark across the
 * table, and text placed off the page.
 */
function watermarkPages(): { pages: string[]; tables: TableSpec[] } {
  const xs = [72, 272, 372, 432];
  const ys = [700, 640, 616, 592];
  const rows: string[][] = [
    ['Channel', 'Count', 'Total'],
    ['Online', '40', '41'],
    ['Letter', '9', '9'],
  ];
  const pages: string[] = [];
  for (let p = 1; p <= 3; p++) {
    let c = '0.6 w\n';
    for (const y of ys) c += `${xs[0]} ${y} m ${xs[3]} ${y} l S\n`;
    for (const x of xs) c += `${x} ${ys[0]} m ${x} ${ys[3]} l S\n`;
    c += text(72, 730, 14, `Page ${p} of the watermark test`);
    rows.forEach((row, r) =>
      row.forEach((t, i) => {
        if (r === 0 && i === 2) c += `BT /F1 11 Tf 0 1 -1 0 ${xs[2] + 34} ${ys[1] + 8} Tm (${t}) Tj ET\n`;
        else c += text(xs[i] + 6, ys[r] - 16, 11, t);
      }),
    );
    c += text(72, 560, 12, 'Counts are final.');
    c += 'BT /F1 40 Tf 0.7071 0.7071 -0.7071 0.7071 150 520 Tm 0.8 g (DRAFT COPY) Tj 0 g ET\n';
    c += text(-300, 400, 12, 'Off the page');
    pages.push(c);
  }
  const spec = layout(rows);
  return { pages, tables: [spec, spec, spec] };
}

/** A page in a non-embedded CJK font (STSong-Light, UniGB-UCS2-H): a heading, a ruled table, a paragraph. */
function cmapFontPage(): { content: string; table: TableSpec } {
  const rows = [
    ['信息内容', '本年制发件数', '本年废止件数'],
    ['规章', '3', '0'],
    ['行政规范性文件', '12', '4'],
  ];
  const xs = [72, 252, 382, 512];
  const ys = [680, 650, 620, 590];
  let c = cjkText(72, 740, 16, '二、主动公开政府信息情况') + '0.6 w\n';
  for (const y of ys) c += `${xs[0]} ${y} m ${xs[3]} ${y} l S\n`;
  for (const x of xs) c += `${x} ${ys[0]} m ${x} ${ys[3]} l S\n`;
  rows.forEach((row, r) =>
    row.forEach((t, i) => {
      c += /^\d+$/.test(t) ? text(xs[i] + 8, ys[r] - 20, 12, t) : cjkText(xs[i] + 8, ys[r] - 20, 12, t);
    }),
  );
  c += cjkText(72, 550, 12, '本表数据截至十二月底。');
  return { content: c, table: layout(rows) };
}

// ---------------------------------------------------------------- tools

/** HTML → PDF with LibreOffice, into `outDir`. */
function soffice(htmlPath: string, outDir: string): Promise<string> {
  return sofficeConvert(htmlPath, 'pdf', outDir, { infilter: 'HTML (StarWriter)' });
}

function jpegSize(jpeg: Buffer): { w: number; h: number } {
  for (let i = 2; i < jpeg.length; ) {
    const marker = jpeg[i + 1];
    const len = jpeg.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xc2) return { h: jpeg.readUInt16BE(i + 5), w: jpeg.readUInt16BE(i + 7) };
    i += 2 + len;
  }
  throw new Error('no SOF marker in JPEG');
}

function writeJson(name: string, value: unknown): void {
  writeFileSync(join(OUT, name), JSON.stringify(value, null, 1) + '\n');
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'ogi-pdf-fixtures-'));
  try {
    const note = 'Generated by test/generate/pdf-fixtures.ts. tables: expected origin cells [row, col, rowSpan, colSpan, text].';

    const report = reportHtml();
    writeFileSync(join(work, 'report-5p.html'), report.html);
    copyFileSync(await soffice(join(work, 'report-5p.html'), work), join(OUT, 'report-5p.pdf'));
    writeJson('report-5p.json', { note, tables: report.tables });

    for (const header of [true, false]) {
      const name = header ? 'split-header' : 'split-noheader';
      const s = splitRows(header);
      writeFileSync(join(work, `${name}.html`), s.html);
      copyFileSync(await soffice(join(work, `${name}.html`), work), join(OUT, `${name}.pdf`));
      writeJson(`${name}.json`, { note, tables: [layout(s.rows)] });
    }

    const b = borderless();
    writeFileSync(join(work, 'borderless.html'), b.html);
    copyFileSync(await soffice(join(work, 'borderless.html'), work), join(OUT, 'borderless.pdf'));
    writeJson('borderless.json', { note, tables: [layout(b.rows)] });
    // The same HTML saved under a .pdf name, as portals do with error pages.
    writeFileSync(join(OUT, 'html-as.pdf'), b.html);

    const rf = ruledFilled(842);
    writeFileSync(join(OUT, 'ruled-filled.pdf'), writePdf([{ content: rf.content }], 'Ruled with filled rectangles'));
    // A landscape page as Word writes it: portrait MediaBox, /Rotate 90, content turned back by a cm.
    const landscape = ruledFilled(595);
    writeFileSync(
      join(OUT, 'rotated.pdf'),
      writePdf([{ content: `q 0 1 -1 0 595 0 cm\n${landscape.content}Q\n`, rotate: 90 }], 'Rotated page'),
    );
    writeJson('ruled-filled.json', { note, tables: [rf.table] });
    writeJson('rotated.json', {
      note: `${note} The page of ruled-filled.pdf laid out landscape: portrait MediaBox, /Rotate 90, content turned by a cm; it reads upright.`,
      tables: [rf.table],
    });

    const cont = continuesPages();
    writeFileSync(
      join(OUT, 'continues.pdf'),
      writePdf(
        cont.pages.map((content) => ({ content })),
        'Two tables around a page break',
      ),
    );
    writeJson('continues.json', {
      note: `${note} The second table starts page 2 but its columns differ: continues=true.`,
      tables: cont.tables,
    });

    const cm = cmapFontPage();
    writeFileSync(join(OUT, 'cmap-font.pdf'), writePdf([{ content: cm.content }], 'Predefined CMap font'));
    writeJson('cmap-font.json', {
      note: `${note} Chinese text in STSong-Light with the predefined UniGB-UCS2-H CMap, not embedded.`,
      tables: [cm.table],
    });

    const wm = watermarkPages();
    writeFileSync(
      join(OUT, 'watermark.pdf'),
      writePdf(
        wm.pages.map((content) => ({ content })),
        'Watermark test',
      ),
    );
    writeJson('watermark.json', {
      note: `${note} Each page: the same table, its "Total" header turned counter-clockwise, a slanted DRAFT COPY watermark across it, text placed off the page.`,
      tables: wm.tables,
    });

    const small = join(OUT, 'ruled-filled.pdf');
    await run('qpdf', ['--encrypt', 'user-secret', 'owner-secret', '256', '--', small, join(OUT, 'encrypted.pdf')]);
    await run('qpdf', ['--encrypt', '', 'owner-secret', '256', '--', small, join(OUT, 'encrypted-owner.pdf')]);
    // LibreOffice writes the page tree and xref last: a cut file loses both.
    const src = join(OUT, 'borderless.pdf');
    const bytes = readFileSync(src);
    writeFileSync(join(OUT, 'truncated.pdf'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));

    await run('pdftoppm', [
      '-r',
      '40',
      '-gray',
      '-jpeg',
      '-jpegopt',
      'quality=40',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      src,
      join(work, 'scan'),
    ]);
    const jpeg = readFileSync(join(work, 'scan.jpg'));
    const { w, h } = jpegSize(jpeg);
    writeFileSync(
      join(OUT, 'scanned.pdf'),
      writePdf([{ content: `q 595 0 0 842 0 0 cm /Im1 Do Q\n`, image: { jpeg, w, h } }], 'Scanned page'),
    );
    // A text page followed by a scanned one: readable, with a warning for page 2.
    await run('qpdf', ['--empty', '--pages', small, join(OUT, 'scanned.pdf'), '--', join(OUT, 'mixed.pdf')]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
