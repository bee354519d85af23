/**
 * Links and their roles (see discover.ts for what each role means). Shared by
 * page analysis, the platform adapters (src/crawl/platforms/) and rendering.
 */
import type { CheerioAPI } from 'cheerio/slim';

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

export const YEAR = /(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4}/;
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
/** Annual-report column slugs (zfxxgkndbg, xxgknb, txxgknb_17198 …) and disclosure directories whose link text says nothing. */
const REPORT_COLUMN_URL = /(?:^|[/_])t?(?:zfxxgkndbg|xxgkndbg|zfxxgknb|wzxxgknb|xxgknb|gknb|ndbg)(?:[/_.]|$)|\/gkmlpt\/index\b/i;
const DOWNLOAD_URL = /download|downfile|downloadfile|getfile|filedown|attach|fujian/i;
const DOWNLOAD_TEXT = /附件|下载|\.(pdf|docx?|wps)\s*$/i;
const PAGER_TEXT = /^(下一页|下页|后一页|后页|尾页|末页|最后一页|上一页|上页|前一页|next( page)?|prev(ious)?|›|»|>>?|<<?)$/i;
const PAGER_URL = /\/(index|list|default)_\d+\.(s?html?|jsp|php)$|[?&](page|pageno|pageindex|pagenum|curpage|currentpage|p)=\d+(&|$)/i;

export function norm(s: string | undefined): string {
  return (s ?? '').replace(/[\s\u00a0\u3000]+/g, ' ').trim();
}

function extension(u: URL): string {
  const m = u.pathname.toLowerCase().match(/\.[a-z0-9]{1,5}$/);
  return m ? m[0] : '';
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** pdf.js viewer wrappers (viewer.html?file=…): the file itself, resolved as pdf.js does (against the viewer). */
export function unwrapViewer(u: URL): URL {
  if (!/\/(viewer|pdfviewer|pdfjs)[\w-]*\.html?$/i.test(u.pathname)) return u;
  const inHash = u.hash.match(/[#&]file=([^&]+)/)?.[1];
  const file = u.searchParams.get('file') ?? (inHash ? safeDecode(inHash) : undefined);
  if (!file) return u;
  try {
    const inner = new URL(file, u);
    return inner.protocol === 'http:' || inner.protocol === 'https:' ? inner : u;
  } catch {
    return u;
  }
}

/**
 * Classifies and collects the links of one page (or of one API answer about
 * it): resolves against the base, unwraps pdf.js viewers, drops what is never
 * a document, and gives each link its role once.
 */
export class LinkCollector {
  readonly links: FoundLink[] = [];
  private readonly seen = new Set<string>();
  private readonly self: string;

  constructor(
    pageUrl: string,
    private readonly base: string,
    readonly patterns: DiscoverPatterns,
  ) {
    this.self = pageUrl.replace(/#.*$/, '');
  }

  /** Adds a link; `reportHint` marks attachments of an item the caller knows is a report. Returns the link when kept. */
  add(href: string | undefined, text: string, forced?: LinkRole, reportHint = false): FoundLink | undefined {
    if (!href || /^\s*(#|javascript:|mailto:|tel:|data:)/i.test(href)) return undefined;
    let u: URL;
    try {
      u = new URL(href.trim(), this.base);
    } catch {
      return undefined;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    u = unwrapViewer(u);
    u.hash = '';
    const url = u.href;
    if (url === this.self) return undefined;
    const ext = extension(u);
    if (SKIP_EXT.has(ext)) return undefined;
    const reportText = reportHint || this.patterns.reportText.test(text);
    const included = this.patterns.include.some((r) => r.test(url));
    let role: LinkRole | undefined = forced;
    if (!role) {
      if (ATTACHMENT_EXT.has(ext) || DOWNLOAD_URL.test(u.pathname + u.search) || DOWNLOAD_TEXT.test(text)) role = 'attachment';
      else if (reportText && YEAR.test(text)) role = 'report';
      else if (PAGER_TEXT.test(text) || PAGER_URL.test(url)) role = 'pagination';
      else if (reportText || this.patterns.navText.test(text) || included || REPORT_COLUMN_URL.test(u.pathname)) role = 'listing';
    }
    if (!role) return undefined;
    const key = `${role} ${url}`;
    if (this.seen.has(key)) return undefined;
    this.seen.add(key);
    const link = { url, text, role, reportText, included };
    this.links.push(link);
    return link;
  }

  /** Every <a>/<area> of a parsed fragment, with its text, title and image alt. */
  addAnchors($: CheerioAPI, reportHint = false): void {
    $('a[href], area[href]').each((_, el) => {
      const a = $(el);
      const alt = a
        .find('img[alt]')
        .map((__, img) => $(img).attr('alt'))
        .get()
        .join(' ');
      this.add(a.attr('href'), norm([a.text(), a.attr('title'), alt].filter(Boolean).join(' ')), undefined, reportHint);
    });
  }
}

/** The base URL of a page: its <base href> when valid. */
export function baseOf($: CheerioAPI, pageUrl: string): string {
  const baseHref = $('base[href]').first().attr('href');
  if (baseHref) {
    try {
      return new URL(baseHref, pageUrl).href;
    } catch {
      // A broken <base> is ignored, as browsers do.
    }
  }
  return pageUrl;
}
