/**
 * The article heading, as a hint for mapping: the element that titles the
 * article (h1–h3, a "title" container, or a centered bold paragraph naming a
 * report), else the page's <title> without the portal's name.
 */
import {
  type HElement,
  type HNode,
  type HParent,
  classAndId,
  contains,
  descendants,
  findFirst,
  HEADING_TAGS,
  isBlock,
  isElement,
  rawText,
  SKIP_TAGS,
} from './dom.js';
import { hasChromeToken } from './body.js';
import { type StatsMap, linkDensity, statsOf } from './stats.js';
import { joinLines } from '../../src/text/cjk.js';
import { LineBuilder, normaliseLine } from './text.js';

/** A report's title names it; "六、其他需要报告的事项" does not. */
const REPORTISH = /(年度|工作)报告|年报/;
/** Section headings (一、… （一）… 1.…) are never the article title. */
const SECTION_NUMBER = /^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．])/;
const TITLE_CLASS = /title|biaoti|(^|[\s_-])(tit|bt)([\s_\d-]|$)/i;
/** Areas where an article heading never is. */
const NOT_HERE =
  /(^|[\s_-])(nav|menu|footer|foot|copyright|sidebar|side|related|crumbs?|breadcrumbs?|position|location|xgwz|xglj)([\s_\d-]|$)/i;

export interface Heading {
  el: HElement;
  text: string;
  level: number;
}

/** Text of an inline-ish element, lines joined (a title broken with <br> is one title). */
export function inlineText(el: HElement): string {
  const lb = new LineBuilder();
  const stack: HNode[] = [...el.children].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'text') lb.text(n.data ?? '');
    else if (isElement(n) && !SKIP_TAGS.has(n.name)) {
      if (n.name === 'br' || isBlock(n)) lb.br();
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    }
  }
  return joinLines(lb.finish(), ' ');
}

function isCentered(el: HElement): boolean {
  if ((el.attribs.align ?? '').toLowerCase() === 'center') return true;
  if (/text-align\s*:\s*center/i.test(el.attribs.style ?? '')) return true;
  return el.parent !== null && isElement(el.parent) && el.parent.name === 'center';
}

function isBold(el: HElement): boolean {
  if (/font-weight\s*:\s*(bold|bolder|[6-9]00)/i.test(el.attribs.style ?? '')) return true;
  // All visible text inside <strong>/<b>.
  const all = rawText(el).replace(/\s/g, '');
  if (!all) return false;
  const bold: string[] = [];
  const stack: HNode[] = [...el.children];
  while (stack.length) {
    const n = stack.pop()!;
    if (!isElement(n)) continue;
    if (n.name === 'strong' || n.name === 'b') bold.push(rawText(n));
    else stack.push(...n.children);
  }
  return bold.join('').replace(/\s/g, '').length === all.length;
}

function inExcludedArea(el: HElement, root: HParent): boolean {
  for (let p: HParent | null = el; p && p !== root; p = p.parent) {
    if (!isElement(p)) continue;
    if (p.name === 'nav' || p.name === 'footer' || p.name === 'aside' || p.name === 'a') return true;
    if (NOT_HERE.test(classAndId(p))) return true;
  }
  return false;
}

/**
 * Where an article heading that is not inside the body may sit: the siblings
 * before the body and before its parent (".article-title" beside "#zoom"),
 * unless they are chrome ("header" with the portal logo).
 */
function nearBefore(body: HParent): HElement[] {
  const out: HElement[] = [];
  for (let n: HParent | null = body, level = 0; n?.parent && level < 2; n = n.parent, level++) {
    const sibs = n.parent.children;
    for (const sib of sibs.slice(0, sibs.indexOf(n)))
      if (isElement(sib) && !hasChromeToken(sib) && sib.name !== 'header' && sib.name !== 'nav') out.push(sib);
  }
  return out;
}

/**
 * Best heading candidate. A candidate naming a report (报告/年报) may sit
 * anywhere outside chrome; any other must be inside the body or just before it
 * (nearBefore), so a portal's logo <h1> never wins.
 */
export function findHeading(page: HParent, body: HParent, stats: StatsMap): Heading | undefined {
  const all = descendants(page);
  const near = nearBefore(body);
  let best: { h: Heading; score: number } | undefined;
  for (const el of all) {
    let tagScore = 0;
    let level = 1;
    if (HEADING_TAGS.has(el.name) && Number(el.name[1]) <= 3) {
      level = Number(el.name[1]);
      tagScore = 7 - level;
    } else if (TITLE_CLASS.test(classAndId(el)) && !/sub|fu_?bt/i.test(classAndId(el))) {
      tagScore = 4;
    } else if ((el.name === 'p' || el.name === 'div' || el.name === 'td') && isCentered(el)) {
      tagScore = 3; // only with a report name and bold, checked below
    } else continue;
    const s = statsOf(stats, el);
    if (s.chars < 4 || s.chars > 120 || linkDensity(s) >= 0.5) continue;
    if (inExcludedArea(el, page)) continue;
    const text = inlineText(el);
    if (text.length < 4 || text.length > 120 || SECTION_NUMBER.test(text)) continue;
    const reportish = REPORTISH.test(text);
    if (tagScore === 3 && !(reportish && isBold(el))) continue;
    const pos = contains(body, el) ? 20 : near.some((n) => contains(n, el)) ? 10 : 0;
    if (!reportish && pos === 0) continue;
    const score = (reportish ? 100 : 0) + pos + tagScore;
    if (!best || score > best.score) best = { h: { el, text, level }, score };
  }
  return best?.h;
}

/** Portal-name parts of a <title>: "…_上海市人民政府", "XX区政府门户网站 - …". */
const SITE_PART = /(人民政府|政府|门户网站|网站|政务网|政务服务网|官网|首页|办公室|办公厅)$/;

/**
 * The title the page declares, read before <head> is removed: the CMS's own
 * article-title field (TRS and Hanweb write <meta name="ArticleTitle">), else
 * <title> with the site name dropped.
 */
export function documentTitle(root: HParent): string | undefined {
  const head = findFirst(root, 'head');
  const meta = head && descendants(head).find((e) => e.name === 'meta' && /^articletitle$/i.test(e.attribs.name ?? ''));
  const declared = meta ? normaliseLine(meta.attribs.content ?? '') : '';
  if (declared) return declared;
  const t = head ? findFirst(head, 'title') : findFirst(root, 'title');
  const raw = t ? normaliseLine(rawText(t)) : '';
  if (!raw) return undefined;
  const parts = raw
    .split(/\s*(?:[_|｜]|--+|—+|\s-\s|－)\s*/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length <= 1) return raw;
  const report = parts.find((p) => REPORTISH.test(p));
  if (report) return report;
  const kept = parts.filter((p) => !SITE_PART.test(p));
  return kept[0] ?? parts[0];
}
