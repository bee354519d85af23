/** Building small document models by hand, to test mapping without any extractor. */
import type { Block, Cell, DocumentModel, TableBlock } from '../../src/model.js';

/** A grid table from rows of cell texts; `[text, rowSpan, colSpan]` tuples make merged cells. */
export function gridTable(index: number, rows: (string | [string, number, number])[][], method = 'html-table'): TableBlock {
  const cells: Cell[] = [];
  const taken = new Set<string>();
  let nCols = 0;
  rows.forEach((row, r) => {
    let c = 0;
    for (const item of row) {
      while (taken.has(`${r},${c}`)) c++;
      const [text, rowSpan, colSpan] = typeof item === 'string' ? [item, 1, 1] : item;
      cells.push({ row: r, col: c, rowSpan, colSpan, text, source: { table: index, row: r, col: c } });
      for (let dr = 0; dr < rowSpan; dr++) for (let dc = 0; dc < colSpan; dc++) taken.add(`${r + dr},${c + dc}`);
      c += colSpan;
      nCols = Math.max(nCols, c);
    }
  });
  return { kind: 'table', index, structure: 'grid', nRows: rows.length, nCols, cells, source: { table: index }, method };
}

export function rowsTable(index: number, rows: string[][], method = 'txt-cells'): TableBlock {
  const cells: Cell[] = [];
  rows.forEach((row, r) =>
    row.forEach((text, c) => cells.push({ row: r, col: c, rowSpan: 1, colSpan: 1, text, source: { table: index, row: r, col: c } })),
  );
  return {
    kind: 'table',
    index,
    structure: 'rows',
    nRows: rows.length,
    nCols: Math.max(...rows.map((r) => r.length)),
    cells,
    source: { table: index },
    method,
  };
}

export function para(text: string, block = 0): Block {
  return { kind: 'paragraph', text, source: { block }, method: 'test' };
}

export function doc(blocks: Block[], title?: string): DocumentModel {
  return { format: 'html', meta: { extractor: 'test', warnings: [], ...(title ? { title } : {}) }, blocks };
}

/** The 25 table-3 row labels of the 2021 form (single cell each, parents folded in). */
export const T3_LABELS_2021 = [
  '一、本年新收政府信息公开申请数量',
  '二、上年结转政府信息公开申请数量',
  '（一）予以公开',
  '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
  '1.属于国家秘密',
  '2.其他法律行政法规禁止公开',
  '3.危及“三安全一稳定”',
  '4.保护第三方合法权益',
  '5.属于三类内部事务信息',
  '6.属于四类过程性信息',
  '7.属于行政执法案卷',
  '8.属于行政查询事项',
  '1.本机关不掌握相关政府信息',
  '2.没有现成信息需要另行制作',
  '3.补正后申请内容仍不明确',
  '1.信访举报投诉类申请',
  '2.重复申请',
  '3.要求提供公开出版物',
  '4.无正当理由大量反复申请',
  '5.要求行政机关确认或重新出具已获取信息',
  '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
  '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
  '3.其他',
  '（七）总计',
  '四、结转下年度继续办理',
];
export const T3_IDS_2021 = [
  'new',
  'carried_over',
  'granted',
  'partial',
  'denied_state_secret',
  'denied_prohibited',
  'denied_security_stability',
  'denied_third_party',
  'denied_internal_affairs',
  'denied_process_info',
  'denied_enforcement_file',
  'denied_query',
  'unable_not_held',
  'unable_needs_creation',
  'unable_unclear',
  'rejected_complaint',
  'rejected_duplicate',
  'rejected_publication',
  'rejected_excessive',
  'rejected_confirmation',
  'other_no_correction',
  'other_unpaid_fee',
  'other_misc',
  'total',
  'carried_forward',
];
export const T3_HEADER = ['申请人情况', '自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计'];
