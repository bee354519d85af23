/**
 * Finding the article inside portal chrome, and cleaning what is left.
 *
 * 1. A known content container (#zoom, .TRS_Editor, …) that holds a fair
 *    share of the page's non-link text is the starting point; otherwise <body>.
 * 2. Descend while one child holds most (≥ 75%) of the non-link text and the
 *    siblings left behind hold no prose. Navigation is all links and weighs
 *    nothing, so this walks through layout tables and wrappers to the article.
 * 3. Report tables outside the result pull it up to their common ancestor:
 *    the heuristics may cut chrome, never report data.
 * 4. Prune chrome inside the result: nav/aside/footer, breadcrumbs, share and
 *    print widgets, copyright lines, link lists. Never inside a data table,
 *    never anything that holds a report table or the article heading.
 */
import {
  type HElement,
  type HNode,
  type HParent,
  ancestors,
  childElements,
  classAndId,
  commonAncestor,
  contains,
  descendants,
  findFirst,
  HEADING_TAGS,
  isElement,
  removeNodes,
} from './dom.js';
import { type Stats, type StatsMap, linkDensity, statsOf, weight } from './stats.js';
import { isLayoutTable } from './tables.js';
import { normaliseLine } from './text.js';

/** Content containers of common Chinese government CMSs (TRS, Hanweb, UCAP, …), most specific first. */
const CONTENT_SELECTORS: Array<{ id?: string; cls?: string; tag?: string }> = [
  { id: 'zoom' },
  { cls: 'trs_editor' },
  { id: 'ucap-content' },
  { id: 'fontzoom' },
  { cls: 'pages_content' },
  { cls: 'bt_content' },
  { cls: 'wzy' },
  { cls: 'article-content' },
  { cls: 'article_content' },
  { cls: 'trs_preappend' },
  { cls: 'custom_unionstyle' },
  { cls: 'zoom' },
  { tag: 'article' },
  { cls: 'article' },
  { id: 'content' },
  { cls: 'content' },
  { tag: 'main' },
];

/** Never descend into these: they are the content, not a wrapper around it. */
const LEAF_BLOCKS = new Set(['p', 'pre', 'li', 'dt', 'dd', 'a', 'blockquote', 'ul', 'ol', 'dl', ...HEADING_TAGS]);

/** Class/id words of portal chrome. Checked as whole tokens (split on space, '-', '_'). */
const CHROME_TOKENS = new Set([
  'nav',
  'navbar',
  'menu',
  'breadcrumb',
  'breadcrumbs',
  'crumb',
  'crumbs',
  'position',
  'location',
  'dqwz',
  'share',
  'bdshare',
  'jiathis',
  'fenxiang',
  'print',
  'dayin',
  'close',
  'guanbi',
  'footer',
  'foot',
  'bottom',
  'copyright',
  'banquan',
  'header',
  'topbar',
  'sidebar',
  'side',
  'aside',
  'related',
  'xgwz',
  'xglj',
  'comment',
  'pinglun',
  'toolbar',
  'tools',
  'fontsize',
  'zihao',
  'qrcode',
  'ewm',
  'erweima',
  'pager',
  'pagination',
  'fanye',
  'advert',
  'ads',
  'banner',
  'search',
  'login',
  'weather',
  'skip',
  'gotop',
  'backtop',
]);

export function hasChromeToken(el: HElement): boolean {
  const s = classAndId(el).toLowerCase();
  if (!s) return false;
  return s.split(/[\s_-]+/).some((t) => CHROME_TOKENS.has(t.replace(/\d+$/, '')));
}

/** Lines that only portal chrome prints, with the length a chrome block can have. */
const CHROME_TEXT: Array<[RegExp, number]> = [
  [/版权所有|Copyright|©|主办单位\s*[:：]|承办单位\s*[:：]|网站标识码|ICP备|公网安备|技术支持\s*[:：]|建议.{0,10}使用.{0,30}浏览器/i, 300],
  [/^(当前位置|您当前的位置|您现在的位置|您的位置|所在位置|当前的位置)/, 200],
  [/^[【\[]?\s*(打印本页|打印|关闭窗口|关闭本页|关闭|收藏本页|收藏|返回顶部|分享到|字号|字体|扫一扫)/, 40],
  [/[【\[]\s*大\s*中\s*小\s*[】\]]/, 40],
];

export interface BodyChoice {
  body: HParent;
  /** 'selector:<name>', 'density', 'document' (no narrower container) or 'fragment'. */
  how: string;
  /** Report tables that were outside the heuristic's choice and pulled it up. */
  climbed: number;
}

function selectorName(sel: (typeof CONTENT_SELECTORS)[number]): string {
  return sel.id ? `#${sel.id}` : sel.cls ? `.${sel.cls}` : sel.tag!;
}

function matches(el: HElement, sel: (typeof CONTENT_SELECTORS)[number]): boolean {
  if (sel.tag) return el.name === sel.tag;
  if (sel.id) return (el.attribs.id ?? '').toLowerCase() === sel.id;
  const cls = el.attribs.class;
  return !!cls && cls.toLowerCase().split(/\s+/).includes(sel.cls!);
}

function isDescendable(el: HElement): boolean {
  if (LEAF_BLOCKS.has(el.name)) return false;
  if (el.name === 'table') return isLayoutTable(el);
  return true;
}

/** Prose: several sentences of non-link text. Descent must not leave it behind. */
function isProse(stats: StatsMap, el: HNode): boolean {
  const s = statsOf(stats, el);
  return s.stops >= 3 && s.chars - s.linkChars >= 150 && linkDensity(s) < 0.2;
}

function descend(start: HParent, stats: StatsMap): HParent {
  let node = start;
  for (;;) {
    const w = weight(stats, node);
    if (w <= 0) return node;
    let best: HElement | undefined;
    let bw = -1;
    const kids = childElements(node);
    for (const k of kids) {
      if (!isDescendable(k)) continue;
      const kw = weight(stats, k);
      if (kw > bw) {
        bw = kw;
        best = k;
      }
    }
    if (!best || bw < 0.75 * w) return node;
    const leftBehind = kids.some((k) => k !== best && isProse(stats, k));
    // Loose text directly in the node is left behind too.
    const looseText = node.children.some((c) => c.type === 'text' && /[。；]/.test(c.data ?? '') && (c.data ?? '').trim().length > 50);
    if (leftBehind || looseText) return node;
    node = best;
  }
}

/**
 * @param fragment the source had no <html>/<body>: a bare fragment (a CMS
 *   export, a copied article) is its own body; only pruning applies.
 */
export function findBody(root: HParent, stats: StatsMap, fragment = false): BodyChoice {
  const page = findFirst(root, 'body') ?? root;
  if (fragment) return { body: page, how: 'fragment', climbed: 0 };
  const pageWeight = weight(stats, page);
  const all = descendants(page);

  // Heaviest match per selector, in one pass over the page.
  const bestBySelector: Array<HElement | undefined> = [];
  for (const el of all) {
    if (!el.attribs.id && !el.attribs.class && el.name !== 'article' && el.name !== 'main') continue;
    CONTENT_SELECTORS.forEach((sel, i) => {
      const cur = bestBySelector[i];
      if (matches(el, sel) && (!cur || weight(stats, el) > weight(stats, cur))) bestBySelector[i] = el;
    });
  }
  let start: HParent = page;
  let how = 'document';
  const i = bestBySelector.findIndex((el) => el !== undefined && weight(stats, el) >= Math.max(20, 0.3 * pageWeight));
  if (i >= 0) {
    start = bestBySelector[i]!;
    how = `selector:${selectorName(CONTENT_SELECTORS[i])}`;
  }
  let body = descend(start, stats);
  if (how === 'document' && body !== page) how = 'density';

  let climbed = 0;
  for (const t of all) {
    if (t.name !== 'table' || statsOf(stats, t).reportTables === 0 || statsOf(stats, t).tables !== 1) continue;
    if (contains(body, t)) continue;
    body = commonAncestor(body, t) ?? page;
    climbed++;
  }
  return { body, how, climbed };
}

function chromeText(s: Stats): boolean {
  if (s.text === undefined) return false;
  let text: string | undefined;
  for (const [re, max] of CHROME_TEXT) {
    if (s.chars > max) continue;
    text ??= normaliseLine(s.text);
    if (re.test(text)) return true;
  }
  return false;
}

/**
 * Removes chrome inside the chosen body. `keep` (the article heading) and
 * anything holding a report table survive. Returns the number of elements removed.
 */
export function pruneChrome(body: HParent, stats: StatsMap, keep?: HElement): number {
  const bodyChars = statsOf(stats, body).chars;
  const keepPath = new Set<HNode>(keep ? [keep, ...ancestors(keep)] : []);
  const removed: HNode[] = [];
  const stack: HNode[] = [...body.children];
  while (stack.length) {
    const n = stack.pop()!;
    if (!isElement(n)) continue;
    const s = statsOf(stats, n);
    const guarded = s.reportTables > 0 || keepPath.has(n);
    if (!guarded) {
      const small = s.chars < 0.25 * bodyChars;
      const chrome =
        n.name === 'nav' ||
        n.name === 'aside' ||
        n.name === 'footer' ||
        (n.name === 'header' && small) ||
        (hasChromeToken(n) && (small || linkDensity(s) > 0.5)) ||
        (s.links >= 3 && linkDensity(s) > 0.6) ||
        chromeText(s);
      if (chrome) {
        removed.push(n);
        continue;
      }
    }
    // Data tables are kept whole: removing a cell would shift the grid.
    if (n.name === 'table' && !isLayoutTable(n)) continue;
    for (const c of n.children) stack.push(c);
  }
  removeNodes(removed);
  return removed.length;
}
