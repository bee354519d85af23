/**
 * text-vs-table: a number the report's own text states contradicts its table.
 *
 * Precision first. A sentence counts only when one of a few fixed phrasings
 * names exactly one quantity of the form, in this report's year, for the whole
 * reporting body:
 *
 *   收到/受理/接收/新收 …政府信息公开申请 N 件   → t3.new.total (收到/受理 may include 上年结转)
 *   （被申请/涉及/发生）行政复议（案件） N 件     → t4.review.total (the sentence must be about 信息公开)
 *   行政事业性收费（金额） N 万元 / 元            → t2.fees.amount (万元)
 *   制发/印发/出台/制定 （行政）规范性文件 N 件   → t2.normative.issued (2019 form: .made)
 *   废止 （行政）规范性文件 N 件                  → t2.normative.repealed
 *   现行有效（的）（行政）规范性文件 N 件          → t2.normative.in_force
 *   制发/出台/制定 规章 N 件                      → t2.rules.issued (2019 form: .made)
 *
 * Everything before the phrase in its sentence must be made of a small
 * vocabulary: years (this year only), 本年/全年, subjects that are the whole
 * body (我局, 本机关, the agency's name; 全区/全县 only in a government's own
 * report), 共/累计. Anything else (a
 * subunit, 其中, a channel, 较上年, another year) and the sentence is skipped.
 * Approximate numbers (余, 多, 以上, 左右) and other units (人次) are skipped.
 * 信息处理费 is not 行政事业性收费 and is never compared.
 *
 * Compared with the table only when every cell involved is printed as a
 * number at confidence ≥ FINDING_MIN_CONFIDENCE: a blank, a dash or an unsure
 * cell says nothing.
 */
import type { EvidenceText, Field, Finding, ReportMeta } from '../contract/document.js';
import { FINDING_MIN_CONFIDENCE } from '../mapping/confidence.js';
import { toHalfWidth } from '../mapping/normalize.js';
import type { DocumentModel, TextBlock } from '../model.js';

export const TEXT_VS_TABLE = 'text-vs-table';

/** One way the text can name a quantity of the form. */
interface Quantity {
  id: string;
  /** The phrase, anchored at its verb or noun; group `n` is the number, group `unit` its unit. */
  phrase: RegExp;
  /** The key compared, by template. */
  key: (template: string) => string | null;
  /** Other keys whose sum with `key` the phrase may also mean (受理 may include 上年结转). */
  alternatives?: (match: RegExpExecArray) => string[][];
  /** Words that must appear in the sentence, or else in the heading of its section. */
  context?: RegExp;
  headingContext?: RegExp;
  /** Value in the field's unit. */
  scale?: (unit: string) => number;
  integer: boolean;
  label: string;
}

const NUM = String.raw`(?<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)`;

const QUANTITIES: Quantity[] = [
  {
    id: 'requests',
    phrase: new RegExp(
      String.raw`(?<verb>新收|收到|受理|接收|接到)了?(?:各类|群众|公众|社会公众|申请人)?(?:提出|提交)?的?(?:政府信息公开|信息公开|依申请公开(?:政府信息)?)?的?申请(?:总数|总量|数量|件数)?(?:共计|共|合计|总计)?(?:为|达到|达)?\s*${NUM}\s*(?<unit>件|个|宗|份)`,
      'gd',
    ),
    key: () => 't3.new.total',
    // 收到/受理 N 件 is sometimes counted with last year's carried-over requests: either reading fits.
    alternatives: (m) => (m.groups!.verb === '新收' ? [] : [['t3.new.total', 't3.carried_over.total']]),
    integer: true,
    label: 'Table 3 一、本年新收政府信息公开申请数量 总计',
  },
  {
    id: 'review',
    phrase: new RegExp(String.raw`行政复议(?:案件|申请)?(?:共计|共|合计)?(?:为|达)?\s*${NUM}\s*(?<unit>件|起|宗|个|次)`, 'gd'),
    key: () => 't4.review.total',
    context: /信息公开/,
    // 四、政府信息公开行政复议、行政诉讼情况 (not the report's title, which names 信息公开 too).
    headingContext: /信息公开.*行政复议|行政复议.*信息公开/,
    integer: true,
    label: 'Table 4 行政复议 总计',
  },
  {
    id: 'fees',
    phrase: new RegExp(
      String.raw`行政事业性收费(?:金额|总额|收入|数额)?(?:共计|共|合计|总计)?(?:为|达到|达)?\s*${NUM}\s*(?<unit>万元|元)`,
      'gd',
    ),
    key: (t) => (t === '2021' ? 't2.fees.amount' : null),
    scale: (unit) => (unit === '元' ? 1 / 10000 : 1),
    integer: false,
    label: 'Table 2 行政事业性收费 本年收费金额（万元）',
  },
  {
    id: 'normative-issued',
    phrase: new RegExp(String.raw`(?:制发|印发|出台|制定)了?(?:行政)?规范性文件(?:共计|共|合计)?\s*${NUM}\s*(?<unit>件|个|份)`, 'gd'),
    key: (t) => (t === '2021' ? 't2.normative.issued' : t === '2019' ? 't2.normative.made' : null),
    integer: true,
    label: 'Table 2 行政规范性文件 本年制发件数',
  },
  {
    id: 'normative-repealed',
    phrase: new RegExp(String.raw`废止了?(?:行政)?规范性文件(?:共计|共|合计)?\s*${NUM}\s*(?<unit>件|个|份)`, 'gd'),
    key: (t) => (t === '2021' ? 't2.normative.repealed' : null),
    integer: true,
    label: 'Table 2 行政规范性文件 本年废止件数',
  },
  {
    id: 'normative-in-force',
    phrase: new RegExp(String.raw`现行有效的?(?:行政)?规范性文件(?:共计|共|合计)?(?:为|达)?\s*${NUM}\s*(?<unit>件|个|份)`, 'gd'),
    key: (t) => (t === '2021' ? 't2.normative.in_force' : null),
    integer: true,
    label: 'Table 2 行政规范性文件 现行有效件数',
  },
  {
    id: 'rules-issued',
    phrase: new RegExp(String.raw`(?:制发|出台|制定)了?(?:政府)?规章(?:共计|共|合计)?\s*${NUM}\s*(?<unit>件|个|部)`, 'gd'),
    key: (t) => (t === '2021' ? 't2.rules.issued' : t === '2019' ? 't2.rules.made' : null),
    integer: true,
    label: 'Table 2 规章 本年制发件数',
  },
];

/**
 * What may stand before the phrase in its sentence. The whole prefix must be
 * made of these tokens; each year token is checked against the report's year.
 */
const YEAR = String.raw`(?:19|20)\d{2}\s*年度?`;
const PREFIX_TOKEN = new RegExp(
  [
    String.raw`\s+`,
    String.raw`[,，、:：]`,
    YEAR,
    '本年度|本年内|本年|全年度|全年|今年|年内|当年|报告期内|一年来',
    '我(?:局|委|办|厅|院|部|区|县|市|省|州|旗|镇|乡|街道|单位|机关|中心|署|会|所|站|馆|队|部门)',
    '本(?:机关|单位|部门|局|委|办|厅|级|区|县|市|镇|乡|街道|中心|院|署|会)',
    '全(?:区|县|市|省|州|旗|盟|镇|乡|街道)',
    '各级行政机关',
    '在?(?:依申请公开|政府信息公开)(?:工作)?方面',
    '因?(?:政府)?信息公开(?:工作)?(?:方面)?(?:而|引发|引起|产生)?的?',
    // Verbs that come before 行政复议 / 行政事业性收费 (never the reviewer's: 办理/受理/审理).
    '被申请|被提起|提起|发生|涉及|引发|产生|共有|收取|征收|收缴|有',
    '依法|依规|累计|共计|总共|一共|合计|共|新|均|了|的|为',
    // A sibling count in the same list: 行政诉讼案件1件、行政复议案件2件.
    String.raw`行政诉讼(?:案件)?\s*\d+\s*(?:件|起|宗)[、和及]`,
  ].join('|'),
  'y',
);
const YEAR_IN = new RegExp(String.raw`((?:19|20)\d{2})\s*年`, 'g');

/** 全区, 全县 …: the whole area, which is the reporting body only when the body is its government. */
const WHOLE_AREA = /全(?:区|县|市|省|州|旗|盟|镇|乡|街道)/;
const AREA_GOVERNMENT = /人民政府$|政府$|管委会$|管理委员会$|实验区$|新区$|开发区$/;

/** True when `prefix` is made only of allowed tokens (the agency's own name counts as a subject). */
function plainPrefix(prefix: string, agency: string | null, year: number | null): boolean {
  // A department's report speaking of 全区 counts the whole district: another quantity than its table.
  if (WHOLE_AREA.test(prefix) && !(agency && AREA_GOVERNMENT.test(agency))) return false;
  let s = prefix;
  if (agency) s = s.split(toHalfWidth(agency)).join(' ');
  for (const m of s.matchAll(YEAR_IN)) if (year === null || Number(m[1]) !== year) return false;
  let i = 0;
  while (i < s.length) {
    PREFIX_TOKEN.lastIndex = i;
    const m = PREFIX_TOKEN.exec(s);
    if (!m || m[0].length === 0) return false;
    i += m[0].length;
  }
  return true;
}

/** Sentences of a block: [start, end) offsets, ends after 。！？ or at a line break. */
function sentences(text: string): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '。' || c === '！' || c === '？' || c === '!' || c === '?' || c === '；' || c === ';' || c === '\n') {
      const end = c === '\n' ? i : i + 1;
      if (end > start) out.push([start, end]);
      start = i + 1;
    }
  }
  if (start < text.length) out.push([start, text.length]);
  return out;
}

const APPROXIMATE_BEFORE = /(?:约|近|超过|逾|不足|不到|将近)\s*$/;
const APPROXIMATE_AFTER = /^(?:余|多|以上|左右|次|人次)/;

function decimals(s: string): number {
  const m = s.match(/\.(\d+)/);
  return m ? m[1].length : 0;
}

/** A table cell usable as evidence: printed as a number and read with confidence. */
function sure(fields: Record<string, Field>, key: string): Field | undefined {
  const f = fields[key];
  if (!f || f.value === null || f.confidence < FINDING_MIN_CONFIDENCE) return undefined;
  return f;
}

/** A number the text states about one quantity of the form, and where. */
export interface Statement {
  quantity: string;
  key: string;
  /** Further cells whose sum with `key` the phrase may also mean. */
  alternatives: string[][];
  /** The phrase as printed, spaces removed (for messages). */
  phrase: string;
  stated: number;
  /** Decimal places the stated number carries in the field's unit (元 → 万元 adds 4). */
  decimals: number;
  label: string;
  text: EvidenceText;
}

/** Every statement the text makes about a quantity of the form, in the narrow phrasings above. */
export function statementsOf(model: DocumentModel, report: ReportMeta | null): Statement[] {
  if (!report || (report.template !== '2021' && report.template !== '2019')) return [];
  const out: Statement[] = [];
  let heading = '';
  model.blocks.forEach((block, index) => {
    if (block.kind === 'table') return;
    if (block.kind === 'heading') heading = toHalfWidth(block.text);
    const text = toHalfWidth(block.text);
    for (const [s0, s1] of sentences(text)) {
      const sentence = text.slice(s0, s1);
      for (const q of QUANTITIES) {
        const key = q.key(report.template);
        if (!key) continue;
        if (q.context && !q.context.test(sentence) && !q.headingContext?.test(heading)) continue;
        q.phrase.lastIndex = 0;
        for (let m = q.phrase.exec(sentence); m; m = q.phrase.exec(sentence)) {
          const st = statement(q, key, m, sentence, s0, block, index, report);
          if (st) out.push(st);
        }
      }
    }
  });
  return out;
}

function statement(
  q: Quantity,
  key: string,
  m: RegExpExecArray,
  sentence: string,
  s0: number,
  block: TextBlock,
  index: number,
  report: ReportMeta,
): Statement | undefined {
  const before = sentence.slice(0, m.index);
  if (!plainPrefix(before, report.agency, report.year)) return undefined;
  if (APPROXIMATE_BEFORE.test(before)) return undefined;
  if (APPROXIMATE_AFTER.test(sentence.slice(m.index + m[0].length))) return undefined;
  const printed = m.groups!.n;
  if (q.integer && printed.includes('.')) return undefined;
  const scale = q.scale?.(m.groups!.unit) ?? 1;
  const stated = Number(printed.replace(/,/g, '')) * scale;
  if (!Number.isFinite(stated)) return undefined;
  const numberStart = s0 + m.indices!.groups!.n[0];
  return {
    quantity: q.id,
    key,
    alternatives: q.alternatives?.(m) ?? [],
    phrase: m[0].replace(/\s+/g, ''),
    stated,
    decimals: decimals(printed) + (scale === 1 ? 0 : Math.round(-Math.log10(scale))),
    label: q.label,
    text: {
      sentence: block.text.slice(s0, s0 + sentence.length),
      block: block.source.block ?? index,
      chars: [s0, s0 + sentence.length],
      number: [numberStart, numberStart + printed.length],
      stated,
      ...(block.source.page !== undefined ? { page: block.source.page } : {}),
      ...(block.source.bbox ? { bbox: block.source.bbox } : {}),
      ...(block.source.line !== undefined ? { line: block.source.line } : {}),
    },
  };
}

/** The values a statement may mean, each with the cells it comes from; undefined when nothing can be compared. */
function readings(st: Statement, fields: Record<string, Field>): { keys: string[]; value: number }[] | undefined {
  const main = sure(fields, st.key);
  if (!main) return undefined; // blank, dash, text, missing or unsure: nothing to compare
  const out = [{ keys: [st.key], value: main.value as number }];
  for (const keys of st.alternatives) {
    const others = keys.filter((k) => k !== st.key);
    // An unsure cell that could make the sentence fit: stay silent.
    if (others.some((k) => fields[k] && fields[k].value !== null && fields[k].confidence < FINDING_MIN_CONFIDENCE)) return undefined;
    // A blank or missing one adds nothing: that reading is the main one.
    if (others.some((k) => !fields[k] || fields[k].value === null)) continue;
    out.push({ keys, value: keys.reduce((s, k) => s + (fields[k].value as number), 0) });
  }
  return out;
}

/** Equal up to the coarser of the two printed precisions (either side may be rounded). */
function fits(stated: number, statedDecimals: number, value: number, tableDecimals: number): boolean {
  return Math.abs(stated - value) <= 0.5 * 10 ** -Math.min(statedDecimals, tableDecimals) + 1e-9;
}

/** One finding per statement that no reading of the table fits. */
export function compareStatement(st: Statement, fields: Record<string, Field>): Finding | undefined {
  const options = readings(st, fields);
  if (!options) return undefined;
  const tableDecimals = Math.max(...options[0].keys.map((k) => decimals(fields[k].raw.replace(/[,，]/g, ''))));
  if (options.some((o) => fits(st.stated, st.decimals, o.value, tableDecimals))) return undefined;
  const main = options[0];
  const alt = options.slice(1).map((o) => `; with 上年结转: ${o.keys.map((k) => fields[k].value).join(' + ')} = ${o.value}`);
  const keys = [...new Set(options.flatMap((o) => o.keys))];
  return {
    rule: TEXT_VS_TABLE,
    severity: 'error',
    keys,
    expected: main.value,
    actual: st.stated,
    message: `The text states “${st.phrase}”, but ${st.label} prints ${main.value}${alt.join('')}`,
    evidence: { text: st.text, cells: keys.map((k) => ({ report: 'this' as const, key: k })) },
  };
}

/** The text-vs-table findings of one document. */
export function textVsTable(model: DocumentModel, fields: Record<string, Field>, report: ReportMeta | null): Finding[] {
  const out: Finding[] = [];
  for (const st of statementsOf(model, report)) {
    const f = compareStatement(st, fields);
    if (f) out.push(f);
  }
  return out;
}
