/**
 * The agency a report is filed by: from the report's title pattern, else from
 * the publishing unit the page or the report itself names (the signature
 * above the date, a 发布机构/来源 line). A candidate must look like the name
 * of a body (it ends with one); fragments such as 做好 or 一图读懂《… never
 * pass, and no agency is better than a guessed one.
 */
import type { DocumentModel } from '../model.js';
import { toHalfWidth } from './normalize.js';

/** How the names of Chinese public bodies end (governments, their offices and bureaus, committees, places, institutions). */
const AGENCY_END =
  /(?:人民政府|政府|办公室|办公厅|委员会|管委会|委|局|厅|部|署|院|会|中心|处|办|所|站|队|馆|街道|办事处|镇|乡|区|县|市|州|盟|旗|省|公司|集团|学校|学院|大学|医院|银行|社|台|室|科|团|司|庭|园)$/;

/** Words that start a sentence or a title, never an agency's name. */
const LEADING_WORDS =
  /^(?:关于|做好|印发|转发|公布|发布|公开|编制|报送|一图读懂|一图看懂|一图了解|图解|解读|本机关|本单位|我局|我委|我办)+/;

/** Characters no agency name contains: quotes, brackets, sentence punctuation. */
const NOT_IN_NAME = /[《》〈〉<>"“”'‘’「」：:，,。；;！？!?、（）()\[\]【】_|｜/\\]/;

const MIN_NAME = 2;
const MAX_NAME = 40;

/** The name as printed, cleaned of spaces; null unless it reads as the name of a body. */
export function plausibleAgency(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const s = toHalfWidth(raw).replace(/[\s\u00a0\u3000]+/g, '');
  if (s.length < MIN_NAME || s.length > MAX_NAME) return null;
  // Digits pass: a year never reaches here (titles are cut before it), and names such as 第1测试局 occur.
  if (NOT_IN_NAME.test(s) || LEADING_WORDS.test(s)) return null;
  if (/报告|年报|年度|通知|公告|更正|说明|信息公开|政务公开|网站/.test(s)) return null;
  return AGENCY_END.test(s) ? s : null;
}

/** The candidate as a title puts it: after any opening quote, without the verbs that lead into it. */
function titleCandidate(s: string): string {
  const quoted = s.split(/[《〈<“"]/).pop() ?? s;
  // "青山县人民政府关于2023年度…的报告": the name before 关于.
  return quoted.replace(LEADING_WORDS, '').replace(/关于$/, '');
}

/**
 * The agency as the title names it: the text before the year ("洪泽区人民政府2023年…"),
 * or between the year and 政府信息公开 ("2019年上海市人民政府办公厅政府信息公开…").
 */
export function agencyFromTitle(title: string | null): string | null {
  if (!title) return null;
  const t = toHalfWidth(title).replace(/\s+/g, '');
  const m = t.match(/^(.*?)((?:19|20)\d{2})年度?(.*)$/);
  if (!m) return null;
  const before = titleCandidate(m[1]);
  if (before.length >= MIN_NAME) return plausibleAgency(before);
  const after = m[3].match(/^(.*?)(?:政府信息公开|信息公开|政务公开)/);
  return after ? plausibleAgency(after[1]) : null;
}

/** "发布机构：青山县人民政府办公室  发布日期：…": the labels portals print above an article. */
const SOURCE_LABEL = /(?:发布机构|发布单位|发文机关|发文单位|公开主体|信息来源|来源|发布部门)\s*[:：]\s*([^\s:：|｜]{2,40})/;
/** A date line under the signature: "2024年1月20日", "2024-01-20". */
const DATE_LINE = /^\s*(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[-./]\d{1,2}[-./]\d{1,2})\s*$/;

const SIGNATURE_BLOCKS = 8;
const LABEL_BLOCKS = 30;

/**
 * The publishing unit, when the title names none: the signature of the
 * report (a name on its own line next to the date at the end), else the
 * page's 发布机构/来源 line.
 */
export function publishingUnit(doc: DocumentModel): string | null {
  const texts = doc.blocks.flatMap((b) => (b.kind === 'table' ? [] : [b.text.trim()]));
  const tail = texts.slice(-SIGNATURE_BLOCKS);
  for (let i = tail.length - 1; i >= 0; i--) {
    // "青山县人民政府办公室 2024年1月20日" on one line, or the name with the date on the next or previous line.
    const oneLine = tail[i].match(/^(\S{2,40})\s+((?:19|20)\d{2}\s*年.*日)$/);
    if (oneLine && DATE_LINE.test(oneLine[2])) {
      const a = plausibleAgency(oneLine[1]);
      if (a) return a;
    }
    const nextToDate = DATE_LINE.test(tail[i + 1] ?? '') || DATE_LINE.test(tail[i - 1] ?? '');
    if (nextToDate) {
      const a = plausibleAgency(tail[i]);
      if (a) return a;
    }
  }
  const near = [...texts.slice(0, LABEL_BLOCKS), ...texts.slice(-LABEL_BLOCKS)];
  for (const t of near) {
    const m = toHalfWidth(t).match(SOURCE_LABEL);
    const a = m ? plausibleAgency(m[1]) : null;
    if (a) return a;
  }
  return null;
}
