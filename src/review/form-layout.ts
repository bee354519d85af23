/**
 * The three tables of the national form as the review site draws them: rows
 * and columns with their printed labels, and the canonical key of every value
 * cell. Data only; the browser code lays it out. Keys come from the mapping
 * catalog, so a cell here is always a key of spec/fields.tsv.
 */
import { T3_COLUMNS, T4_COLUMNS, T4_GROUPS, T2_DEFAULT_COLUMNS } from '../mapping/catalog.js';
import { FIELD_SPECS } from '../spec/fields.js';

export interface FormRow {
  /** Label cells before the values: [text, colspan, rowspan]; rowspan 0 = covered by a cell above. */
  labels: [string, number, number][];
  keys: (string | null)[];
}

export interface FormTable {
  title: string;
  /** Header rows as [text, colspan, rowspan]. */
  header: [string, number, number][][];
  rows: FormRow[];
}

const T2_BLOCKS_2021: { title: string; header: string[]; rows: [string, string][] }[] = [
  {
    title: '第二十条第（一）项',
    header: ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'],
    rows: [
      ['规章', 'rules'],
      ['行政规范性文件', 'normative'],
    ],
  },
  { title: '第二十条第（五）项', header: ['信息内容', '本年处理决定数量'], rows: [['行政许可', 'licensing']] },
  {
    title: '第二十条第（六）项',
    header: ['信息内容', '本年处理决定数量'],
    rows: [
      ['行政处罚', 'penalty'],
      ['行政强制', 'coercion'],
    ],
  },
  { title: '第二十条第（八）项', header: ['信息内容', '本年收费金额（单位：万元）'], rows: [['行政事业性收费', 'fees']] },
];

const T2_BLOCKS_2019: { title: string; header: string[]; rows: [string, string][] }[] = [
  {
    title: '第二十条第（一）项',
    header: ['信息内容', '本年新制作数量', '本年新公开数量', '对外公开总数量'],
    rows: [
      ['规章', 'rules'],
      ['规范性文件', 'normative'],
    ],
  },
  {
    title: '第二十条第（五）项',
    header: ['信息内容', '上一年项目数量', '本年增/减', '处理决定数量'],
    rows: [
      ['行政许可', 'licensing'],
      ['其他对外管理服务事项', 'other_services'],
    ],
  },
  {
    title: '第二十条第（六）项',
    header: ['信息内容', '上一年项目数量', '本年增/减', '处理决定数量'],
    rows: [
      ['行政处罚', 'penalty'],
      ['行政强制', 'coercion'],
    ],
  },
  { title: '第二十条第（八）项', header: ['信息内容', '上一年项目数量', '本年增/减'], rows: [['行政事业性收费', 'fees']] },
  { title: '第二十条第（九）项', header: ['信息内容', '采购项目数量', '采购总金额'], rows: [['政府集中采购', 'procurement']] },
];

/** Table 2: every block's title row, header and value rows, on a 4-column grid (values fill the row). */
function table2(template: '2019' | '2021'): FormTable {
  const blocks = template === '2021' ? T2_BLOCKS_2021 : T2_BLOCKS_2019;
  const cols = T2_DEFAULT_COLUMNS[template];
  const rows: FormRow[] = [];
  for (const b of blocks) {
    rows.push({ labels: [[b.title, 4, 1]], keys: [] });
    // Four grid columns: the last header cell and the last value cell take what is left.
    const n = b.header.length;
    rows.push({ labels: b.header.map((h, i) => [h, i === n - 1 ? 5 - n : 1, 1] as [string, number, number]), keys: [] });
    for (const [label, id] of b.rows) {
      const keys: (string | null)[] = cols[id].map((c) => `t2.${id}.${c}`);
      while (keys.length < 3) keys.push(null); // null: the cell before spans it
      rows.push({ labels: [[label, 1, 1]], keys });
    }
  }
  return { title: '二、主动公开政府信息情况', header: [], rows };
}

/** Printed labels of table 3's rows, with their grouping (三、本年度办理结果 and its parts). */
const T3_LAYOUT: { id: string; group?: string; sub?: string; label: string }[] = [
  { id: 'new', label: '一、本年新收政府信息公开申请数量' },
  { id: 'carried_over', label: '二、上年结转政府信息公开申请数量' },
  { id: 'granted', group: '三、本年度办理结果', label: '（一）予以公开' },
  { id: 'partial', group: '三、本年度办理结果', label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）' },
  { id: 'denied_state_secret', group: '三、本年度办理结果', sub: '（三）不予公开', label: '1.属于国家秘密' },
  { id: 'denied_prohibited', group: '三、本年度办理结果', sub: '（三）不予公开', label: '2.其他法律行政法规禁止公开' },
  { id: 'denied_security_stability', group: '三、本年度办理结果', sub: '（三）不予公开', label: '3.危及“三安全一稳定”' },
  { id: 'denied_third_party', group: '三、本年度办理结果', sub: '（三）不予公开', label: '4.保护第三方合法权益' },
  { id: 'denied_internal_affairs', group: '三、本年度办理结果', sub: '（三）不予公开', label: '5.属于三类内部事务信息' },
  { id: 'denied_process_info', group: '三、本年度办理结果', sub: '（三）不予公开', label: '6.属于四类过程性信息' },
  { id: 'denied_enforcement_file', group: '三、本年度办理结果', sub: '（三）不予公开', label: '7.属于行政执法案卷' },
  { id: 'denied_query', group: '三、本年度办理结果', sub: '（三）不予公开', label: '8.属于行政查询事项' },
  { id: 'unable_not_held', group: '三、本年度办理结果', sub: '（四）无法提供', label: '1.本机关不掌握相关政府信息' },
  { id: 'unable_needs_creation', group: '三、本年度办理结果', sub: '（四）无法提供', label: '2.没有现成信息需要另行制作' },
  { id: 'unable_unclear', group: '三、本年度办理结果', sub: '（四）无法提供', label: '3.补正后申请内容仍不明确' },
  { id: 'rejected_complaint', group: '三、本年度办理结果', sub: '（五）不予处理', label: '1.信访举报投诉类申请' },
  { id: 'rejected_duplicate', group: '三、本年度办理结果', sub: '（五）不予处理', label: '2.重复申请' },
  { id: 'rejected_publication', group: '三、本年度办理结果', sub: '（五）不予处理', label: '3.要求提供公开出版物' },
  { id: 'rejected_excessive', group: '三、本年度办理结果', sub: '（五）不予处理', label: '4.无正当理由大量反复申请' },
  { id: 'rejected_confirmation', group: '三、本年度办理结果', sub: '（五）不予处理', label: '5.要求行政机关确认或重新出具已获取信息' },
  { id: 'other', group: '三、本年度办理结果', label: '（六）其他处理' },
  {
    id: 'other_no_correction',
    group: '三、本年度办理结果',
    sub: '（六）其他处理',
    label: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
  },
  {
    id: 'other_unpaid_fee',
    group: '三、本年度办理结果',
    sub: '（六）其他处理',
    label: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
  },
  { id: 'other_misc', group: '三、本年度办理结果', sub: '（六）其他处理', label: '3.其他' },
  { id: 'total', group: '三、本年度办理结果', label: '（七）总计' },
  { id: 'carried_forward', label: '四、结转下年度继续办理' },
];

/** Table 3 in one of its two variants: the single （六）其他处理 row or its three parts. */
function table3(single: boolean): FormTable {
  const layout = T3_LAYOUT.filter((r) => (single ? !r.id.startsWith('other_') : r.id !== 'other'));
  const rows: FormRow[] = [];
  const count = (pred: (r: (typeof layout)[number]) => boolean) => layout.filter(pred).length;
  layout.forEach((r, i) => {
    const labels: [string, number, number][] = [];
    const prev = layout[i - 1];
    if (!r.group) labels.push([r.label, 3, 1]);
    else {
      labels.push([r.group, 1, prev?.group === r.group ? 0 : count((x) => x.group === r.group)]);
      if (!r.sub) labels.push([r.label, 2, 1]);
      else {
        labels.push([r.sub, 1, prev?.sub === r.sub ? 0 : count((x) => x.sub === r.sub)]);
        labels.push([r.label, 1, 1]);
      }
    }
    rows.push({ labels, keys: T3_COLUMNS.map((c) => `t3.${r.id}.${c.id}`) });
  });
  return {
    title: '三、收到和处理政府信息公开申请情况',
    header: [
      [
        ['（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', 3, 3],
        ['申请人情况', 7, 1],
      ],
      [
        ['自然人', 1, 2],
        ['法人或其他组织', 5, 1],
        ['总计', 1, 2],
      ],
      T3_COLUMNS.slice(1, 6).map((c) => [c.labels[0], 1, 1] as [string, number, number]),
    ],
    rows,
  };
}

function table4(): FormTable {
  return {
    title: '四、政府信息公开行政复议、行政诉讼情况',
    header: [
      [
        ['行政复议', 5, 2],
        ['行政诉讼', 10, 1],
      ],
      [
        ['未经复议直接起诉', 5, 1],
        ['复议后起诉', 5, 1],
      ],
      T4_GROUPS.flatMap(() => T4_COLUMNS.map((c) => [c.labels[0], 1, 1] as [string, number, number])),
    ],
    rows: [{ labels: [], keys: T4_GROUPS.flatMap((g) => T4_COLUMNS.map((c) => `t4.${g.id}.${c.id}`)) }],
  };
}

export interface FormLayouts {
  t2: Record<'2019' | '2021', FormTable>;
  t3: { single: FormTable; triple: FormTable };
  t4: FormTable;
  /** Every key with its printed row and column label (tooltips, the comparison page). */
  labels: Record<string, string>;
}

export function formLayouts(): FormLayouts {
  const labels: Record<string, string> = {};
  for (const f of FIELD_SPECS) labels[f.key] = `${f.rowLabel} · ${f.columnLabel.replace(/ \(2019 form:.*\)$/, '')}`;
  return {
    t2: { '2019': table2('2019'), '2021': table2('2021') },
    t3: { single: table3(true), triple: table3(false) },
    t4: table4(),
    labels,
  };
}
