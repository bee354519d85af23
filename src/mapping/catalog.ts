/**
 * The printed labels of the official forms (spec/templates.md), as matchable
 * rows and columns. Keys are built from these ids and checked against
 * spec/fields.tsv (test/catalog.test.ts), so a label here can never invent a key.
 */

export interface LabelledId {
  id: string;
  /** Printed labels without enumerators (一、 （三） 1.), as normLabel would leave them. */
  labels: string[];
}

/** Table 3 rows in form order. `single` and `triple` choose the （六） variant. */
export const T3_ROWS_HEAD: LabelledId[] = [
  { id: 'new', labels: ['本年新收政府信息公开申请数量'] },
  { id: 'carried_over', labels: ['上年结转政府信息公开申请数量'] },
  { id: 'granted', labels: ['予以公开'] },
  { id: 'partial', labels: ['部分公开(区分处理的,只计这一情形,不计其他情形)', '部分公开'] },
  { id: 'denied_state_secret', labels: ['属于国家秘密'] },
  { id: 'denied_prohibited', labels: ['其他法律行政法规禁止公开'] },
  { id: 'denied_security_stability', labels: ['危及三安全一稳定'] },
  { id: 'denied_third_party', labels: ['保护第三方合法权益'] },
  { id: 'denied_internal_affairs', labels: ['属于三类内部事务信息'] },
  { id: 'denied_process_info', labels: ['属于四类过程性信息'] },
  { id: 'denied_enforcement_file', labels: ['属于行政执法案卷'] },
  { id: 'denied_query', labels: ['属于行政查询事项'] },
  { id: 'unable_not_held', labels: ['本机关不掌握相关政府信息'] },
  { id: 'unable_needs_creation', labels: ['没有现成信息需要另行制作'] },
  { id: 'unable_unclear', labels: ['补正后申请内容仍不明确'] },
  { id: 'rejected_complaint', labels: ['信访举报投诉类申请'] },
  { id: 'rejected_duplicate', labels: ['重复申请'] },
  { id: 'rejected_publication', labels: ['要求提供公开出版物'] },
  { id: 'rejected_excessive', labels: ['无正当理由大量反复申请'] },
  { id: 'rejected_confirmation', labels: ['要求行政机关确认或重新出具已获取信息'] },
];
export const T3_OTHER_SINGLE: LabelledId[] = [{ id: 'other', labels: ['其他处理'] }];
export const T3_OTHER_TRIPLE: LabelledId[] = [
  { id: 'other_no_correction', labels: ['申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', '申请人无正当理由逾期不补正'] },
  {
    id: 'other_unpaid_fee',
    labels: ['申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', '申请人逾期未按收费通知要求缴纳费用'],
  },
  { id: 'other_misc', labels: ['其他'] },
];
export const T3_ROWS_TAIL: LabelledId[] = [
  { id: 'total', labels: ['总计'] },
  { id: 'carried_forward', labels: ['结转下年度继续办理'] },
];

export type T3Variant = 'single' | 'triple';

export function t3Rows(variant: T3Variant): LabelledId[] {
  return [...T3_ROWS_HEAD, ...(variant === 'single' ? T3_OTHER_SINGLE : T3_OTHER_TRIPLE), ...T3_ROWS_TAIL];
}

/** Every table-3 row label, both variants. */
export const T3_ALL_ROWS: LabelledId[] = [...T3_ROWS_HEAD, ...T3_OTHER_SINGLE, ...T3_OTHER_TRIPLE, ...T3_ROWS_TAIL];

/** Table 3 value columns in form order. */
export const T3_COLUMNS: LabelledId[] = [
  { id: 'natural_person', labels: ['自然人'] },
  { id: 'commercial', labels: ['商业企业'] },
  { id: 'research', labels: ['科研机构'] },
  { id: 'social_welfare', labels: ['社会公益组织'] },
  { id: 'legal_service', labels: ['法律服务机构'] },
  { id: 'other_org', labels: ['其他'] },
  { id: 'total', labels: ['总计'] },
];

/** The result rows that （七）总计 sums, per variant. */
export function t3ResultRows(variant: T3Variant): string[] {
  const rows = t3Rows(variant).map((r) => r.id);
  return rows.slice(rows.indexOf('granted'), rows.indexOf('total'));
}

/** Table 4: three groups of five columns, in form order. */
export const T4_GROUPS: LabelledId[] = [
  { id: 'review', labels: ['行政复议'] },
  { id: 'litigation_direct', labels: ['未经复议直接起诉'] },
  { id: 'litigation_after_review', labels: ['复议后起诉'] },
];
export const T4_COLUMNS: LabelledId[] = [
  { id: 'upheld', labels: ['结果维持'] },
  { id: 'corrected', labels: ['结果纠正'] },
  { id: 'other', labels: ['其他结果'] },
  { id: 'pending', labels: ['尚未审结'] },
  { id: 'total', labels: ['总计'] },
];

/** Table 2 rows (both forms). */
export const T2_ROWS: LabelledId[] = [
  { id: 'rules', labels: ['规章'] },
  { id: 'normative', labels: ['行政规范性文件', '规范性文件'] },
  { id: 'licensing', labels: ['行政许可'] },
  { id: 'other_services', labels: ['其他对外管理服务事项'] },
  { id: 'penalty', labels: ['行政处罚'] },
  { id: 'coercion', labels: ['行政强制'] },
  { id: 'fees', labels: ['行政事业性收费'] },
  { id: 'procurement', labels: ['政府集中采购'] },
];

/** Table 2 column labels → key suffix. Longer labels first: matching is greedy. */
export const T2_COLUMNS: { id: string; label: string; form: '2019' | '2021' | 'both' }[] = [
  { id: 'issued', label: '本年制发件数', form: '2021' },
  { id: 'repealed', label: '本年废止件数', form: '2021' },
  { id: 'in_force', label: '现行有效件数', form: '2021' },
  { id: 'decisions', label: '本年处理决定数量', form: '2021' },
  { id: 'amount', label: '本年收费金额', form: '2021' },
  { id: 'made', label: '本年新制作数量', form: '2019' },
  { id: 'published', label: '本年新公开数量', form: '2019' },
  { id: 'total_public', label: '对外公开总数量', form: '2019' },
  { id: 'prev_items', label: '上一年项目数量', form: '2019' },
  { id: 'delta', label: '本年增/减', form: '2019' },
  { id: 'delta', label: '本年增减', form: '2019' },
  { id: 'items', label: '采购项目数量', form: '2019' },
  { id: 'amount', label: '采购总金额', form: '2019' },
  { id: 'decisions', label: '处理决定数量', form: 'both' },
];

/** The columns each table-2 row has in each form, in printed order: used when a header is missing. */
export const T2_DEFAULT_COLUMNS: Record<'2019' | '2021', Record<string, string[]>> = {
  '2021': {
    rules: ['issued', 'repealed', 'in_force'],
    normative: ['issued', 'repealed', 'in_force'],
    licensing: ['decisions'],
    penalty: ['decisions'],
    coercion: ['decisions'],
    fees: ['amount'],
  },
  '2019': {
    rules: ['made', 'published', 'total_public'],
    normative: ['made', 'published', 'total_public'],
    licensing: ['prev_items', 'delta', 'decisions'],
    other_services: ['prev_items', 'delta', 'decisions'],
    penalty: ['prev_items', 'delta', 'decisions'],
    coercion: ['prev_items', 'delta', 'decisions'],
    fees: ['prev_items', 'delta'],
    procurement: ['items', 'amount'],
  },
};
