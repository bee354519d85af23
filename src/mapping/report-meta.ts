/**
 * Report metadata: the title, the agency as the report names itself, and the
 * statistics year (the year the numbers are about, not the publication year).
 */
import type { DocumentModel } from '../model.js';
import { toHalfWidth } from './normalize.js';

const REPORT_WORDS = /年度报告|年报|工作报告/;
const YEAR_IN_TITLE = /((?:19|20)\d{2})\s*年/;
/** "本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止" and variants. */
const STATS_PERIOD = /统计(?:期限|周期|时限|时间|区间|范围)?[^。；\n]{0,30}?((?:19|20)\d{2})\s*年\s*0?1\s*月\s*0?1\s*日/;
const MAX_TITLE = 90;
/** "XX局2023年度政府信息公开工作年度报…": the year's disclosure report named without the closing words. */
const TITLE_LIKE = /(?:19|20)\d{2}\s*年度\s*(?:政府|政务)?信息公开/;
/** The sentence after the title that cites the form ("本报告根据《…年度报告格式》…"): never the title. */
const PREAMBLE = /^(本报告|根据|按照|依据|依照)/;

/** Whitespace runs (also no-break and ideographic spaces) as one space, trimmed. */
export function clean(s: string): string {
  return s.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
}

/** The report's title: the first short text near the top that names a report, joined across line breaks. */
export function findTitle(doc: DocumentModel): string | null {
  const texts: string[] = [];
  for (const b of doc.blocks) {
    if (b.kind === 'table') break;
    texts.push(clean(b.text));
    if (texts.length >= 12) break;
  }
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i];
    if (t.length > MAX_TITLE || PREAMBLE.test(t)) continue;
    if (REPORT_WORDS.test(t) && /公开/.test(t)) return clean(t);
    // A title whose last line was lost (a wrapped "告" misread on a scan): the year's disclosure work is named all the same.
    if (TITLE_LIKE.test(t) && t.length <= 60) return clean(t);
    // A title broken over lines: "XX局2023年度政府信息公开工作" + "年度报告"; "洪泽区人民政府" + "2023 年…年度报告".
    const next = texts[i + 1];
    if (next && next.length <= MAX_TITLE && (t + next).length <= MAX_TITLE && REPORT_WORDS.test(next) && /公开/.test(t + next)) {
      return clean(t + next);
    }
  }
  const meta = doc.meta.title ? clean(doc.meta.title) : '';
  if (meta && REPORT_WORDS.test(meta)) return meta;
  return meta || null;
}

export function yearFromTitle(title: string | null): number | null {
  const m = title ? toHalfWidth(title).match(YEAR_IN_TITLE) : null;
  return m ? Number(m[1]) : null;
}

export function yearFromText(doc: DocumentModel): number | null {
  let n = 0;
  for (const b of doc.blocks) {
    if (b.kind === 'table') continue;
    const m = toHalfWidth(b.text).match(STATS_PERIOD);
    if (m) return Number(m[1]);
    if (++n > 60) break;
  }
  return null;
}
