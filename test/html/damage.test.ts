/**
 * Cells whose markup damaged bytes broke (extractors/html/parse.ts): a
 * stretch overwritten or cut out joins one cell to the rest of another row,
 * and the parser's tokenizer errors say where. Real pages' usual sloppiness
 * (stray end tags, Word's conditional comments) is not damage.
 */
import { describe, expect, it } from 'vitest';
import type { TableBlock } from '../../src/model.js';
import { extract, fixture, tables } from './helpers.js';

const ROW = (cells: string) => `<tr><td>规章</td>${cells}</tr>`;

async function only(html: string, text = '表格'): Promise<{ t: TableBlock; codes: string[] }> {
  const d = await extract(`<html><body><p>${text}</p><table>${html}</table></body></html>`);
  const ts = tables(d);
  expect(ts).toHaveLength(1);
  return { t: ts[0], codes: d.meta.warnings.map((w) => w.code) };
}

const damaged = (t: TableBlock) => t.cells.filter((c) => c.damaged).map((c) => [c.row, c.col, c.text]);

describe('damaged markup', () => {
  it('a cut that joins two tags (quotes in an attribute name) marks the cell it opens', async () => {
    const { t, codes } = await only(
      ROW('<td nowrap="nowrap">1</td><td nowrap="nowraplign="center">859</td>') + ROW('<td>2</td><td>3</td>'),
    );
    expect(damaged(t)).toEqual([[0, 2, '859']]);
    expect(codes).toContain('html-markup-damaged');
  });

  it('NUL bytes inside a cell mark that cell', async () => {
    const { t } = await only(ROW('<td>1</td><td><p class="x\u0000\u0000\u0000">2</p></td><td>3</td>'));
    expect(damaged(t)).toEqual([[0, 2, '2']]);
  });

  it('a zeroed stretch swallowed by a long style value still marks its cell (preclean keeps the evidence)', async () => {
    const zeros = '\u0000'.repeat(3000);
    // Enough text around it that the page as a whole still decodes.
    const { t } = await only(
      ROW(`<td>1</td><td><span style="font-family:x${zeros}pt; text-align: center">123</span></td>`),
      '正文'.repeat(20_000),
    );
    expect(damaged(t)).toEqual([[0, 2, '123']]);
  });

  it('a style value that swallowed markup (its closing quote cut out) marks its cell', async () => {
    const { t } = await only(ROW('<td>1</td><td><span style="width:4</span></td></tr><tr><td>x</td><td nowrap="">7</span></td>'));
    expect(damaged(t).length).toBeGreaterThan(0);
  });

  it('a cut that repeats a tag attribute (neighbouring Word cells) marks the cell', async () => {
    const { t } = await only(
      ROW('<td><p class=MsoNormal align=center>1</p></td><td><p class=MsoNormal align=mal align=center>64</p></td><td>65</td>'),
    );
    expect(damaged(t)).toEqual([[0, 2, '64']]);
  });

  it('stray end tags and unclosed cells are sloppiness, not damage', async () => {
    const { t, codes } = await only(ROW('<td>1</span><td>2</font></td><td><p>3</td>'));
    expect(damaged(t)).toEqual([]);
    expect(codes).not.toContain('html-markup-damaged');
  });

  it('the HTML fixtures (Word export with conditional comments included) have no damaged cell', async () => {
    for (const name of ['word-export.html', 'trs-portal.html', 'portal-layout.html', 'grids.html', 'gbk-no-charset.html']) {
      const d = await extract(fixture(name));
      expect(
        tables(d).flatMap((t) => damaged(t)),
        name,
      ).toEqual([]);
    }
  });
});
