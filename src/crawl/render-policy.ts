/**
 * When a page is worth rendering, and what links the answers to its scripts'
 * requests hold. Pure: no browser here (render.ts drives it).
 *
 * `auto` renders a start or listing page only when it shows no report link,
 * no pagination, matches no platform adapter, and has scripts that load
 * content (ajax/fetch/XMLHttpRequest, a template framework, document.write),
 * or next to no text besides its scripts. A report page is rendered only
 * when it has next to no text and no attachment: never one that already has text.
 */
import type { CheerioAPI } from 'cheerio/slim';
import { load } from 'cheerio/slim';
import type { PageAnalysis } from './discover.js';
import type { LinkCollector, PageKind } from './links.js';
import type { RenderMode } from './options.js';

const LOADS_CONTENT =
  /\$\.(ajax|get|post|getJSON)\s*\(|\bfetch\s*\(|XMLHttpRequest|axios|\.load\s*\(|new\s+Vue\b|createApp\s*\(|angular\.|ReactDOM|document\.write|innerHTML\s*=|\.html\s*\(|template\s*\(/;
const TEMPLATE_ATTR = '[v-for], [v-html], [ng-repeat], [ng-bind-html], [x-for], [data-bind]';

/** Visible text length without scripts and styles (htmlparser2 builds no implied <body>: measure the root). */
export function visibleTextLength($: CheerioAPI): number {
  const all = $.root().text().replace(/\s+/g, '').length;
  const hidden = $('script, style, noscript, template').text().replace(/\s+/g, '').length;
  return Math.max(0, all - hidden);
}

export function needsRender(mode: RenderMode, $: CheerioAPI, page: PageAnalysis, kind: PageKind): boolean {
  if (mode === 'never') return false;
  const scripts = $('script');
  if (scripts.length === 0) return false;
  if (kind === 'report' || kind === 'attachment') {
    if (!page.listing) {
      // A report page is rendered only when it has next to no text of its own and links nothing to download.
      return visibleTextLength($) < 100 && !page.links.some((l) => l.role === 'attachment') && page.platforms.length === 0;
    }
  }
  if (mode === 'always') return true;
  if (page.platforms.length > 0 || page.requests.length > 0) return false;
  if (page.links.some((l) => l.role === 'report' || l.role === 'pagination')) return false;
  const inline = scripts
    .map((_, el) => $(el).text())
    .get()
    .join('\n');
  return LOADS_CONTENT.test(inline) || $(TEMPLATE_ATTR).length > 0 || (visibleTextLength($) < 200 && $('script[src]').length > 0);
}

const URL_KEYS = [
  'url',
  'href',
  'link',
  'linkurl',
  'docurl',
  'docpuburl',
  'puburl',
  'pageurl',
  'detailurl',
  'articleurl',
  'post_url',
  'fileurl',
  'path',
];
const TITLE_KEYS = ['title', 'doctitle', 'name', 'subject', 'topic', 'filename', 'file_name', 'text', 'label', 'showname'];

/** Links in an answer to one of the page's requests: JSON records with a URL and a title, HTML in strings, XML records. */
export function addAnswerLinks(text: string, contentType: string | undefined, links: LinkCollector): void {
  const t = text.replace(/^\uFEFF/, '').trim();
  if (!t) return;
  if (/^[[{]/.test(t)) {
    try {
      walk(JSON.parse(t) as unknown, links, 0);
      return;
    } catch {
      // not JSON after all
    }
  }
  if (/<a\b/i.test(t) || /xml|html/i.test(contentType ?? '')) links.addAnchors(load(t.replace(/<!\[CDATA\[|\]\]>/g, '')));
}

function walk(v: unknown, links: LinkCollector, depth: number): void {
  if (depth > 12 || v === null || v === undefined) return;
  if (typeof v === 'string') {
    if (/<a\b[^>]*href/i.test(v)) links.addAnchors(load(v));
    return;
  }
  if (Array.isArray(v)) {
    for (const x of v) walk(x, links, depth + 1);
    return;
  }
  if (typeof v !== 'object') return;
  const o = v as Record<string, unknown>;
  const lower = new Map(Object.entries(o).map(([k, x]) => [k.toLowerCase(), x]));
  const href = URL_KEYS.map((k) => lower.get(k)).find(
    (x): x is string => typeof x === 'string' && /^(https?:\/\/|\/|\.\.?\/|[\w-]+\/)/.test(x),
  );
  if (href) {
    const title = TITLE_KEYS.map((k) => lower.get(k)).find((x): x is string => typeof x === 'string' && x.trim() !== '') ?? '';
    links.add(href, title.replace(/<[^>]+>/g, '').trim());
  }
  for (const x of Object.values(o))
    if (x && typeof x === 'object') walk(x, links, depth + 1);
    else if (typeof x === 'string' && x !== href) walk(x, links, depth + 1);
}
