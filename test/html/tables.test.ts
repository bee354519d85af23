/**
 * The table model: rowspan/colspan placement, clamping, sections, cell text,
 * layout tables. grids.html holds the edge cases one table each.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DocumentModel, TableBlock } from '../../src/model.js';
import { checkModel, extract, fixture, paragraphs, tables } from './helpers.js';

/** [row, col, rowSpan, colSpan, text] of each origin cell, row-major. */
const shape = (t: TableBlock) => t.cells.map((c) => [c.row, c.col, c.rowSpan, c.colSpan, c.text]);

async function only(html: string): Promise<TableBlock> {
  const ts = tables(await extract(`<html><body><p>表格</p>${html}</body></html>`));
  expect(ts).toHaveLength(1);
  return ts[0];
}

describe('grids.html', () => {
  let doc: DocumentModel;
  let t: TableBlock[];
  beforeAll(async () => {
    doc = await extract(fixture('grids.html'));
    t = tables(doc);
  });

  it('keeps every table in document order, each after its name', () => {
    expect(t).toHaveLength(5);
    const names = ['ragged', 'spans', 'sections', 'overlap', 'whitespace'];
    t.forEach((table, i) => expect(doc.blocks[doc.blocks.indexOf(table) - 1]).toMatchObject({ text: names[i] }));
    checkModel(doc);
  });

  it('leaves the missing slots of ragged rows empty', () => {
    expect([t[0].nRows, t[0].nCols]).toEqual([3, 4]);
    expect(shape(t[0])).toEqual([
      [0, 0, 1, 1, 'a'],
      [0, 1, 1, 1, 'b'],
      [0, 2, 1, 1, 'c'],
      [1, 0, 1, 1, 'd'],
      [1, 1, 1, 1, 'e'],
      [2, 0, 1, 1, 'f'],
      [2, 1, 1, 1, 'g'],
      [2, 2, 1, 1, 'h'],
      [2, 3, 1, 1, 'i'],
    ]);
  });

  it('clamps colspan=1000 to the grid, reads rowspan=0 as "to the end", colspan=0 and junk as 1', () => {
    expect([t[1].nRows, t[1].nCols]).toEqual([4, 3]);
    expect(shape(t[1])).toEqual([
      [0, 0, 1, 3, '标题行'],
      [1, 0, 3, 1, '左'],
      [1, 1, 1, 1, 'x'],
      [1, 2, 1, 1, 'y'],
      [2, 1, 1, 1, 'z'],
      [2, 2, 2, 1, '长'],
      [3, 1, 1, 1, 'w'],
    ]);
  });

  it('renders thead first and tfoot last whatever their source order; th cells are cells', () => {
    expect(shape(t[2])).toEqual([
      [0, 0, 1, 1, '项目'],
      [0, 1, 1, 1, '数量'],
      [1, 0, 1, 1, '甲'],
      [1, 1, 1, 1, '4'],
      [2, 0, 1, 1, '乙'],
      [2, 1, 1, 1, '5'],
      [3, 0, 1, 1, '合计'],
      [3, 1, 1, 1, '9'],
    ]);
  });

  it('cuts a colspan where it would overlap a rowspan from above', () => {
    expect(shape(t[3])).toEqual([
      [0, 0, 1, 1, 'A'],
      [0, 1, 2, 1, 'B'],
      [0, 2, 1, 1, 'C'],
      [1, 0, 1, 1, 'D'],
      [2, 0, 1, 1, 'E'],
      [2, 1, 1, 1, 'F'],
      [2, 2, 1, 1, 'G'],
    ]);
  });

  it('warns about the spans it had to cut, per table', () => {
    const warned = doc.meta.warnings.filter((w) => w.code === 'table-span-clamped').map((w) => w.message.split(':')[0]);
    expect(warned).toEqual(['table 1', 'table 2', 'table 3']);
  });

  it('normalises cell whitespace: &nbsp; and ideographic spaces, CJK hard wraps', () => {
    expect(t[4].cells.map((c) => c.text)).toEqual(['1 2', '', '', '政府信息公开', 'Total amount']);
  });

  it('treats a one-cell table as a container of paragraphs', () => {
    expect(paragraphs(doc).slice(-2)).toEqual(['单格布局表中的第一段，这是一个用来排版的表格。', '第二段。']);
  });
});

describe('cell text', () => {
  it('joins <br> and block children with newlines and drops empty lines', async () => {
    const t = await only(
      '<table><tr><td>本年新<br />制作数量</td><td><p>a</p><p></p><p>b</p></td><td><div>x<br><br>y</div></td><td>&nbsp;<br>&nbsp;</td></tr></table>',
    );
    expect(t.cells.map((c) => c.text)).toEqual(['本年新\n制作数量', 'a\nb', 'x\ny', '']);
  });

  it('keeps a literal 0 and a dash as printed', async () => {
    const t = await only('<table><tr><td>0</td><td>—</td><td> / </td><td>22（其中修订16件）</td></tr></table>');
    expect(t.cells.map((c) => c.text)).toEqual(['0', '—', '/', '22（其中修订16件）']);
  });

  it("drops Word's trailing height=0 spacer row, but never a row of blank values", async () => {
    const spacer = await only('<table><tr><td>a</td><td>1</td></tr><tr height=0><td width=100></td><td width=80></td></tr></table>');
    expect(spacer.nRows).toBe(1);
    // The value row of a table where nothing was filled in: blank cells are data (null), not padding.
    const blanks = await only('<table><tr><td>结果维持</td><td>总计</td></tr><tr><td>&nbsp;</td><td></td></tr></table>');
    expect(blanks.nRows).toBe(2);
    expect(blanks.cells.map((c) => c.text)).toEqual(['结果维持', '总计', '', '']);
    const spanned = await only('<table><tr><td rowspan="2">a</td><td>1</td></tr><tr height="0"><td>&nbsp;</td></tr></table>');
    expect(spanned.nRows).toBe(2);
  });

  it('skips a table with no text at all', async () => {
    const doc = await extract('<p>正文</p><table><tr><td>&nbsp;</td><td></td></tr><tr><td> </td><td></td></tr></table>');
    expect(tables(doc)).toHaveLength(0);
  });
});

describe('layout tables', () => {
  it('walks a table holding tables as a container; the inner tables are the data', async () => {
    const doc = await extract(
      '<body><table><tr><td><a href="/">首页</a><a href="/a">栏目</a></td><td><p>说明文字</p><table><tr><td>本年新收</td><td>5</td></tr></table><table><tr><td>行政复议</td><td>2</td></tr></table></td></tr></table></body>',
    );
    const ts = tables(doc);
    expect(ts.map((t) => t.cells.map((c) => c.text))).toEqual([
      ['本年新收', '5'],
      ['行政复议', '2'],
    ]);
    // The link cell beside the article is navigation.
    expect(paragraphs(doc)).toEqual(['说明文字']);
    checkModel(doc);
  });

  it('keeps a data grid whole when a cell holds a small table of its own', async () => {
    const nested = '<table><tr><td>法人或</td></tr><tr><td>其他组织</td></tr></table>';
    const rows = Array.from(
      { length: 4 },
      (_, r) => `<tr><td>第${r + 1}行</td>${[1, 2, 3].map((c) => `<td>${r * 3 + c}</td>`).join('')}</tr>`,
    ).join('');
    const t = await only(`<table><tr><td>项目</td><td>自然人</td><td>${nested}</td><td>总计</td></tr>${rows}</table>`);
    expect([t.nRows, t.nCols]).toEqual([5, 4]);
    expect(t.cells[2].text).toBe('法人或\n其他组织');
    expect(t.cells.filter((c) => c.row === 4).map((c) => c.text)).toEqual(['第4行', '10', '11', '12']);
  });

  it('still walks a many-celled page layout whose content cell holds the text and tables', async () => {
    // 14 navigation cells of its own, then one cell with the article: text is concentrated, so layout.
    const nav = Array.from({ length: 14 }, (_, i) => `<td><a href="#${i}">栏目${i}</a></td>`).join('');
    const content = `<p>${'正文内容，说明本年度政府信息公开工作情况。'.repeat(6)}</p><table><tr><td>本年新收</td><td>5</td></tr></table>`;
    const doc = await extract(`<body><table><tr>${nav}</tr><tr><td colspan="14">${content}</td></tr></table></body>`);
    expect(tables(doc).map((t) => t.cells.map((c) => c.text))).toEqual([['本年新收', '5']]);
  });

  it('walks a few-cell table of running text as paragraphs', async () => {
    const long = '这是一段很长的正文，用于说明排版表格中的文字内容。'.repeat(4);
    const doc = await extract(`<table><tr><td width="20"></td><td><p>${long}</p><p>${long}</p><p>${long}</p></td></tr></table>`);
    expect(tables(doc)).toHaveLength(0);
    expect(paragraphs(doc)).toEqual([long, long, long]);
  });

  it('emits a caption as a paragraph before its table', async () => {
    const doc = await extract('<table><caption>表一 主动公开情况</caption><tr><td>规章</td><td>3</td></tr></table>');
    expect(doc.blocks.map((b) => b.kind)).toEqual(['paragraph', 'table']);
    expect(doc.blocks[0]).toMatchObject({ text: '表一 主动公开情况', method: 'html-caption' });
  });
});
