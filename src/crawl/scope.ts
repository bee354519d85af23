/**
 * What the crawl may reach: allowed hosts, --exclude, depth and pagination
 * bounds, and where a followed link lands in the frontier (its kind, depth
 * and listing page). A link outside the scope is still returned, with the
 * reason, so the run records it as skipped once.
 */
import { createHash } from 'node:crypto';
import { canonicalize, hostMatches } from './canonical-url.js';
import type { ApiRequest } from './platforms/types.js';
import type { LinkRole, PageKind } from './discover.js';
import type { FrontierItem, NewItem } from '../store/crawl/frontier.js';

export type SkipReason = 'excluded' | 'off-host' | 'max-depth' | 'max-listing-pages';

export interface ScopeOptions {
  allowHosts: string[];
  exclude: RegExp[];
  maxDepth: number;
  maxListingPages: number;
}

export class Scope {
  constructor(
    private readonly seedHosts: Set<string>,
    private readonly options: ScopeOptions,
  ) {}

  hostAllowed(host: string): boolean {
    return this.seedHosts.has(host) || this.options.allowHosts.some((p) => hostMatches(host, p));
  }

  excluded(url: string): boolean {
    return this.options.exclude.some((r) => r.test(url));
  }

  /**
   * The frontier item a followed link becomes. Pagination and frames stay at
   * the parent's depth (a long column is not "deep") but count listing pages,
   * which ends endless calendars and "next" traps.
   */
  child(
    from: Pick<FrontierItem, 'fetch_url' | 'depth' | 'listing_page'>,
    url: string,
    role: LinkRole,
    fromListing: boolean,
    anchor: string,
  ): { item: NewItem; skip?: SkipReason } | undefined {
    const c = canonicalize(url);
    if (!c) return undefined;
    const kind: PageKind =
      role === 'attachment' ? 'attachment' : role === 'report' || (role === 'frame' && !fromListing) ? 'report' : 'listing';
    const sameListing = role === 'pagination' || role === 'frame';
    const item: NewItem = {
      url: c.key,
      fetchUrl: c.fetch,
      kind,
      depth: sameListing ? from.depth : from.depth + 1,
      listingPage: sameListing ? from.listing_page + 1 : 0,
      referrer: from.fetch_url,
      anchor: anchor || undefined,
    };
    if (this.excluded(c.fetch)) return { item, skip: 'excluded' };
    if (!this.hostAllowed(c.host)) return { item, skip: 'off-host' };
    if (item.depth > this.options.maxDepth) return { item, skip: 'max-depth' };
    if ((item.listingPage ?? 0) > this.options.maxListingPages) return { item, skip: 'max-listing-pages' };
    return { item };
  }

  /**
   * The frontier item of a platform API request: part of the listing that made
   * it (same depth, one more listing page). Its key is the URL as sent (API
   * parameters such as sid= are not session ids there), plus a hash of a POST body.
   */
  apiChild(
    from: Pick<FrontierItem, 'fetch_url' | 'depth' | 'listing_page'>,
    req: ApiRequest,
  ): { item: NewItem; skip?: SkipReason } | undefined {
    let u: URL;
    try {
      u = new URL(req.url);
    } catch {
      return undefined;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    u.hash = '';
    const body =
      req.method === 'POST'
        ? `#post-${createHash('sha1')
            .update(req.body ?? '')
            .digest('hex')
            .slice(0, 16)}`
        : '';
    const item: NewItem = {
      url: u.href + body,
      fetchUrl: u.href,
      kind: 'listing',
      depth: from.depth,
      listingPage: from.listing_page + 1,
      referrer: req.referer ?? from.fetch_url,
      request: JSON.stringify({ ...req, url: u.href }),
    };
    if (this.excluded(u.href)) return { item, skip: 'excluded' };
    if (!this.hostAllowed(u.host)) return { item, skip: 'off-host' };
    if ((item.listingPage ?? 0) > this.options.maxListingPages) return { item, skip: 'max-listing-pages' };
    return { item };
  }
}
