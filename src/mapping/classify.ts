/**
 * Is this document an annual information-disclosure report, or a page around
 * one (a notice about compiling them, a 图解, a correction, another kind of
 * annual report, something else)? Portal columns and researchers' folders mix
 * them, and a page taken for a report becomes a false row per agency and year.
 *
 * Two kinds of evidence, both format-blind:
 * - the title: what it ends with says what the document is (…的通知, …解读,
 *   …法治政府建设情况的报告, …政府信息公开工作年度报告);
 * - the body: the report's fixed section headings (一、总体情况 … 六、其他需要报告的事项),
 *   the 统计期限 sentence, and the national form's tables 2 and 3.
 * A title that names another kind wins unless the body is a complete report
 * (a report published inside a 公告 or 通知); a title that names a report wins
 * even without tables (a report whose tables are images stays a report).
 */
import type { DocumentModel } from '../model.js';
import type { Classification, DocumentKind, Field } from '../contract/document.js';
import { agencyFromTitle } from './agency.js';
import { toHalfWidth } from './normalize.js';
import { clean, yearFromText, yearFromTitle } from './report-meta.js';

/** What a title alone says. `report`: the annual disclosure report; null: nothing decisive. */
interface TitleKind {
  kind: DocumentKind;
  code: string;
}

const MIN_TITLE = 6;

/** A correction of a published report (not a report printed as 更正版, which is the report itself). */
const CORRECTION = /更正|勘误/;
const CORRECTED_VERSION = /更正版|修订版|更正后的?(?:年度)?报告$|更新版/;
const INTERPRETATION = /图解|一图(?:读懂|看懂|了解|速览|带你|解读)|图说|图读|解读|读懂|看懂|漫画|动漫|视频|长图|海报|H5/i;
const NOTICE_END = /(?:通知|通报|通告|公告|公示|函|决定|意见|方案|要点|计划|批复|提醒|提示|清单|讲话|简报|指引|要求|说明)$/;
const NOTICE_ABOUT = /^关于.*(?:编制|报送|发布|做好|填报|开展|印发|转发)/;
/** A report about the reports (a third party's assessment of them), not one. */
const ASSESSMENT_REPORT = /(?:评估|分析|测评|检查|审查|考核|评议|点评|评价)(?:结果|情况)?(?:报告|通报)$/;
const DISCLOSURE_REPORT = /(?:政府)?(?:信息|政务)公开.{0,10}(?:年度)?(?:报告|年报)$/;
/** The same title without its closing words (a wrapped last line lost: "XX局2023年度政府信息公开工作"), as findTitle takes it. */
const DISCLOSURE_REPORT_CUT = /(?:19|20)\d{2}年度?.{0,30}(?:信息|政务)公开(?:工作)?(?:年度报?)?$/;
const GOVERNMENT_WORK_REPORT = /政府工作报告$/;
const LAW_BASED_GOVERNMENT = /法治政府|依法行政|法治建设/;
const WEBSITE_REPORT = /网站.{0,20}(?:报表|报告)$|报表$/;
const OTHER_REPORT = /(?:报告|年报|总结)$/;
const GUIDE = /(?:指南|目录|制度|规定|办法|细则)$/;
const FORM_TEMPLATE = /(?:模板|样表|样本|范本|格式|填报说明)$/;

/** Without the site and column names after an underscore or a bar (HTML titles: 标题_栏目_网站). */
function titleHead(title: string): string {
  const t = toHalfWidth(title)
    .replace(/\s+[-–—]\s+/g, '_')
    .replace(/[\s\u00a0\u3000]+/g, '');
  const first = t.split(/[_|｜]|--|——/)[0];
  return first.length >= MIN_TOP_TITLE ? first : t;
}

/** Without trailing notes in brackets (（全文）, (2024年)) and a file name's extension. */
function titleCore(head: string): string {
  let t = head.replace(/\.(?:pdf|docx?|wps|xlsx?|html?|txt)$/i, '');
  for (let i = 0; i < 3; i++) t = t.replace(/[(（[【][^()（）[\]【】]*[)）\]】]$/, '');
  return t.replace(/[。.\s]+$/, '');
}

export function kindOfTitle(title: string | null | undefined): TitleKind | null {
  if (!title) return null;
  const full = titleHead(title);
  const t = titleCore(full);
  // A column name ("通知公告", "政策解读") is no title.
  if (t.length < MIN_TITLE) return null;
  if (CORRECTION.test(full) && !CORRECTED_VERSION.test(full)) return { kind: 'correction', code: 'correction-title' };
  if (INTERPRETATION.test(full)) return { kind: 'interpretation', code: 'interpretation-title' };
  if (NOTICE_END.test(t) || (NOTICE_ABOUT.test(t) && !OTHER_REPORT.test(t))) return { kind: 'notice', code: 'notice-title' };
  if (ASSESSMENT_REPORT.test(t)) return { kind: 'other-report', code: 'assessment-report' };
  if (DISCLOSURE_REPORT.test(t) || DISCLOSURE_REPORT_CUT.test(t)) return { kind: 'report', code: 'report-title' };
  if (GOVERNMENT_WORK_REPORT.test(t)) return { kind: 'other-report', code: 'government-work-report' };
  if (LAW_BASED_GOVERNMENT.test(t) && OTHER_REPORT.test(t)) return { kind: 'other-report', code: 'law-based-government-report' };
  if (WEBSITE_REPORT.test(t)) return { kind: 'other-report', code: 'website-report' };
  if (OTHER_REPORT.test(t)) return { kind: 'other-report', code: 'other-annual-report' };
  if (FORM_TEMPLATE.test(t)) return { kind: 'unrelated', code: 'form-template' };
  if (GUIDE.test(t)) return { kind: 'unrelated', code: 'disclosure-guide' };
  return null;
}

/**
 * The report's fixed sections, each in its 2019/2021 and its legacy (2008–2018)
 * wording. A preamble that lists them ("本报告包括总体情况、主动公开…") counts too: only reports say so.
 */
const SECTIONS: readonly RegExp[] = [
  /总体情况|[一1][、.．]\s*概\s*述/,
  /主动公开政府信息(?:的)?(?:工作)?情况/,
  /收到和处理政府信息公开申请|依申请公开(?:政府信息)?(?:的|工作)?情况/,
  /行政复议[、和及与]?(?:提起)?行政诉讼(?:的)?情况/,
  /存在的?(?:主要)?问题(?:及|和|与)?(?:其?)?改进(?:情况|措施)/,
  /其他需要报告的事项/,
  /收费及减免/,
];

/** How much of a report's body a document has. */
export interface BodyEvidence {
  /** How many of the fixed sections it names (0–7). */
  sections: number;
  /** The 统计期限 sentence ("本报告所列数据的统计期限自2023年1月1日起…"). */
  period: boolean;
  /** Fields read from tables 2 and 3 of the national form, and how many of table 3 hold a number. */
  t2Fields: number;
  t3Fields: number;
  t3Numbers: number;
  /** How many distinct report titles the text names. */
  reportTitles: number;
}

/** Text read for evidence: enough for any report's headings, bounded for a huge page. */
const MAX_BODY_CHARS = 200_000;

export function bodyEvidence(doc: DocumentModel, fields: Record<string, Field>): BodyEvidence {
  let text = '';
  for (const b of doc.blocks) {
    if (b.kind === 'table') continue;
    text += toHalfWidth(b.text).replace(/[\s\u00a0\u3000]+/g, '') + '\n';
    if (text.length > MAX_BODY_CHARS) break;
  }
  const keys = Object.keys(fields);
  const t3 = keys.filter((k) => k.startsWith('t3.'));
  return {
    sections: SECTIONS.filter((re) => re.test(text)).length,
    period: yearFromText(doc) !== null,
    t2Fields: keys.filter((k) => k.startsWith('t2.')).length,
    t3Fields: t3.length,
    t3Numbers: t3.filter((k) => fields[k].value !== null).length,
    reportTitles: reportTitlesIn(text),
  };
}

/** A report's title inside a text: "…2023年政府信息公开工作年度报告", "2022年度…政务公开年报". */
const REPORT_TITLE_IN_TEXT =
  /[^\s，。；、：:《》"“”]{0,30}?(?:19|20)\d{2}年度?[^\s，。；、：:《》"“”]{0,24}?(?:信息|政务)公开[^\s，。；、：:《》"“”]{0,8}?(?:年度报告|年报)/g;
/** Distinct report titles that make a page a list of reports (a portal column), not one. */
const INDEX_TITLES = 3;

/** Distinct report titles the body names (a column page lists one per report). */
function reportTitlesIn(text: string): number {
  return new Set(text.match(REPORT_TITLE_IN_TEXT) ?? []).size;
}

/** Enough of the national form's tables to be one (a 法治政府 report's small 行政复议 table is table 4 only). */
const FORM_T3_FIELDS = 10;
const FORM_T2_FIELDS = 8;

function hasFormTables(e: BodyEvidence): boolean {
  return e.t3Fields >= FORM_T3_FIELDS || e.t2Fields >= FORM_T2_FIELDS;
}

/**
 * Reads as a report even without a title that says so: the form's tables, or
 * the sections with the statistics period (a text about reports, such as the
 * form's specification, names the sections too).
 */
function reportBody(e: BodyEvidence): boolean {
  return hasFormTables(e) || (e.period && e.sections >= 3);
}

/**
 * A whole report, whatever the title around it says: most sections and a filled table 3.
 * Not the period: a notice about compiling reports quotes the sections and the period too.
 * (A report with image tables published under a 通知 title is therefore taken for the notice.)
 */
function completeReport(e: BodyEvidence): boolean {
  return e.sections >= 4 && e.t3Numbers >= FORM_T3_FIELDS;
}

function describe(e: BodyEvidence): string {
  const parts = [`${e.sections} of the report's sections`];
  parts.push(e.period ? 'the statistics period' : 'no statistics period');
  parts.push(hasFormTables(e) ? `the form's tables (${e.t2Fields + e.t3Fields} cells)` : 'none of the form tables 2 and 3');
  return parts.join(', ');
}

const KIND_WORDS: Record<DocumentKind, string> = {
  report: 'an annual disclosure report',
  notice: 'a notice',
  interpretation: 'an interpretation or 图解',
  correction: 'a correction',
  'other-report': 'another kind of report',
  unrelated: 'no annual disclosure report',
};

/** Short texts near the top that may be the title (a page whose title is not the first line: a breadcrumb, a date). */
const TOP_BLOCKS = 6;
const MAX_TITLE = 90;
const MIN_TOP_TITLE = 8;

function topTexts(doc: DocumentModel): string[] {
  const out: string[] = [];
  for (const b of doc.blocks.slice(0, TOP_BLOCKS * 2)) {
    if (b.kind === 'table') break;
    const t = b.text.replace(/[\s\u00a0\u3000]+/g, '');
    // A title is no sentence: a line with commas or a full stop is the text already.
    if (t.length >= MIN_TOP_TITLE && t.length <= MAX_TITLE && !/[，。；,;]/.test(t)) out.push(t);
    if (out.length >= TOP_BLOCKS) break;
  }
  return out;
}

/** The report a correction names: in 《…》, else the title without 关于 … 的更正说明. */
function correctedReport(titles: readonly string[]): Classification['corrects'] {
  for (const raw of titles) {
    const t = toHalfWidth(raw).replace(/\s+/g, '');
    const quoted = t.match(/[《〈]([^《》〈〉]*(?:报告|年报)[^《》〈〉]*)[》〉]/)?.[1];
    const bare = t
      .replace(/^关于/, '')
      .replace(/(?:中?的?(?:部分|有关|相关)?(?:数据|内容|表述))?的?(?:更正|勘误).*$/, '')
      .replace(/[“”"]/g, '');
    const title = quoted ?? (/(?:报告|年报)$/.test(bare) ? bare : null);
    if (title) return { title, agency: agencyFromTitle(title), year: yearFromTitle(title) };
  }
  return undefined;
}

/**
 * Classifies a document. `title` is the report title mapping found (findTitle);
 * the container's title and the first short lines are read too.
 */
export function classifyDocument(doc: DocumentModel, title: string | null, fields: Record<string, Field>): Classification {
  const evidence = bodyEvidence(doc, fields);
  const titles = [title, doc.meta.title].filter((t): t is string => !!t);
  const kinds = titles.map((t) => ({ title: t, tk: kindOfTitle(t) })).filter((x) => x.tk !== null) as { title: string; tk: TitleKind }[];
  // The first lines only when neither title says anything (a page that starts with its own heading).
  if (!kinds.length) {
    for (const t of topTexts(doc)) {
      const tk = kindOfTitle(t);
      if (tk) {
        kinds.push({ title: t, tk });
        break;
      }
    }
  }
  let other = kinds.find((x) => x.tk.kind !== 'report');
  const asReport = kinds.find((x) => x.tk.kind === 'report');
  // The container's title (PDF Info, Word properties) is often left over from another file: when only it
  // names another kind, a report title printed in the body with the report's body evidence wins.
  const printed = title !== null && title !== (doc.meta.title ? clean(doc.meta.title) : null);
  if (other && other.title !== title && printed && asReport?.title === title && reportBody(evidence)) other = undefined;

  if (other) {
    if (completeReport(evidence)) {
      return {
        kind: 'report',
        code: 'report-in-wrapper',
        reason: `titled as ${KIND_WORDS[other.tk.kind]} (${other.title}) but the body is a whole report: ${describe(evidence)}`,
      };
    }
    const c: Classification = {
      kind: other.tk.kind,
      code: other.tk.code,
      reason: `the title names ${KIND_WORDS[other.tk.kind]} (${other.title}); the body has ${describe(evidence)}`,
    };
    if (c.kind === 'correction') {
      const corrects = correctedReport([other.title, ...titles, ...topTexts(doc)]);
      if (corrects) c.corrects = corrects;
    }
    return c;
  }
  // Only without a report title: a report's page lists its neighbours in a sidebar too.
  if (!asReport && !reportBody(evidence) && evidence.reportTitles >= INDEX_TITLES) {
    return {
      kind: 'unrelated',
      code: 'index-page',
      reason: `a list of ${evidence.reportTitles} report titles (a portal column), and the body has ${describe(evidence)}`,
    };
  }
  // A column's heading ("政府信息公开年报") names reports in general: without a year, an agency or a body it is no report.
  if (asReport && !reportBody(evidence) && yearFromTitle(asReport.title) === null && agencyFromTitle(asReport.title) === null) {
    return {
      kind: 'unrelated',
      code: 'generic-title',
      reason: `the title (${asReport.title}) names no agency and no year, and the body has ${describe(evidence)}`,
    };
  }
  if (asReport) {
    return {
      kind: 'report',
      code: 'report-title',
      reason: `the title names the report (${asReport.title}); the body has ${describe(evidence)}`,
    };
  }
  if (reportBody(evidence)) {
    return { kind: 'report', code: 'report-body', reason: `no report title, but the body has ${describe(evidence)}` };
  }
  return { kind: 'unrelated', code: 'no-report-evidence', reason: `no report title, and the body has ${describe(evidence)}` };
}
