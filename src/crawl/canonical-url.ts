/**
 * Canonical URLs: one string per resource, so that the frontier never holds
 * the same page twice and link traps built from session ids or reordered
 * query strings collapse into one item.
 *
 * - http(s) only; fragments dropped; host lower-cased, trailing dot and default port dropped;
 * - session ids dropped: `;jsessionid=…` path parameters and query parameters
 *   such as jsessionid, phpsessid, sid, sessionid, aspsessionid…, plus utm_* tracking;
 * - query parameters sorted (raw, never re-encoded: servers differ on encoding);
 * - the identity key also drops a trailing index.html/index.htm/default.html (no query),
 *   but the fetch URL keeps it (some servers do not serve the bare directory).
 */

const SESSION_PARAM = /^(jsessionid|phpsessid|sid|sessionid|session_id|sess_id|aspsessionid\w*|cfid|cftoken|utm_\w+)$/i;
const PATH_SESSION = /;(jsessionid|phpsessid|sid|sessionid)=[^/?#]*/gi;
const INDEX_PAGE = /\/(index|default)\.(html?|shtml)$/i;

export interface CanonicalUrl {
  /** The identity of the resource (frontier key, url_versions.url). */
  key: string;
  /** The URL to request: canonical, but keeps a trailing index.html. */
  fetch: string;
  host: string;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

function canonicalQuery(search: string): string {
  if (search.length <= 1) return '';
  const parts = search
    .slice(1)
    .split('&')
    .filter((p) => p !== '')
    .filter((p) => !SESSION_PARAM.test(safeDecode(p.split('=')[0])));
  if (parts.length === 0) return '';
  // Stable sort by decoded name, then by the raw pair, so a=1&b=2 and b=2&a=1 meet.
  const keyed = parts.map((p, i) => ({ p, i, k: safeDecode(p.split('=')[0]) }));
  keyed.sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : x.p < y.p ? -1 : x.p > y.p ? 1 : x.i - y.i));
  return '?' + keyed.map((x) => x.p).join('&');
}

/**
 * Resolves `href` against `base` and canonicalises it. Returns undefined for
 * anything that is not a fetchable http(s) URL (mailto:, javascript:, bad syntax).
 */
export function canonicalize(href: string, base?: string): CanonicalUrl | undefined {
  const trimmed = href.trim();
  if (trimmed === '' || /^(javascript|mailto|tel|data|about|file|ftp):/i.test(trimmed)) return undefined;
  let u: URL;
  try {
    u = base ? new URL(trimmed, base) : new URL(trimmed);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  u.hash = '';
  u.username = '';
  u.password = '';
  if (u.hostname.endsWith('.')) u.hostname = u.hostname.replace(/\.+$/, '');
  const path = u.pathname.replace(PATH_SESSION, '') || '/';
  const query = canonicalQuery(u.search);
  const origin = `${u.protocol}//${u.host}`;
  const fetch = origin + path + query;
  // Only static index pages: index.jsp?id=5 is a program, not the directory.
  const key = origin + (query ? path : path.replace(INDEX_PAGE, '/')) + query;
  return { key, fetch, host: u.host };
}

/**
 * Whether `host` (host[:port]) is allowed by an --allow-host pattern:
 * "example.gov.cn" matches that host on any port, "example.gov.cn:8080" only that
 * port, "*.example.gov.cn" the domain and all its subdomains.
 */
export function hostMatches(host: string, pattern: string): boolean {
  const p = pattern
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/.*$/, '');
  const h = host.toLowerCase();
  const hostname = h.replace(/:\d+$/, '');
  if (p.startsWith('*.')) {
    const domain = p.slice(2).replace(/:\d+$/, '');
    return hostname === domain || hostname.endsWith('.' + domain);
  }
  return /:\d+$/.test(p) ? h === p : hostname === p;
}
