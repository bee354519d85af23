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
import { load, type CheerioAPI } from 'cheerio/slim';
import { baseOf, LinkCollector, norm, YEAR, type DiscoverPatterns, type FoundLink, type PageKind } from './links.js';
import { PLATFORMS } from './platforms/index.js';
import type { ApiRequest, PlatformPage } from './platforms/types.js';

export {
  DEFAULT_NAV_TEXT,
  DEFAULT_REPORT_TEXT,
  LinkCollector,
  type DiscoverPatterns,
  type FoundLink,
  type LinkRole,
  type PageKind,
} from './links.js';

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
  /** Platform API requests that load the lists this page shows by script. */
  requests: ApiRequest[];
  /** Names of the platform adapters that recognised the page. */
  platforms: string[];
}

export function analysePage(html: string, pageUrl: string, kind: PageKind, patterns: DiscoverPatterns, parsed?: CheerioAPI): PageAnalysis {
  const $ = parsed ?? load(html);
  const base = baseOf($, pageUrl);
  const title = norm(
    [$('title').first().text(), $('meta[name="ArticleTitle"]').attr('content'), $('h1').first().text()].filter(Boolean).join(' '),
  );
  const collector = new LinkCollector(pageUrl, base, patterns);
  const links = collector.links;
  collector.addAnchors($);
  $('iframe[src], frame[src]').each((_, el) => void collector.add($(el).attr('src'), '', 'frame'));

  // Platform adapters (src/crawl/platforms/): lists and pagination that scripts would load or write.
  const requests: ApiRequest[] = [];
  const platforms: string[] = [];
  const page: PlatformPage = { $, html, url: pageUrl, base, kind, links: collector };
  for (const p of PLATFORMS) {
    const found = p.fromPage?.(page);
    if (!found) continue;
    platforms.push(p.name);
    for (const r of found.requests ?? []) requests.push({ ...r, platform: r.platform ?? p.name });
  }

  const redirect = refreshTarget($, base, links.length > 0 || requests.length > 0);

  const reportLinks = links.filter((l) => l.role === 'report').length;
  const paged = links.some((l) => l.role === 'pagination') || requests.length > 0;
  const reportTitle = patterns.reportText.test(title) && YEAR.test(title);
  // A report page may link its neighbours (上一篇/下一篇); a listing links many.
  const listing = kind === 'report' || kind === 'attachment' ? paged || reportLinks >= 3 : paged || reportLinks >= 1 || !reportTitle;
  return { title, links, listing, requests, platforms, ...(redirect ? { redirect } : {}) };
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
