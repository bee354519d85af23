/**
 * What the crawl may reach: allowed hosts, --exclude, depth and pagination
 * bounds, and where a followed link lands in the frontier (its kind, depth
 * and listing page). A link outside the scope is still returned, with the
 * reason, so the run records it as skipped once.
 */
import { canonicalize, hostMatches } from './canonical-url.js';
import type { LinkRole, PageKind } from './discover.js';
import type { FrontierItem, NewItem } from './frontier.js';

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
}
