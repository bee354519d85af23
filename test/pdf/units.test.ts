/** The layout steps on hand-made geometry: lines, rulings → grids, alignment, page-break joins, furniture. */
import { describe, expect, it } from 'vitest';
import { alignedTables } from '../../extractors/pdf/aligned.js';
import { columnShift, joinPages } from '../../extractors/pdf/continuation.js';
import { findFurniture, isPageNumber } from '../../extractors/pdf/furniture.js';
import { buildGrid } from '../../extractors/pdf/grid.js';
import { buildLines, gapSeparator, isCjk, joinLines } from '../../extractors/pdf/lines.js';
import { isWhite, pathSegments } from '../../extractors/pdf/paths.js';
import { findFrames, mergeSegments } from '../../extractors/pdf/rulings.js';
import { ruledTables } from '../../extractors/pdf/tables.js';
import type { Char, PageBlock, PageTable, Segment } from '../../extractors/pdf/types.js';

/** Horizontal glyphs of `text` from (x, baseline top y), `size` wide each (CJK) or 0.5 size (ASCII). */
function chars(text: string, x: number, y: number, size = 10): Char[] {
  const out: Char[] = [];
  for (const ch of Array.from(text)) {
    const w = isCjk(ch) ? size : size / 2;
    if (ch !== ' ') out.push({ text: ch, x0: x, y0: y, x1: x + w, y1: y + size, size, flow: 'h' });
    x += w;
  }
  return out;
}

/** Vertical-font glyphs, one under another. */
function vchars(text: string, x: number, y: number, size = 10): Char[] {
  return Array.from(text).map((ch, i) => ({
    text: ch,
    x0: x,
    y0: y + i * size,
    x1: x + size,
    y1: y + (i + 1) * size,
    size,
    flow: 'v' as const,
  }));
}

const h = (y: number, from: number, to: number): Segment => ({ orient: 'h', pos: y, from, to });
const v = (x: number, from: number, to: number): Segment => ({ orient: 'v', pos: x, from, to });

describe('lines', () => {
  it('joins Chinese without spaces and keeps real gaps in Latin text', () => {
    expect(buildLines(chars('政府信息公开', 0, 0)).map((l) => l.text)).toEqual(['政府信息公开']);
    expect(buildLines(chars('Hello world', 0, 0)).map((l) => l.text)).toEqual(['Hello world']);
    // A justified gap of half an em between Chinese glyphs is no space; two ems are.
    expect(gapSeparator('政', '府', 5, 10)).toBe('');
    expect(gapSeparator('政', '府', 20, 10)).toBe(' ');
    expect(gapSeparator('2023', '年', 5, 10)).toBe('');
    expect(gapSeparator('a', 'b', 3, 10)).toBe(' ');
  });

  it('groups by baseline and orders top to bottom, left to right', () => {
    const cs = [...chars('第二行', 0, 30), ...chars('右', 100, 0), ...chars('第一行', 0, 1)];
    const lines = buildLines(cs);
    expect(lines.map((l) => l.text)).toEqual(['第一行 右', '第二行']);
    expect(lines[0].pieces.map((p) => p.text)).toEqual(['第一行', '右']);
  });

  it('reads a vertical-font column as one line and drops overprinted copies only', () => {
    expect(buildLines(vchars('三、本年度办理结果', 0, 0)).map((l) => l.text)).toEqual(['三、本年度办理结果']);
    const bold = [...chars('总计', 0, 0), ...chars('总计', 0.3, 0)];
    expect(buildLines(bold).map((l) => l.text)).toEqual(['总计']);
    expect(buildLines(chars('all', 0, 0)).map((l) => l.text)).toEqual(['all']);
  });

  it('reads text turned counter-clockwise bottom to top', () => {
    const up = Array.from('Total').map((ch, i) => ({
      text: ch,
      x0: 0,
      y0: 100 - (i + 1) * 5,
      x1: 10,
      y1: 100 - i * 5,
      size: 10,
      flow: 'u' as const,
    }));
    expect(buildLines(up.reverse()).map((l) => l.text)).toEqual(['Total']);
  });

  it('joins wrapped cell lines: Chinese directly, numbers apart', () => {
    expect(joinLines(['商业', '企业'])).toBe('商业企业');
    expect(joinLines(['10', '5'])).toBe('10\n5');
    expect(joinLines(['三', '、', '本', '年'])).toBe('三、本年');
    expect(joinLines(['Total', 'count'], ' ')).toBe('Total count');
  });
});

describe('paths', () => {
  const M = 0,
    L = 1,
    C = 2,
    Z = 4;
  const flip: [number, number, number, number, number, number] = [1, 0, 0, -1, 0, 842];

  it('takes straight stroked pieces and thin filled rectangles, not shading or curves', () => {
    const out: Segment[] = [];
    // A stroked rectangle: four edges.
    pathSegments([M, 10, 10, L, 110, 10, L, 110, 60, L, 10, 60, Z], flip, { stroke: true, fill: false, lineWidth: 0.5 }, out);
    expect(out.map((s) => [s.orient, s.pos, s.from, s.to])).toEqual([
      ['h', 832, 10, 110],
      ['v', 110, 782, 832],
      ['h', 782, 10, 110],
      ['v', 10, 782, 832],
    ]);
    out.length = 0;
    // Filled: a 0.8-point bar is a ruling, a 50-point box is shading.
    pathSegments([M, 0, 100, L, 200, 100, L, 200, 100.8, L, 0, 100.8, Z], flip, { stroke: false, fill: true, lineWidth: 1 }, out);
    pathSegments([M, 0, 200, L, 200, 200, L, 200, 250, L, 0, 250, Z], flip, { stroke: false, fill: true, lineWidth: 1 }, out);
    expect(out).toHaveLength(1);
    expect(out[0].orient).toBe('h');
    expect(out[0].pos).toBeCloseTo(741.6);
    out.length = 0;
    // A rounded corner: the straight pieces on either side stay, the curve does not count.
    pathSegments([M, 0, 0, L, 100, 0, C, 105, 0, 110, 5, 110, 10, L, 110, 100], flip, { stroke: true, fill: false, lineWidth: 1 }, out);
    expect(out.map((s) => s.orient)).toEqual(['h', 'v']);
  });

  it('white paint is invisible', () => {
    expect(isWhite('#ffffff')).toBe(true);
    expect(isWhite('#fafafa')).toBe(true);
    expect(isWhite('#d9d9d9')).toBe(false);
    expect(isWhite('#000000')).toBe(false);
  });
});

describe('rulings and grids', () => {
  it('merges collinear pieces and rejects ticks', () => {
    const { h: hs, v: vs } = mergeSegments([h(10, 0, 50), h(10.6, 51, 100), h(40, 0, 2), v(0, 10, 60)]);
    expect(hs).toEqual([{ orient: 'h', pos: 10.3, from: 0, to: 100 }]);
    expect(vs).toHaveLength(1);
  });

  it('infers merged cells from missing ruling segments', () => {
    // 3 columns x 3 rows; row 0 columns 1-2 merged (no ruling at x=200 in row 0);
    // column 0 rows 1-2 merged (no ruling at y=40 under column 0).
    const segs = [h(0, 0, 300), h(20, 0, 300), h(40, 100, 300), h(60, 0, 300), v(0, 0, 60), v(100, 0, 60), v(200, 20, 60), v(300, 0, 60)];
    const { h: hs, v: vs } = mergeSegments(segs);
    const frames = findFrames(hs, vs);
    expect(frames).toHaveLength(1);
    const grid = buildGrid(frames[0])!;
    expect(grid.xs).toEqual([0, 100, 200, 300]);
    expect(grid.cells.map((c) => [c.row, c.col, c.rowSpan, c.colSpan])).toEqual([
      [0, 0, 1, 1],
      [0, 1, 1, 2],
      [1, 0, 2, 1],
      [1, 1, 1, 1],
      [1, 2, 1, 1],
      [2, 1, 1, 1],
      [2, 2, 1, 1],
    ]);
  });

  it('a box around text is not a table; two separate boxes are two frames', () => {
    const box = (x: number) => [h(0, x, x + 50), h(30, x, x + 50), v(x, 0, 30), v(x + 50, 0, 30)];
    const { h: hs, v: vs } = mergeSegments([...box(0), ...box(200)]);
    const frames = findFrames(hs, vs);
    expect(frames).toHaveLength(2);
    expect(frames.map((f) => buildGrid(f))).toEqual([null, null]);
  });

  it('puts each glyph in the cell holding its centre and keeps the rest', () => {
    const segs = [h(0, 0, 200), h(20, 0, 200), h(40, 0, 200), v(0, 0, 40), v(100, 0, 40), v(200, 0, 40)];
    const cs = [
      ...chars('项目', 5, 5),
      ...chars('数量', 105, 5),
      ...chars('规章', 5, 25),
      ...chars('12', 105, 25),
      ...chars('表外', 5, 60),
    ];
    const { tables, rest } = ruledTables(1, cs, segs);
    expect(tables[0].cells.map((c) => c.text)).toEqual(['项目', '数量', '规章', '12']);
    expect(rest.map((c) => c.text).join('')).toBe('表外');
  });
});

describe('alignment fallback', () => {
  it('rebuilds columns from pieces that line up', () => {
    const rows = [
      ['项目', '新收', '结转'],
      ['自然人', '12', '3'],
      ['商业企业', '4', '0'],
      ['总计', '16', '3'],
    ];
    const cs = rows.flatMap((r, i) => r.flatMap((t, j) => chars(t, 10 + j * 120, 10 + i * 20)));
    const { tables, rest } = alignedTables(1, buildLines(cs));
    expect(rest).toEqual([]);
    expect(tables[0]).toMatchObject({ method: 'pdf-aligned', nRows: 4, nCols: 3 });
    expect(tables[0].cells.map((c) => [c.row, c.col, c.text])).toEqual(rows.flatMap((r, i) => r.map((t, j) => [i, j, t])));
  });

  it('leaves prose alone', () => {
    const cs = [0, 1, 2, 3].flatMap((i) => chars('这是一段没有任何表格的正文文字，每行都连续排列。', 10, 10 + i * 20));
    expect(alignedTables(1, buildLines(cs)).tables).toEqual([]);
  });
});

describe('page-break joins', () => {
  const table = (page: number, xs: number[], cells: [number, number, number, number, string, boolean?][]): PageTable => ({
    kind: 'table',
    page,
    bbox: [xs[0], 0, xs[xs.length - 1], 100],
    xs,
    nRows: Math.max(...cells.map((c) => c[0] + c[2])),
    nCols: xs.length - 1,
    cells: cells.map(([row, col, rowSpan, colSpan, text, cut]) => ({ row, col, rowSpan, colSpan, text, page, bbox: [0, 0, 1, 1], cut })),
    method: 'pdf-ruled',
  });

  it('matches columns within tolerance, allowing a sideways shift and a subset', () => {
    expect(columnShift([75, 231, 338, 422, 517], [76, 231.5, 516.5])).toBeCloseTo(1);
    expect(columnShift([72, 200, 300], [82, 210, 310])).toBeCloseTo(10);
    expect(columnShift([72, 222, 372, 522], [100, 300, 480])).toBeNull();
  });

  it('drops a repeated header and joins a merged cell cut at a row boundary', () => {
    const a = table(
      1,
      [0, 100, 200],
      [
        [0, 0, 1, 1, '项目'],
        [0, 1, 1, 1, '数'],
        [1, 0, 2, 1, '甲组'],
        [1, 1, 1, 1, '1'],
        [2, 1, 1, 1, '2'],
      ],
    );
    const b = table(
      2,
      [0, 100, 200],
      [
        [0, 0, 1, 1, '项目'],
        [0, 1, 1, 1, '数'],
        [1, 0, 1, 1, ''],
        [1, 1, 1, 1, '3'],
        [2, 0, 1, 1, '乙组'],
        [2, 1, 1, 1, '4'],
      ],
    );
    const [t] = joinPages([[a], [b]]) as PageTable[];
    expect(t.cells.map((c) => [c.row, c.col, c.rowSpan, c.text, c.page])).toEqual([
      [0, 0, 1, '项目', 1],
      [0, 1, 1, '数', 1],
      [1, 0, 3, '甲组', 1],
      [1, 1, 1, '1', 1],
      [2, 1, 1, '2', 1],
      [3, 1, 1, '3', 2],
      [4, 0, 1, '乙组', 2],
      [4, 1, 1, '4', 2],
    ]);
    expect(t.nRows).toBe(5);
  });

  it('joins a row split by the break only when its text ran into the corner', () => {
    const a = table(
      1,
      [0, 100, 200],
      [
        [0, 0, 1, 1, '（二）部分公开（区分处理的，只', true],
        [0, 1, 1, 1, '72'],
      ],
    );
    const b = table(
      2,
      [0, 100, 200],
      [
        [0, 0, 1, 1, '计这一情形）'],
        [0, 1, 1, 1, ''],
        [1, 0, 1, 1, '（三）'],
        [1, 1, 1, 1, '5'],
      ],
    );
    const [t] = joinPages([[a], [b]]) as PageTable[];
    expect(t.cells.map((c) => [c.row, c.col, c.text])).toEqual([
      [0, 0, '（二）部分公开（区分处理的，只计这一情形）'],
      [0, 1, '72'],
      [1, 0, '（三）'],
      [1, 1, '5'],
    ]);
    const c = table(
      1,
      [0, 100, 200],
      [
        [0, 0, 1, 1, '2.重复申请'],
        [0, 1, 1, 1, '3'],
      ],
    );
    const [u] = joinPages([[c], [b]]) as PageTable[];
    expect(u.nRows).toBe(3);
  });

  it('joins only a table that runs to the bottom of its page with one at the top of the next', () => {
    const a = table(
      1,
      [0, 100, 200],
      [
        [0, 0, 1, 1, '甲'],
        [0, 1, 1, 1, '1'],
      ],
    ); // bbox y 0..100
    const b = table(
      2,
      [0, 100, 200],
      [
        [0, 0, 1, 1, '乙'],
        [0, 1, 1, 1, '2'],
      ],
    );
    expect(
      joinPages(
        [[a], [b]],
        new Map([
          [1, 120],
          [2, 120],
        ]),
      ),
    ).toHaveLength(1);
    // On a tall page the first table ends high up: the page break is not inside a table.
    const out = joinPages(
      [[a], [b]],
      new Map([
        [1, 842],
        [2, 842],
      ]),
    ) as PageTable[];
    expect(out).toHaveLength(2);
    expect(out[1].continues).toBeUndefined();
  });

  it('marks a table that starts the next page with other columns as continuing', () => {
    const a = table(
      1,
      [72, 222, 372, 522],
      [
        [0, 0, 1, 1, 'a'],
        [0, 1, 1, 1, 'b'],
        [0, 2, 1, 1, 'c'],
      ],
    );
    const b = table(
      2,
      [100, 300, 480],
      [
        [0, 0, 1, 1, 'x'],
        [0, 1, 1, 1, 'y'],
      ],
    );
    const out = joinPages([[a], [b]]) as PageBlock[];
    expect(out).toHaveLength(2);
    expect((out[1] as PageTable).continues).toBe(true);
    // Not at the top of the next page: a new table, not a continuation.
    const para: PageBlock = { kind: 'paragraph', page: 2, bbox: [0, 0, 1, 1], text: '正文', size: 10 };
    const out2 = joinPages([[a], [para, b]]) as PageBlock[];
    expect((out2[2] as PageTable).continues).toBeUndefined();
  });
});

describe('page furniture', () => {
  it('drops margin lines and watermarks that recur, keeps repeated body text', () => {
    const line = (text: string, y: number, flow: Char['flow'] = 'h') => buildLines(chars(text, 100, y).map((c) => ({ ...c, flow })))[0];
    const pages = [1, 2, 3].map((n) => ({
      height: 842,
      lines: [
        line(`某某局文件`, 20),
        line(`正文第${n}页`, 300),
        line('同一句正文', 400),
        line('内部资料', 500, 'r'),
        line(`- ${n} -`, 800),
      ],
    }));
    const furniture = findFurniture(pages);
    expect(pages.map((p) => p.lines.filter((l) => !furniture.has(l)).map((l) => l.text))).toEqual(
      [1, 2, 3].map((n) => [`正文第${n}页`, '同一句正文']),
    );
  });

  it('recognises page numbers', () => {
    for (const t of ['- 4 -', '—4—', '4', '第 4 页', '第4页 共5页', '4 / 5', 'Page 4 of 5']) expect(isPageNumber(t)).toBe(true);
    for (const t of ['21件', '二、主动公开', '2023年', '第二十条第（一）项']) expect(isPageNumber(t)).toBe(false);
  });
});
