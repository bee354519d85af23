/**
 * The official forms as data: row labels, column labels and the canonical key
 * of every value cell (templates.md §2–3, fields.tsv). Renderers and value
 * generation both read from here, so a key can never be printed in one row
 * and generated for another.
 */
import type { SynthReport, SynthTemplate } from './types.js';

// ---- Table 3 ----

export const T3_APPLICANTS = ['natural_person', 'commercial', 'research', 'social_welfare', 'legal_service', 'other_org'] as const;
export const T3_COLUMNS = [...T3_APPLICANTS, 'total'] as const;
export type T3Column = (typeof T3_COLUMNS)[number];

export const T3_CORNER = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）';
export const T3_APPLICANT_HEADER = '申请人情况';
export const T3_ORG_HEADER = '法人或其他组织';
export const T3_COLUMN_LABELS: Record<T3Column, string> = {
  natural_person: '自然人',
  commercial: '商业企业',
  research: '科研机构',
  social_welfare: '社会公益组织',
  legal_service: '法律服务机构',
  other_org: '其他',
  total: '总计',
};
export const T3_RESULTS_LABEL = '三、本年度办理结果';

/** One value row of Table 3. `group` is the （三）… label of a numbered item. */
export interface T3Row {
  id: string;
  label: string;
  group?: string;
  /** A result row (summed into （七）总计). */
  result: boolean;
}

const DENIED: [string, string][] = [
  ['denied_state_secret', '1.属于国家秘密'],
  ['denied_prohibited', '2.其他法律行政法规禁止公开'],
  ['denied_security_stability', '3.危及“三安全一稳定”'],
  ['denied_third_party', '4.保护第三方合法权益'],
  ['denied_internal_affairs', '5.属于三类内部事务信息'],
  ['denied_process_info', '6.属于四类过程性信息'],
  ['denied_enforcement_file', '7.属于行政执法案卷'],
  ['denied_query', '8.属于行政查询事项'],
];
const UNABLE: [string, string][] = [
  ['unable_not_held', '1.本机关不掌握相关政府信息'],
  ['unable_needs_creation', '2.没有现成信息需要另行制作'],
  ['unable_unclear', '3.补正后申请内容仍不明确'],
];
const REJECTED: [string, string][] = [
  ['rejected_complaint', '1.信访举报投诉类申请'],
  ['rejected_duplicate', '2.重复申请'],
  ['rejected_publication', '3.要求提供公开出版物'],
  ['rejected_excessive', '4.无正当理由大量反复申请'],
  ['rejected_confirmation', '5.要求行政机关确认或重新出具已获取信息'],
];
const OTHER_SPLIT: [string, string][] = [
  ['other_no_correction', '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请'],
  ['other_unpaid_fee', '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请'],
  ['other_misc', '3.其他'],
];
export const OTHER_GROUP = '（六）其他处理';

/** Does this report print the single （六）其他处理 row? */
export function usesSingleOther(r: Pick<SynthReport, 'template' | 'singleOther'>): boolean {
  return r.template === '2019' || r.singleOther === true;
}

export function t3Rows(singleOther: boolean): T3Row[] {
  const items = (group: string, list: [string, string][]): T3Row[] => list.map(([id, label]) => ({ id, label, group, result: true }));
  return [
    { id: 'new', label: '一、本年新收政府信息公开申请数量', result: false },
    { id: 'carried_over', label: '二、上年结转政府信息公开申请数量', result: false },
    { id: 'granted', label: '（一）予以公开', result: true },
    { id: 'partial', label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', result: true },
    ...items('（三）不予公开', DENIED),
    ...items('（四）无法提供', UNABLE),
    ...items('（五）不予处理', REJECTED),
    ...(singleOther ? [{ id: 'other', label: OTHER_GROUP, result: true }] : items(OTHER_GROUP, OTHER_SPLIT)),
    { id: 'total', label: '（七）总计', result: false },
    { id: 'carried_forward', label: '四、结转下年度继续办理', result: false },
  ];
}

// ---- Table 4 ----

export const T4_GROUPS = ['review', 'litigation_direct', 'litigation_after_review'] as const;
export const T4_PARTS = ['upheld', 'corrected', 'other', 'pending'] as const;
export const T4_COLUMNS = [...T4_PARTS, 'total'] as const;
export const T4_COLUMN_LABELS: Record<(typeof T4_COLUMNS)[number], string> = {
  upheld: '结果维持',
  corrected: '结果纠正',
  other: '其他结果',
  pending: '尚未审结',
  total: '总计',
};
export const T4_GROUP_LABELS = {
  review: '行政复议',
  litigation: '行政诉讼',
  litigation_direct: '未经复议直接起诉',
  litigation_after_review: '复议后起诉',
};

/** The 15 keys of Table 4, in printed order. */
export function t4Keys(): string[] {
  return T4_GROUPS.flatMap((g) => T4_COLUMNS.map((c) => `t4.${g}.${c}`));
}

// ---- Table 2 ----

export interface T2Row {
  label: string;
  keys: string[];
}
export interface T2Block {
  title: string;
  /** Column labels after 信息内容. */
  columns: string[];
  rows: T2Row[];
}
export const T2_CONTENT_LABEL = '信息内容';

export function t2Blocks(template: SynthTemplate): T2Block[] {
  if (template === '2021') {
    const decisions = ['本年处理决定数量'];
    return [
      {
        title: '第二十条第（一）项',
        columns: ['本年制发件数', '本年废止件数', '现行有效件数'],
        rows: [
          { label: '规章', keys: ['t2.rules.issued', 't2.rules.repealed', 't2.rules.in_force'] },
          { label: '行政规范性文件', keys: ['t2.normative.issued', 't2.normative.repealed', 't2.normative.in_force'] },
        ],
      },
      { title: '第二十条第（五）项', columns: decisions, rows: [{ label: '行政许可', keys: ['t2.licensing.decisions'] }] },
      {
        title: '第二十条第（六）项',
        columns: decisions,
        rows: [
          { label: '行政处罚', keys: ['t2.penalty.decisions'] },
          { label: '行政强制', keys: ['t2.coercion.decisions'] },
        ],
      },
      {
        title: '第二十条第（八）项',
        columns: ['本年收费金额（单位：万元）'],
        rows: [{ label: '行政事业性收费', keys: ['t2.fees.amount'] }],
      },
    ];
  }
  const items = ['上一年项目数量', '本年增/减', '处理决定数量'];
  const itemRow = (label: string, k: string): T2Row => ({ label, keys: [`t2.${k}.prev_items`, `t2.${k}.delta`, `t2.${k}.decisions`] });
  return [
    {
      title: '第二十条第（一）项',
      columns: ['本年新制作数量', '本年新公开数量', '对外公开总数量'],
      rows: [
        { label: '规章', keys: ['t2.rules.made', 't2.rules.published', 't2.rules.total_public'] },
        { label: '规范性文件', keys: ['t2.normative.made', 't2.normative.published', 't2.normative.total_public'] },
      ],
    },
    {
      title: '第二十条第（五）项',
      columns: items,
      rows: [itemRow('行政许可', 'licensing'), itemRow('其他对外管理服务事项', 'other_services')],
    },
    { title: '第二十条第（六）项', columns: items, rows: [itemRow('行政处罚', 'penalty'), itemRow('行政强制', 'coercion')] },
    {
      title: '第二十条第（八）项',
      columns: ['上一年项目数量', '本年增/减'],
      rows: [{ label: '行政事业性收费', keys: ['t2.fees.prev_items', 't2.fees.delta'] }],
    },
    {
      title: '第二十条第（九）项',
      columns: ['采购项目数量', '采购总金额'],
      rows: [{ label: '政府集中采购', keys: ['t2.procurement.items', 't2.procurement.amount'] }],
    },
  ];
}

/** Every canonical key the report prints, in printed order (T2, T3 row by row, T4). */
export function reportKeys(r: Pick<SynthReport, 'template' | 'singleOther'>): string[] {
  const t2 = t2Blocks(r.template).flatMap((b) => b.rows.flatMap((row) => row.keys));
  const t3 = t3Rows(usesSingleOther(r)).flatMap((row) => T3_COLUMNS.map((c) => `t3.${row.id}.${c}`));
  return [...t2, ...t3, ...t4Keys()];
}

export const SECTION_HEADINGS = [
  '一、总体情况',
  '二、主动公开政府信息情况',
  '三、收到和处理政府信息公开申请情况',
  '四、政府信息公开行政复议、行政诉讼情况',
  '五、存在的主要问题及改进情况',
  '六、其他需要报告的事项',
] as const;
