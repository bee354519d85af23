import { describe, expect, it } from 'vitest';
import { canonicalize, hostMatches } from '../../src/crawl/canonical-url.js';

const key = (href: string, base?: string) => canonicalize(href, base)?.key;

describe('canonicalize', () => {
  it('drops fragments, default ports and host case', () => {
    expect(key('HTTP://WWW.Example.GOV.cn:80/a/b.html#top')).toBe('http://www.example.gov.cn/a/b.html');
    expect(key('https://example.gov.cn:443/x')).toBe('https://example.gov.cn/x');
    expect(key('http://example.gov.cn:8080/x')).toBe('http://example.gov.cn:8080/x');
    expect(key('http://example.gov.cn./x')).toBe('http://example.gov.cn/x');
  });

  it('drops session ids in the path and the query, and tracking parameters', () => {
    expect(key('http://a.gov.cn/col/index.jsp;jsessionid=ABC123?id=5')).toBe('http://a.gov.cn/col/index.jsp?id=5');
    expect(key('http://a.gov.cn/list.jsp?sid=9f9f&page=2&PHPSESSID=x')).toBe('http://a.gov.cn/list.jsp?page=2');
    expect(key('http://a.gov.cn/x?utm_source=wx&b=1')).toBe('http://a.gov.cn/x?b=1');
    expect(key('http://a.gov.cn/x?jsessionid=1&sessionid=2&ASPSESSIONIDQQ=3')).toBe('http://a.gov.cn/x');
  });

  it('sorts the query without re-encoding it', () => {
    expect(key('http://a.gov.cn/d.jsp?id=3&classid=0')).toBe('http://a.gov.cn/d.jsp?classid=0&id=3');
    expect(key('http://a.gov.cn/d.jsp?b=%E5%B9%B4&a=1')).toBe('http://a.gov.cn/d.jsp?a=1&b=%E5%B9%B4');
    expect(key('http://a.gov.cn/d.jsp?')).toBe('http://a.gov.cn/d.jsp');
  });

  it('makes a trailing index.html the directory in the key but keeps it in the fetch URL', () => {
    const c = canonicalize('http://a.gov.cn/col/col1/index.html')!;
    expect(c.key).toBe('http://a.gov.cn/col/col1/');
    expect(c.fetch).toBe('http://a.gov.cn/col/col1/index.html');
    expect(key('http://a.gov.cn/col/col1/')).toBe(c.key);
    // index_1.html is another page of the listing, not the directory.
    expect(key('http://a.gov.cn/col/col1/index_1.html')).toBe('http://a.gov.cn/col/col1/index_1.html');
  });

  it('resolves relative links and refuses what is not http(s)', () => {
    expect(key('../b/c.pdf', 'http://a.gov.cn/x/y/z.html')).toBe('http://a.gov.cn/x/b/c.pdf');
    expect(key('javascript:void(0)', 'http://a.gov.cn/')).toBeUndefined();
    expect(key('mailto:x@a.gov.cn')).toBeUndefined();
    expect(key('ftp://a.gov.cn/x')).toBeUndefined();
    expect(key('http://[bad')).toBeUndefined();
  });

  it('percent-encodes non-ASCII paths the same way whatever the input form', () => {
    expect(key('http://a.gov.cn/附件/年报.pdf')).toBe(key('http://a.gov.cn/%E9%99%84%E4%BB%B6/%E5%B9%B4%E6%8A%A5.pdf'));
  });
});

describe('hostMatches', () => {
  it('matches a host on any port, a host:port exactly, and *.domain with subdomains', () => {
    expect(hostMatches('file.example.gov.cn', 'file.example.gov.cn')).toBe(true);
    expect(hostMatches('file.example.gov.cn:8080', 'file.example.gov.cn')).toBe(true);
    expect(hostMatches('file.example.gov.cn:8080', 'file.example.gov.cn:9090')).toBe(false);
    expect(hostMatches('a.b.example.gov.cn', '*.example.gov.cn')).toBe(true);
    expect(hostMatches('example.gov.cn', '*.example.gov.cn')).toBe(true);
    expect(hostMatches('badexample.gov.cn', '*.example.gov.cn')).toBe(false);
    expect(hostMatches('other.gov.cn', 'example.gov.cn')).toBe(false);
  });
});
