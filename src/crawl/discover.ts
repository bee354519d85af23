/**
 * What a fetched HTML page links to, and whether the page itself is a report
 * or a listing. Pure: text in, links out; the run decides what to enqueue.
 *
 * A link's role comes from its text (anchor text, title attribute, image alt)
 * and its URL:
 * - attachment: .pdf/.doc/.docx/.wps, or a download-looking URL or text (附件, 下载);
 * - report: the text matches the report pattern (年度报告, 年报 …) and names a year;
 * - listing: the text matches the report pattern without a year (a column such as
 *   "政府信息公开年报"), or the navigation pattern (信息公开, 政务公开 …), or --include;
 * - pagination: 下一页/尾页/next …, or an index_N.html / ?page=N URL, or the
 *   pages a TRS `createPageHTML(total, current, "index", "html")` script would write;
 * - frame: <iframe>/<frame> sources (the content of this very page).
 */
import { load } from 'cheerio/slim';

export type LinkRole = 'listing' | 'report' | 'attachment' | 'pagination' | 'frame';
export type PageKind = 'start' | 'listing' | 'report' | 'attachment';

export interface FoundLink {
  /** Absolute URL (resolved against <base> or the page URL), not yet canonical. */
  url: string;
  text: string;
  role: LinkRole;
  /** The text matches the report pattern. */
  reportText: boolean;
  /** The URL matches an --include pattern. */
  included: boolean;
}

export interface DiscoverPatterns {
  /** Link text of annual reports and their columns. */
  reportText: RegExp;
  /** Link text of pages on the way to the report columns. */
  navText: RegExp;
  /** URLs to follow whatever their text. */
  include: RegExp[];
}

export const DEFAULT_REPORT_TEXT = /年度报告|年报|信息公开.{0,12}报告/;
export const DEFAULT_NAV_TEXT = /信息公开|政务公开|公开目录/;

export interface PageAnalysis {
  title: string;
  links: FoundLink[];
  /** The page lists reports (or has pagination): follow its links, don't store it. */
  listing: boolean;
  /**
   * Where the page sends the browser at once (<meta http-equiv=refresh>, or a
   * script setting location on an otherwise empty page): a redirect, not a document.
   */
  redirect?: string;
}

const YEAR = /(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4}/;
const ATTACHMENT_EXT = new Set(['.pdf', '.doc', '.docx', '.wps']);
const SKIP_EXT = new Set([
  '.jpg',
  '.jpeg',
  '.png',
  '.gif',
  '.bmp',
  '.svg',
  '.webp',
  '.ico',
  '.tif',
  '.tiff',
  '.css',
  '.js',
  '.json',
  '.xml',
  '.rss',
  '.mp3',
  '.mp4',
  '.avi',
  '.flv',
  '.swf',
  '.wmv',
  '.mov',
  '.m4a',
  '.zip',
  '.rar',
  '.7z',
  '.gz',
  '.tar',
  '.exe',
  '.apk',
  '.msi',
  '.dmg',
  '.xls',
  '.xlsx',
  '.ppt',
  '.pptx',
  '.ofd',
  '.ceb',
]);
const DOWNLOAD_URL = /download|downfile|downloadfile|getfile|filedown|attach|fujian/i;
const DOWNLOAD_TEXT = /附件|下载|\.(pdf|docx?|wps)\s*$/i;
const PAGER_TEXT = /^(下一页|下页|后一页|后页|尾页|末页|最后一页|上一页|上页|前一页|next( page)?|prev(ious)?|›|»|>>?|<<?)$/i;
const PAGER_URL = /\/(index|list|default)_\d+\.(s?html?|jsp|php)$|[?&](page|pageno|pageindex|pagenum|curpage|currentpage|p)=\d+(&|$)/i;
const TRS_PAGER = /createPage(?:HTML)?\s*\(\s*['"]?(\d+)['"]?\s*,\s*['"]?(\d+)['"]?\s*,\s*['"]([\w-]+)['"]\s*,\s*['"](\w+)['"]/;
/** More generated pages than this from one script is a trap, not a column. */
const MAX_SCRIPT_PAGES = 500;

function norm(s: string | undefined): string {
  return (s ?? '').replace(/[\s\u00a0\u3000]+/g, ' ').trim();
}

function extension(u: URL): string {
  const m = u.pathname.toLowerCase().match(/\.[a-z0-9]{1,5}$/);
  return m ? m[0] : '';
}

export function analysePage(html: string, pageUrl: string, kind: PageKind, patterns: DiscoverPatterns): PageAnalysis {
  const $ = load(html);
  let base = pageUrl;
  const baseHref = $('base[href]').first().attr('href');
  if (baseHref) {
    try {
      base = new URL(baseHref, pageUrl).href;
    } catch {
      // A broken <base> is ignored, as browsers do.
    }
  }
  const title = norm(
    [$('title').first().text(), $('meta[name="ArticleTitle"]').attr('content'), $('h1').first().text()].filter(Boolean).join(' '),
  );

  const links: FoundLink[] = [];
  const seen = new Set<string>();
  const add = (href: string | undefined, text: string, forced?: LinkRole): void => {
    if (!href || /^\s*(#|javascript:|mailto:|tel:)/i.test(href)) return;
    let u: URL;
    try {
      u = new URL(href.trim(), base);
    } catch {
      return;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return;
    u.hash = '';
    const url = u.href;
    if (url === pageUrl.replace(/#.*$/, '')) return;
    const ext = extension(u);
    if (SKIP_EXT.has(ext)) return;
    const reportText = patterns.reportText.test(text);
    const included = patterns.include.some((r) => r.test(url));
    let role: LinkRole | undefined = forced;
    if (!role) {
      if (ATTACHMENT_EXT.has(ext) || DOWNLOAD_URL.test(u.pathname + u.search) || DOWNLOAD_TEXT.test(text)) role = 'attachment';
      else if (reportText && YEAR.test(text)) role = 'report';
      else if (PAGER_TEXT.test(text) || PAGER_URL.test(url)) role = 'pagination';
      else if (reportText || patterns.navText.test(text) || included) role = 'listing';
    }
    if (!role) return;
    const key = `${role} ${url}`;
    if (seen.has(key)) return;
    seen.add(key);
    links.push({ url, text, role, reportText, included });
  };

  $('a[href], area[href]').each((_, el) => {
    const a = $(el);
    const alt = a
      .find('img[alt]')
      .map((__, img) => $(img).attr('alt'))
      .get()
      .join(' ');
    add(a.attr('href'), norm([a.text(), a.attr('title'), alt].filter(Boolean).join(' ')));
  });
  $('iframe[src], frame[src]').each((_, el) => add($(el).attr('src'), '', 'frame'));

  // TRS-style pagination written by script: index.html, index_1.html … index_{total-1}.html.
  $('script').each((_, el) => {
    const m = $(el).text().match(TRS_PAGER);
    if (!m) return;
    const total = Math.min(Number(m[1]), MAX_SCRIPT_PAGES);
    for (let i = 0; i < total; i++) add(i === 0 ? `${m[3]}.${m[4]}` : `${m[3]}_${i}.${m[4]}`, '', 'pagination');
  });

  const redirect = refreshTarget($, base, links.length > 0);

  const reportLinks = links.filter((l) => l.role === 'report').length;
  const paged = links.some((l) => l.role === 'pagination');
  const reportTitle = patterns.reportText.test(title) && YEAR.test(title);
  // A report page may link its neighbours (上一篇/下一篇); a listing links many.
  const listing = kind === 'report' || kind === 'attachment' ? paged || reportLinks >= 3 : paged || reportLinks >= 1 || !reportTitle;
  return { title, links, listing, ...(redirect ? { redirect } : {}) };
}

const META_REFRESH = /^\s*(\d+(?:\.\d+)?)\s*[;,]\s*url\s*=\s*['"]?([^'"]+)/i;
// A whole literal only: `location.href = '/search?q=' + q` is a handler, not a redirect.
const SCRIPT_REDIRECT =
  /(?:window\.|document\.|self\.|top\.)?location(?:\.href)?\s*=\s*['"]([^'"]+)['"]\s*(?![\s+\w])|location\.(?:replace|assign)\(\s*['"]([^'"]+)['"]\s*\)/;

/** A meta refresh of at most 10 s, or a script redirect on a page with next to no text and no links we follow. */
function refreshTarget($: ReturnType<typeof load>, base: string, hasLinks: boolean): string | undefined {
  let target: string | undefined;
  $('meta[http-equiv]').each((_, el) => {
    if (target || !/^refresh$/i.test($(el).attr('http-equiv') ?? '')) return;
    const m = ($(el).attr('content') ?? '').match(META_REFRESH);
    if (m && Number(m[1]) <= 10) target = m[2].trim();
  });
  if (!target && !hasLinks) {
    // htmlparser2 builds no implied <body>: measure the whole text without scripts and styles.
    const text = $.root().text().replace(/\s+/g, '').length - $('script, style').text().replace(/\s+/g, '').length;
    if (text < 200) {
      $('script').each((_, el) => {
        const m = target ? null : $(el).text().match(SCRIPT_REDIRECT);
        if (m) target = (m[1] ?? m[2]).trim();
      });
    }
  }
  if (!target) return undefined;
  try {
    return new URL(target, base).href;
  } catch {
    return undefined;
  }
}

/** Which roles a page follows: listings lead to reports; reports lead to their attachments and neighbours. */
export function followedFrom(page: PageAnalysis, link: FoundLink): boolean {
  if (link.role === 'frame') return true;
  if (!page.listing) return link.role === 'attachment' || link.role === 'report';
  if (link.role === 'attachment') return link.reportText || link.included;
  return true;
}
