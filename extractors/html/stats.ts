/**
 * Per-element content statistics, computed once bottom-up, that body
 * detection and pruning decide on: visible characters, how many of them are
 * link text, sentence ends, and which tables hold report data.
 */
import { type HElement, type HNode, type HParent, isElement, rawText, removeNodes, SKIP_TAGS, isHidden, descendants } from './dom.js';

export interface Stats {
  /** Visible (non-whitespace) characters. */
  chars: number;
  /** Of those, characters inside <a>. */
  linkChars: number;
  links: number;
  /** Count of '。': prose has sentences, chrome (addresses, menus) rarely does. */
  stops: number;
  /** Descendant tables (including itself when a table). */
  tables: number;
  /** Report tables inside (including itself). */
  reportTables: number;
  /** Raw text when `chars` ≤ SHORT_TEXT: chrome checks read it without re-walking the subtree. */
  text?: string;
}

/** Longest element text kept in Stats.text (chrome lines are short). */
export const SHORT_TEXT = 300;

export type StatsMap = Map<HParent, Stats>;

/**
 * Words that only the disclosure-report tables print (2019 and 2021 forms and
 * the older provincial 统计表). A data table carrying one is never dropped as
 * chrome, whatever the heuristics say. Deliberately few and specific.
 */
export const REPORT_TABLE_WORDS = /本年新收|上年结转|行政复议|行政诉讼|第二十条|申请人情况|本年度办理结果|依申请公开|主动公开|政府信息公开/;

const ZERO: Stats = { chars: 0, linkChars: 0, links: 0, stops: 0, tables: 0, reportTables: 0 };

export function visibleChars(s: string): { chars: number; stops: number } {
  let chars = 0;
  let stops = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c === 0xa0 || c === 0x3000 || c === 0xfeff || (c >= 0x2000 && c <= 0x200b)) continue;
    chars++;
    if (c === 0x3002) stops++;
  }
  return { chars, stops };
}

export function statsOf(map: StatsMap, n: HNode): Stats {
  return map.get(n as HParent) ?? ZERO;
}

/** Non-link visible characters: what body detection weighs. */
export function weight(map: StatsMap, n: HNode): number {
  const s = statsOf(map, n);
  return s.chars - s.linkChars;
}

export function linkDensity(s: Stats): number {
  return s.chars ? s.linkChars / s.chars : 0;
}

/** A data table (no nested table) whose text names report rows or columns and is not a menu. */
function isReportTable(table: HElement, s: Stats): boolean {
  return s.tables === 1 && linkDensity(s) < 0.5 && REPORT_TABLE_WORDS.test(rawText(table));
}

export function computeStats(root: HParent): StatsMap {
  const map: StatsMap = new Map();
  const stack: Array<[HNode, boolean]> = [[root, false]];
  while (stack.length) {
    const [n, done] = stack.pop()!;
    if (n.type !== 'root' && !isElement(n)) continue;
    const p = n as HParent;
    if (!done) {
      stack.push([p, true]);
      for (const c of p.children) if (c.type !== 'text') stack.push([c, false]);
      continue;
    }
    const s: Stats = { chars: 0, linkChars: 0, links: 0, stops: 0, tables: 0, reportTables: 0 };
    // Built bottom-up from the children's short texts: linear, however deep the tree.
    let text: string[] | undefined = [];
    for (const c of p.children) {
      if (c.type === 'text') {
        const v = visibleChars(c.data ?? '');
        s.chars += v.chars;
        s.stops += v.stops;
        text?.push(c.data ?? '');
      } else {
        const cs = map.get(c as HParent);
        if (!cs) continue;
        if (cs.text === undefined) text = undefined;
        else text?.push(cs.text);
        s.chars += cs.chars;
        s.linkChars += cs.linkChars;
        s.links += cs.links;
        s.stops += cs.stops;
        s.tables += cs.tables;
        s.reportTables += cs.reportTables;
      }
    }
    if (text && s.chars <= SHORT_TEXT) s.text = text.join('');
    if (isElement(p)) {
      if (p.name === 'a') {
        s.linkChars = s.chars;
        s.links += 1;
      } else if (p.name === 'table') {
        s.tables += 1;
        if (isReportTable(p, s)) s.reportTables += 1;
      }
    }
    map.set(p, s);
  }
  return map;
}

/** True when a subtree holds a report table (used before stats exist). */
function holdsReportTable(el: HElement): boolean {
  const tables = el.name === 'table' ? [el] : descendants(el).filter((e) => e.name === 'table');
  return tables.some((t) => !descendants(t).some((d) => d.name === 'table') && REPORT_TABLE_WORDS.test(rawText(t)));
}

/**
 * Drops comments, non-content elements (script, style, forms' controls,
 * iframes, images, <head>) and hidden elements, except a hidden element that
 * holds a report table. Returns how many report tables were kept hidden.
 */
export function removeJunk(root: HParent): { hiddenReportTables: number } {
  let hiddenReportTables = 0;
  const junk: HNode[] = [];
  const stack: HNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    const p = n as HParent;
    for (let i = p.children.length - 1; i >= 0; i--) {
      const c = p.children[i];
      if (c.type === 'comment' || c.type === 'directive' || c.type === 'cdata') {
        junk.push(c);
        continue;
      }
      if (!isElement(c)) continue;
      // Pictures stay: an article whose report is page pictures (图片版) is read from them (pictures.ts).
      if (SKIP_TAGS.has(c.name) && c.name !== 'img') {
        junk.push(c);
        continue;
      }
      if (isHidden(c)) {
        if (holdsReportTable(c)) hiddenReportTables++;
        else {
          junk.push(c);
          continue;
        }
      }
      stack.push(c);
    }
  }
  removeNodes(junk);
  return { hiddenReportTables };
}
