import { describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { extractor } from '../../extractors/docx/index.js';
import { buildGrid } from '../../extractors/docx/grid.js';
import { formatNumber } from '../../extractors/docx/numbering.js';
import type { TableBlock, TextBlock } from '../../src/model.js';
import { CONTENT_TYPES, docx, documentXml, p, tbl, tc, tr } from './build.js';

const extract = (bytes: Uint8Array) => extractor.extract({ bytes, name: 't.docx' }, {});
const texts = async (bytes: Uint8Array) => (await extract(bytes)).blocks.map((b) => (b.kind === 'table' ? `[table ${b.index}]` : b.text));
const table = async (bytes: Uint8Array, i = 0) => (await extract(bytes)).blocks.filter((b): b is TableBlock => b.kind === 'table')[i];
const cellsOf = (t: TableBlock) => t.cells.map((c) => [c.row, c.col, c.rowSpan, c.colSpan, c.text]);

describe('docx paragraph text', () => {
  it('joins runs, tabs and breaks, and keeps numbers as printed', async () => {
    const body = '<w:p><w:r><w:t>a</w:t><w:tab/><w:t>007</w:t><w:br/><w:t xml:space="preserve"> c </w:t><w:cr/><w:t>d</w:t></w:r></w:p>';
    expect(await texts(docx(body))).toEqual(['a\t007\n c \nd']);
  });

  it('skips deleted revisions and field codes, keeps insertions, moves and field results', async () => {
    const body =
      '<w:p><w:r><w:t xml:space="preserve">keep </w:t></w:r><w:del w:id="1"><w:r><w:delText>gone</w:delText></w:r></w:del>' +
      '<w:ins w:id="2"><w:r><w:t>new</w:t></w:r></w:ins><w:moveFrom w:id="3"><w:r><w:t>old place</w:t></w:r></w:moveFrom>' +
      '<w:moveTo w:id="4"><w:r><w:t>+moved</w:t></w:r></w:moveTo>' +
      '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>+7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>' +
      '<w:fldSimple w:instr="NUMPAGES"><w:r><w:t>/9</w:t></w:r></w:fldSimple></w:p>' +
      '<w:del w:id="5"><w:p><w:r><w:t>deleted paragraph</w:t></w:r></w:p></w:del>';
    expect(await texts(docx(body))).toEqual(['keep new+moved+7/9']);
  });

  it('reads content controls, hyperlinks and smart tags at every level', async () => {
    const body =
      '<w:sdt><w:sdtPr/><w:sdtContent>' +
      p('in a block control') +
      tbl(1, tr(tc(p('cell in control')))) +
      '</w:sdtContent></w:sdt>' +
      '<w:p><w:sdt><w:sdtContent><w:r><w:t>inline </w:t></w:r></w:sdtContent></w:sdt><w:hyperlink r:id="x" xmlns:r="r"><w:r><w:t>link </w:t></w:r></w:hyperlink>' +
      '<w:smartTag><w:r><w:t>tag</w:t></w:r></w:smartTag></w:p>' +
      tbl(
        2,
        tr(
          '<w:sdt><w:sdtContent>' +
            tc(p('a')) +
            '</w:sdtContent></w:sdt>' +
            tc('<w:sdt><w:sdtContent>' + p('b') + '</w:sdtContent></w:sdt>'),
        ),
      );
    const model = await extract(docx(body));
    expect(model.blocks.map((b) => (b.kind === 'table' ? cellsOf(b) : b.text))).toEqual([
      'in a block control',
      [[0, 0, 1, 1, 'cell in control']],
      'inline link tag',
      [
        [0, 0, 1, 1, 'a'],
        [0, 1, 1, 1, 'b'],
      ],
    ]);
  });

  it('decodes entities and numeric references', async () => {
    expect(await texts(docx(p('&lt;1&gt; &amp; &#x4E00;&#20108; &quot;q&quot;')))).toEqual(['<1> & 一二 "q"']);
  });

  it('emits text boxes once (not their VML fallback) after the paragraph that anchors them', async () => {
    const box = (t: string) => `<w:txbxContent>${p(t)}</w:txbxContent>`;
    const body =
      '<w:p><w:r><w:t>host</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx>' +
      box('boxed') +
      '</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>' +
      box('boxed') +
      '</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>' +
      p('after');
    expect(await texts(docx(body))).toEqual(['host', 'boxed', 'after']);
  });

  it('skips empty paragraphs and numbers blocks in order', async () => {
    const model = await extract(docx('<w:p/>' + p('one') + '<w:p><w:r><w:t>  </w:t></w:r></w:p>' + tbl(1, tr(tc(p('x')))) + p('two')));
    expect(model.blocks.map((b) => [b.kind, b.source.block])).toEqual([
      ['paragraph', 0],
      ['table', 1],
      ['paragraph', 2],
    ]);
    expect((model.blocks[1] as TableBlock).source).toEqual({ table: 0, block: 1 });
  });

  it('finds the main part through the package relationships', async () => {
    const rels = `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/main.xml"/></Relationships>`;
    const bytes = zipSync({
      '[Content_Types].xml': strToU8(CONTENT_TYPES),
      '_rels/.rels': strToU8(rels),
      'word/main.xml': strToU8(documentXml(p('renamed'))),
    });
    expect(await texts(bytes)).toEqual(['renamed']);
  });
});

describe('docx headings and numbering', () => {
  const styles = `<?xml version="1.0"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
    <w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
    <w:style w:type="paragraph" w:styleId="2"><w:name w:val="标题 2"/><w:basedOn w:val="a"/><w:rPr><w:b/></w:rPr></w:style>
    <w:style w:type="paragraph" w:styleId="my"><w:name w:val="My Heading"/><w:basedOn w:val="h3"/></w:style>
    <w:style w:type="paragraph" w:styleId="h3"><w:name w:val="Custom"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
    <w:style w:type="paragraph" w:styleId="loop1"><w:name w:val="L1"/><w:basedOn w:val="loop2"/></w:style>
    <w:style w:type="paragraph" w:styleId="loop2"><w:name w:val="L2"/><w:basedOn w:val="loop1"/></w:style>
    <w:style w:type="paragraph" w:styleId="list"><w:name w:val="List"/><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>
  </w:styles>`;
  const numbering = `<?xml version="1.0"?><w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
    <w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
      <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
      <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%3."/><w:suff w:val="space"/></w:lvl></w:abstractNum>
    <w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="9"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>
    <w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>
    <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
    <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
    <w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>
  </w:numbering>`;
  const parts = (body: string) =>
    docx(body, {
      'word/styles.xml': styles,
      'word/numbering.xml': numbering,
      'word/_rels/document.xml.rels': `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="a" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="b" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>`,
    });
  const num = (id: number, lvl: number) => `<w:numPr><w:ilvl w:val="${lvl}"/><w:numId w:val="${id}"/></w:numPr>`;

  it('knows headings by style name, inherited outline level and direct outline level', async () => {
    const model = await extract(
      parts(
        p('A', '<w:pStyle w:val="2"/>') +
          p('B', '<w:pStyle w:val="my"/>') +
          p('C', '<w:outlineLvl w:val="0"/>') +
          p('D', '<w:pStyle w:val="2"/><w:outlineLvl w:val="9"/>') +
          p('E', '<w:pStyle w:val="loop1"/>') +
          p('F'),
      ),
    );
    expect(model.blocks.map((b) => [b.kind, (b as TextBlock).level, (b as TextBlock).text])).toEqual([
      ['heading', 2, 'A'],
      ['heading', 3, 'B'],
      ['heading', 1, 'C'],
      ['paragraph', undefined, 'D'],
      ['paragraph', undefined, 'E'],
      ['paragraph', undefined, 'F'],
    ]);
  });

  // Like Word, %1 in a deeper level keeps level 1's format ("一.1."): only w:isLgl would force digits.
  it('renders list labels: Chinese counting, nested levels, restarts, styles, bullets off, numId 0', async () => {
    const body =
      p('总体情况', num(1, 0)) +
      p('主动公开', num(1, 1)) +
      p('依申请', num(1, 1)) +
      p('细项', num(1, 2)) +
      p('主动公开政府信息情况', num(1, 0)) +
      p('新的子项', num(1, 1)) +
      p('样式列表', '<w:pStyle w:val="list"/>') +
      p('样式列表二', '<w:pStyle w:val="list"/>') +
      p('关掉', '<w:pStyle w:val="list"/><w:numPr><w:numId w:val="0"/></w:numPr>') +
      p('圆点', num(3, 0));
    expect(await texts(parts(body))).toEqual([
      '一、总体情况',
      '（一）主动公开',
      '（二）依申请',
      '一.1. 细项',
      '二、主动公开政府信息情况',
      '（一）新的子项',
      '9.样式列表',
      '10.样式列表二',
      '关掉',
      '圆点',
    ]);
  });

  it('formats numbers like Word', () => {
    expect([11, 20, 21, 100, 105].map((n) => formatNumber(n, 'chineseCounting'))).toEqual(['十一', '二十', '二十一', '一百', '一百零五']);
    expect(formatNumber(3, 'chineseLegalSimplified')).toBe('叁');
    expect(formatNumber(4, 'upperRoman')).toBe('IV');
    expect(formatNumber(28, 'lowerLetter')).toBe('ab');
    expect(formatNumber(2, 'decimalEnclosedCircle')).toBe('②');
    expect(formatNumber(3, 'ideographTraditional')).toBe('丙');
  });
});

describe('docx tables', () => {
  it('places cells after w:gridBefore and counts w:gridAfter in the grid width', async () => {
    const t = await table(
      docx(
        tbl(
          4,
          tr(tc(p('a')) + tc(p('b')), '<w:gridBefore w:val="1"/><w:gridAfter w:val="1"/>') + tr(tc(p('w'), '<w:gridSpan w:val="4"/>')),
        ),
      ),
    );
    expect(cellsOf(t)).toEqual([
      [0, 1, 1, 1, 'a'],
      [0, 2, 1, 1, 'b'],
      [1, 0, 1, 4, 'w'],
    ]);
    expect([t.nRows, t.nCols]).toEqual([2, 4]);
  });

  it('merges vertically only into the cell above in the same grid column', async () => {
    const rows =
      tr(tc(p('top'), '<w:vMerge w:val="restart"/>') + tc(p('r0'))) +
      tr(tc('', '<w:vMerge/>') + tc(p('r1'))) +
      tr(tc(p('stray'), '<w:vMerge/>') + tc(p('r2'))) +
      tr(tc(p('new')) + tc('', '<w:vMerge/>'));
    const t = await table(docx(tbl(2, rows)));
    // A continuation that says something keeps its text on the origin rather than losing it;
    // a continuation with no cell above (column 1 in the last row follows plain cells) extends the cell above it.
    expect(cellsOf(t)).toEqual([
      [0, 0, 3, 1, 'top\nstray'],
      [0, 1, 1, 1, 'r0'],
      [1, 1, 1, 1, 'r1'],
      [2, 1, 2, 1, 'r2'],
      [3, 0, 1, 1, 'new'],
    ]);
  });

  it('starts a new cell when w:vMerge continue has nothing above it', () => {
    const g = buildGrid([{ gridBefore: 0, gridAfter: 0, cells: [{ text: 'x', span: 1, vMerge: 'continue' }] }], 1, 0);
    expect(g.cells).toEqual([{ row: 0, col: 0, rowSpan: 1, colSpan: 1, text: 'x', source: { table: 0, row: 0, col: 0 } }]);
  });

  it('reads legacy w:hMerge and vertical merges of spanned cells', async () => {
    const rows =
      tr(tc(p('h'), '<w:hMerge w:val="restart"/>') + tc('', '<w:hMerge/>') + tc(p('z'))) +
      tr(tc(p('v'), '<w:gridSpan w:val="2"/><w:vMerge w:val="restart"/>') + tc(p('y'))) +
      tr(tc('', '<w:gridSpan w:val="2"/><w:vMerge/>') + tc(p('x')));
    expect(cellsOf(await table(docx(tbl(3, rows))))).toEqual([
      [0, 0, 1, 2, 'h'],
      [0, 2, 1, 1, 'z'],
      [1, 0, 2, 2, 'v'],
      [1, 2, 1, 1, 'y'],
      [2, 2, 1, 1, 'x'],
    ]);
  });

  it('drops rows deleted with tracked changes', async () => {
    const t = await table(
      docx(
        tbl(1, tr(tc(p('keep'))) + tr(tc(p('gone')), '<w:del w:id="1" w:author="a" w:date="2024-01-01T00:00:00Z"/>') + tr(tc(p('keep2')))),
      ),
    );
    expect(cellsOf(t)).toEqual([
      [0, 0, 1, 1, 'keep'],
      [1, 0, 1, 1, 'keep2'],
    ]);
  });

  it('joins a cell’s paragraphs with newlines and flattens nested tables into the cell', async () => {
    const nested = tbl(2, tr(tc(p('a')) + tc(p('b'))) + tr(tc(p('c')) + tc(p('d'))));
    const model = await extract(docx(tbl(2, tr(tc(p('one') + p('two') + nested + '<w:p/>') + tc(p('side'))))));
    const tables = model.blocks.filter((b): b is TableBlock => b.kind === 'table');
    expect(tables).toHaveLength(1);
    expect(cellsOf(tables[0])).toEqual([
      [0, 0, 1, 1, 'one\ntwo\na\tb\nc\td'],
      [0, 1, 1, 1, 'side'],
    ]);
  });

  it('reads the tables inside a 1×1 layout frame as tables of the body', async () => {
    const inner = tbl(2, tr(tc(p('k')) + tc(p('1'))));
    const blocks = (await extract(docx(tbl(1, tr(tc(p('title') + inner + p('note'))))))).blocks;
    expect(blocks.map((b) => (b.kind === 'table' ? cellsOf(b) : b.text))).toEqual([
      'title',
      [
        [0, 0, 1, 1, 'k'],
        [0, 1, 1, 1, '1'],
      ],
      'note',
    ]);
  });
});
