/**
 * Rows that look damaged are never confident (src/mapping/row-doubt.ts): the
 * general causes behind the fuzzer's confident wrong values, on hand-built
 * models, each beside the undamaged row that must stay exact and confident.
 */
import { describe, expect, it } from 'vitest';
import { mapDocument } from '../../src/mapping/map-document.js';
import type { TableBlock } from '../../src/model.js';
import { doc, gridTable, para, rowsTable, T3_HEADER, T3_LABELS_2021 } from '../helpers/model.js';

const rowValues = (i: number) => [0, 1, 2, 3, 4, 5, 6].map((j) => String(i * 10 + j));
const TITLE = '某局2023年度政府信息公开工作年度报告';

function t3Doc(table: TableBlock) {
  return doc([para('三、收到和处理政府信息公开申请情况'), table], TITLE);
}

function t3Rows(): string[][] {
  return T3_LABELS_2021.map((l, i) => [l, ...rowValues(i)]);
}

/** Marks the cell of `table` at (row, col) as broken by its reader. */
function damage(table: TableBlock, row: number, col: number): TableBlock {
  const cell = table.cells.find((c) => c.row === row && c.col === col);
  if (!cell) throw new Error(`no cell at ${row},${col}`);
  cell.damaged = true;
  return table;
}

describe('rows that look damaged', () => {
  it('an undamaged table keeps every value exact and confident, with no doubt flag or warning', () => {
    const m = mapDocument(t3Doc(gridTable(0, [T3_HEADER, ...t3Rows()])));
    const t3 = Object.entries(m.fields).filter(([k]) => k.startsWith('t3.'));
    expect(t3).toHaveLength(25 * 7);
    for (const [k, f] of t3) {
      expect(f.confidence, k).toBeGreaterThanOrEqual(0.9);
      expect(f.flags, k).not.toContain('table-damaged');
      expect(f.flags, k).not.toContain('row-shape-suspect');
    }
    expect(m.warnings.map((w) => w.code)).not.toContain('table-damaged');
  });

  it('a cell the reader found broken puts that cell and the rest of its row below 0.5; the cells before it stay confident', () => {
    // Row 9 (1 header + index 8: 5.属于三类内部事务信息), its 4th value cell (grid col 4).
    const table = damage(gridTable(0, [T3_HEADER, ...t3Rows()]), 9, 4);
    const m = mapDocument(t3Doc(table));
    const row = 't3.denied_internal_affairs';
    expect(m.fields[`${row}.natural_person`].confidence).toBeGreaterThanOrEqual(0.9);
    expect(m.fields[`${row}.research`].confidence).toBeGreaterThanOrEqual(0.9);
    for (const col of ['social_welfare', 'legal_service', 'other_org', 'total']) {
      expect(m.fields[`${row}.${col}`].confidence, col).toBeLessThan(0.5);
      expect(m.fields[`${row}.${col}`].flags, col).toContain('table-damaged');
    }
    // Other rows are not touched.
    expect(m.fields['t3.denied_process_info.total'].confidence).toBeGreaterThanOrEqual(0.9);
    expect(m.warnings.find((w) => w.code === 'table-damaged')).toMatchObject({ place: { table: 0, row: 9 } });
  });

  it('a broken label cell puts the whole row below 0.5', () => {
    const m = mapDocument(t3Doc(damage(gridTable(0, [T3_HEADER, ...t3Rows()]), 3, 0)));
    for (const col of ['natural_person', 'total']) expect(m.fields[`t3.granted.${col}`].confidence).toBeLessThan(0.5);
  });

  it('control characters in the label cell (zeroed bytes, the end of another row behind them) put the row below 0.5', () => {
    const rows = t3Rows();
    rows[2][0] = '（一）予以公开\u0000\u0000\u0000';
    const m = mapDocument(t3Doc(rowsTable(0, [T3_HEADER, ...rows], 'md-table')));
    expect(m.fields['t3.granted.total'].flags).toContain('table-damaged');
    expect(m.fields['t3.granted.total'].confidence).toBeLessThan(0.5);
    expect(m.fields['t3.partial.total'].confidence).toBeGreaterThan(0.8);
  });

  it('a label that ends in a number (a value cell joined it) puts the row below 0.5', () => {
    const rows = t3Rows();
    // "| 二、上年结转… | 10 | 11 |…" with its first cell boundary flipped to ':' and a blank cell at the end.
    rows[1] = ['二、上年结转政府信息公开申请数量 : 10', '11', '12', '13', '14', '15', '16', ''];
    const m = mapDocument(t3Doc(rowsTable(0, [T3_HEADER, ...rows], 'md-table')));
    const f = m.fields['t3.carried_over.total'];
    expect(f.flags).toContain('row-shape-suspect');
    expect(f.confidence).toBeLessThan(0.5);
    expect(m.fields['t3.new.total'].confidence).toBeGreaterThan(0.8);
    expect(m.warnings.map((w) => w.code)).toContain('row-shape-suspect');
  });

  it('enumerators and parent labels are not numbers at the end: 1.属于国家秘密 stays confident', () => {
    const rows = t3Rows();
    rows[4][0] = '（三）不予公开 1.属于国家秘密';
    const m = mapDocument(t3Doc(rowsTable(0, [T3_HEADER, ...rows], 'md-table')));
    expect(m.fields['t3.denied_state_secret.total'].flags).not.toContain('row-shape-suspect');
    expect(m.fields['t3.denied_state_secret.total'].confidence).toBeGreaterThan(0.8);
  });

  it('a label holding two rows of the form (two rows run together) puts the row below 0.5', () => {
    const rows = t3Rows();
    rows[5][0] = '1.属于国家秘密2.其他法律行政法规禁止公开';
    rows.splice(4, 1);
    const m = mapDocument(t3Doc(rowsTable(0, [T3_HEADER, ...rows], 'md-table')));
    const f = m.fields['t3.denied_prohibited.total'];
    expect(f.flags).toContain('row-shape-suspect');
    expect(f.confidence).toBeLessThan(0.5);
  });

  it('table 2: a broken value cell is not confident, the row label stays placed', () => {
    const grid = gridTable(0, [
      [['第二十条第（五）项', 1, 5]],
      ['信息内容', ['上一年项目数量', 1, 2], '本年增/减', '处理决定数量'],
      ['行政许可', ['0', 1, 2], '0', '0'],
      ['其他对外管理服务事项', ['0', 1, 2], '0', '859'],
    ]);
    damage(grid, 3, 4);
    const m = mapDocument(doc([para('二、主动公开政府信息情况'), grid], '上海市某局2019年政府信息公开工作年度报告'));
    expect(m.fields['t2.other_services.decisions']).toMatchObject({ value: 859 });
    expect(m.fields['t2.other_services.decisions'].confidence).toBeLessThan(0.5);
    expect(m.fields['t2.other_services.decisions'].flags).toContain('table-damaged');
    expect(m.fields['t2.other_services.prev_items'].confidence).toBeGreaterThan(0.9);
    expect(m.fields['t2.licensing.decisions'].confidence).toBeGreaterThan(0.9);
  });
});
