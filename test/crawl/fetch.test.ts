import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fetcher, parseRetryAfter, type FetchOptions } from '../../src/crawl/fetch.js';
import { HostGate } from '../../src/crawl/politeness/host-queue.js';
import { deadPort, serve } from './helpers/server.js';

const OPTS: FetchOptions = {
  userAgent: 'ogi/0.1.0 (test)',
  timeoutMs: 2000,
  maxBytes: 100_000,
  retries: 2,
  retryBaseMs: 10,
  retryMaxMs: 50,
  maxRetryAfterMs: 5000,
};

let srv: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  srv = await serve({
    '/flaky': (_q, res, n) =>
      void (n < 3 ? res.writeHead(500).end('busy') : res.writeHead(200, { 'content-type': 'text/html' }).end('<p>ok</p>')),
    '/busy': (_q, res, n) => void (n === 1 ? res.writeHead(503, { 'retry-after': '1' }).end() : res.writeHead(200).end('ok')),
    '/go-away': (_q, res) => void res.writeHead(429, { 'retry-after': '3600' }).end(),
    '/missing': (_q, res) => void res.writeHead(404).end('no'),
    '/always-500': (_q, res) => void res.writeHead(500).end(),
    '/slow': async (_q, res) => {
      await new Promise((r) => setTimeout(r, 1500));
      if (!res.destroyed) res.writeHead(200).end('late');
    },
    '/moved': (_q, res) => void res.writeHead(301, { location: '/target?a=1' }).end(),
    '/big-chunked': (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(16_384, 65);
      for (let i = 0; i < 40; i++) res.write(chunk);
      res.end();
    },
    '/big-declared': (_q, res) => void res.writeHead(200, { 'content-length': '5000000' }).end(),
    '/cond': (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304, { etag: '"v1"' }).end();
      res.writeHead(200, { etag: '"v1"', 'last-modified': 'Tue, 02 Jan 2024 00:00:00 GMT' }).end('body');
    },
  });
});
afterAll(() => srv.close());

const fetcher = (o: Partial<FetchOptions> = {}, gate = new HostGate({ concurrency: 2, delayMs: 0 })) =>
  new Fetcher(gate, { ...OPTS, ...o }, undefined, undefined, undefined, 0);

describe('Fetcher', () => {
  it('retries a 500 and succeeds on the third attempt', async () => {
    const r = await fetcher().get({ url: `${srv.origin}/flaky` });
    expect(r.kind).toBe('ok');
    expect(r.attempts).toBe(3);
    expect(srv.counts.get('/flaky')).toBe(3);
  });

  it('gives up on a 5xx after the last retry with http-500', async () => {
    const r = await fetcher({ retries: 1 }).get({ url: `${srv.origin}/always-500` });
    expect(r).toMatchObject({ kind: 'http-error', status: 500, error: 'http-500', attempts: 2 });
  });

  it('honours Retry-After before the retry', async () => {
    const t0 = Date.now();
    const r = await fetcher().get({ url: `${srv.origin}/busy` });
    expect(r.kind).toBe('ok');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });

  it('does not wait for a Retry-After longer than allowed', async () => {
    const t0 = Date.now();
    const r = await fetcher().get({ url: `${srv.origin}/go-away` });
    expect(r).toMatchObject({ kind: 'failed', error: 'retry-after-too-long', attempts: 1 });
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('does not retry a 404', async () => {
    const r = await fetcher().get({ url: `${srv.origin}/missing` });
    expect(r).toMatchObject({ kind: 'http-error', status: 404, attempts: 1 });
  });

  it('times out each attempt and reports timeout after the retries', async () => {
    const r = await fetcher({ timeoutMs: 200, retries: 1 }).get({ url: `${srv.origin}/slow` });
    expect(r).toMatchObject({ kind: 'failed', error: 'timeout', attempts: 2 });
  });

  it('reports connection errors after retrying', async () => {
    const r = await fetcher({ retries: 1 }).get({ url: `http://127.0.0.1:${await deadPort()}/x` });
    expect(r).toMatchObject({ kind: 'failed', error: 'connection', attempts: 2 });
  });

  it('returns redirects instead of following them', async () => {
    const r = await fetcher().get({ url: `${srv.origin}/moved` });
    expect(r).toMatchObject({ kind: 'redirect', status: 301, location: `${srv.origin}/target?a=1` });
  });

  it('cuts off a body over maxBytes, streamed or declared', async () => {
    const chunked = await fetcher().get({ url: `${srv.origin}/big-chunked` });
    expect(chunked.kind).toBe('too-large');
    expect(chunked.bytesRead).toBeGreaterThan(100_000);
    expect(chunked.bytesRead).toBeLessThan(655_360);
    const declared = await fetcher().get({ url: `${srv.origin}/big-declared` });
    expect(declared).toMatchObject({ kind: 'too-large', declared: 5_000_000, bytesRead: 0 });
  });

  it('sends validators, the referrer and the user agent; a 304 comes back as not-modified', async () => {
    const first = await fetcher().get({ url: `${srv.origin}/cond` });
    expect(first).toMatchObject({ kind: 'ok', etag: '"v1"', lastModified: 'Tue, 02 Jan 2024 00:00:00 GMT' });
    const again = await fetcher().get({
      url: `${srv.origin}/cond`,
      etag: '"v1"',
      lastModified: 'Tue, 02 Jan 2024 00:00:00 GMT',
      referrer: `${srv.origin}/list`,
    });
    expect(again.kind).toBe('not-modified');
    const req = srv.seen.filter((q) => q.url === '/cond').at(-1)!;
    expect(req.headers['if-none-match']).toBe('"v1"');
    expect(req.headers['if-modified-since']).toBe('Tue, 02 Jan 2024 00:00:00 GMT');
    expect(req.headers.referer).toBe(`${srv.origin}/list`);
    expect(req.headers['user-agent']).toBe(OPTS.userAgent);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
