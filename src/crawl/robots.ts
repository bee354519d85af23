/**
 * robots.txt, once per origin (RFC 9309): 2xx → its rules; 4xx → no rules;
 * 5xx or unreachable → nothing may be fetched from that origin in this run.
 * Rules are matched with the product token of the user agent ("ogi" for
 * "ogi/0.1.0 (…)"), falling back to the `*` group as robots-parser does.
 */
import robotsModule from 'robots-parser';

type Parse = typeof import('robots-parser').default;
// A CommonJS function export: the ESM default import is the function itself,
// though the package's typings describe it as `default`.
const robotsParser = ((robotsModule as unknown as { default?: Parse }).default ?? robotsModule) as unknown as Parse;

export interface RobotsRules {
  /** 'ok' (a robots.txt), 'none' (4xx: allow all), 'unavailable' (5xx/unreachable: disallow all). */
  status: 'ok' | 'none' | 'unavailable';
  isAllowed(url: string): boolean;
  /** Crawl-delay in milliseconds, when robots.txt sets one for us. */
  crawlDelayMs?: number;
  /** Why it is unavailable. */
  error?: string;
}

/** The fetch robots.txt needs: status and text, or an error code after retries. */
export type RobotsFetcher = (url: string) => Promise<{ status: number; text: string } | { error: string }>;

/** "ogi/0.1.0 (+…)" → "ogi": robots groups are named by product token. */
export function productToken(userAgent: string): string {
  return userAgent.trim().split(/[\s/]/)[0] || '*';
}

export function parseRobots(robotsUrl: string, text: string, userAgent: string): RobotsRules {
  const robots = robotsParser(robotsUrl, text);
  const token = productToken(userAgent);
  const delay = robots.getCrawlDelay(token);
  return {
    status: 'ok',
    // undefined means "another origin": the caller asks the right one, so treat it as allowed.
    isAllowed: (url) => robots.isAllowed(url, token) !== false,
    crawlDelayMs: typeof delay === 'number' && Number.isFinite(delay) && delay > 0 ? Math.round(delay * 1000) : undefined,
  };
}

export class RobotsCache {
  private readonly cache = new Map<string, Promise<RobotsRules>>();

  constructor(
    private readonly fetcher: RobotsFetcher,
    private readonly userAgent: string,
  ) {}

  /** The rules for the origin of `url` (fetched once; concurrent callers share the request). */
  forUrl(url: string): Promise<RobotsRules> {
    const origin = new URL(url).origin;
    let p = this.cache.get(origin);
    if (!p) {
      p = this.load(origin);
      this.cache.set(origin, p);
    }
    return p;
  }

  private async load(origin: string): Promise<RobotsRules> {
    const robotsUrl = `${origin}/robots.txt`;
    const res = await this.fetcher(robotsUrl);
    if ('error' in res) return { status: 'unavailable', isAllowed: () => false, error: res.error };
    if (res.status >= 200 && res.status < 300) return parseRobots(robotsUrl, res.text, this.userAgent);
    if (res.status >= 400 && res.status < 500) return { status: 'none', isAllowed: () => true };
    return { status: 'unavailable', isAllowed: () => false, error: `http-${res.status}` };
  }
}
