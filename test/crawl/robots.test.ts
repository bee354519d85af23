import { describe, expect, it } from 'vitest';
import { parseRobots, productToken, RobotsCache } from '../../src/crawl/robots.js';

const UA = 'ogi/0.1.0 (test)';

describe('robots', () => {
  it('uses the product token of the user agent, falling back to *', () => {
    expect(productToken(UA)).toBe('ogi');
    const text = 'User-agent: *\nDisallow: /private/\n\nUser-agent: ogi\nDisallow: /only-ogi/\nCrawl-delay: 2\n';
    const r = parseRobots('http://a.gov.cn/robots.txt', text, UA);
    expect(r.isAllowed('http://a.gov.cn/only-ogi/x.html')).toBe(false);
    // The ogi group replaces the * group.
    expect(r.isAllowed('http://a.gov.cn/private/x.html')).toBe(true);
    expect(r.crawlDelayMs).toBe(2000);
    const other = parseRobots('http://a.gov.cn/robots.txt', text, 'Mozilla/5.0');
    expect(other.isAllowed('http://a.gov.cn/private/x.html')).toBe(false);
    expect(other.crawlDelayMs).toBeUndefined();
  });

  it('fetches once per origin; 4xx allows all, 5xx and errors disallow all', async () => {
    const calls: string[] = [];
    const answers: Record<string, { status: number; text: string } | { error: string }> = {
      'http://a.gov.cn/robots.txt': { status: 200, text: 'User-agent: *\nDisallow: /x/' },
      'http://b.gov.cn/robots.txt': { status: 404, text: '' },
      'http://c.gov.cn/robots.txt': { status: 503, text: '' },
      'http://d.gov.cn/robots.txt': { error: 'connection' },
    };
    const cache = new RobotsCache(async (u) => {
      calls.push(u);
      return answers[u];
    }, UA);
    const [a1, a2] = await Promise.all([cache.forUrl('http://a.gov.cn/x/1'), cache.forUrl('http://a.gov.cn/y')]);
    expect(a1.isAllowed('http://a.gov.cn/x/1')).toBe(false);
    expect(a2.isAllowed('http://a.gov.cn/y')).toBe(true);
    expect((await cache.forUrl('http://b.gov.cn/x')).isAllowed('http://b.gov.cn/x')).toBe(true);
    const c = await cache.forUrl('http://c.gov.cn/x');
    expect([c.status, c.isAllowed('http://c.gov.cn/x')]).toEqual(['unavailable', false]);
    expect((await cache.forUrl('http://d.gov.cn/x')).status).toBe('unavailable');
    expect(calls.filter((u) => u.startsWith('http://a.gov.cn'))).toHaveLength(1);
  });
});
