/**
 * The headless-browser fallback on a portal whose column exists only after
 * its scripts ran: the list comes from fetch() into the DOM, more links only
 * from a POSTed XHR answer, and one report page writes its text by script.
 * Runs whenever Chromium is installed (/usr/bin/chromium or $OGI_CHROMIUM);
 * skips, saying so, when it is absent. The browser's requests must go through
 * the crawler: robots.txt, host scope, per-host politeness; no images.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../../src/crawl/render.js';
import { runCrawl } from '../../src/crawl/run.js';
import { openDatabase } from '../../src/store/db.js';
import { FAST, tempDb } from './helpers/crawl.js';

const CHROMIUM = findChromium();
const REPORTS = [2024, 2023, 2022, 2021];
const EXTRA = [2020, 2019];

interface Hit {
  method: string;
  path: string;
  at: number;
  ua?: string;
}
let server: Server;
let origin = '';
const hits: Hit[] = [];
let inFlight = 0;
let maxInFlight = 0;

const page = (title: string, body: string) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
const table = (y: number) => `<table><tr><th>本年新收政府信息公开申请数量</th><td>${y - 1900}</td></tr></table>`;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    hits.push({ method: req.method ?? 'GET', path: url.pathname + url.search, at: Date.now(), ua: req.headers['user-agent'] });
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const send = (status: number, type: string, text: string) => {
        setTimeout(() => {
          inFlight--;
          res.writeHead(status, { 'content-type': type }).end(text);
        }, 20);
      };
      const p = url.pathname;
      if (p === '/robots.txt') return send(200, 'text/plain', 'User-agent: *\nDisallow: /private/\n');
      if (p === '/') return send(200, 'text/html; charset=utf-8', page('示例区政府', '<a href="/ndbg/">政府信息公开年报</a>'));
      if (p === '/ndbg/') {
        return send(
          200,
          'text/html; charset=utf-8',
          page(
            '政府信息公开年报',
            '<img src="/img/logo.png"><ul id="list"></ul><script src="/js/app.js"></script><script src="/private/tracker.js"></script>',
          ),
        );
      }
      if (p === '/js/app.js') {
        return send(
          200,
          'application/javascript',
          `fetch('/api/list?page=1').then(function (r) { return r.json(); }).then(function (d) {
             document.getElementById('list').innerHTML = d.items.map(function (i) { return '<li><a href="' + i.url + '">' + i.title + '</a></li>'; }).join('');
           });
           var x = new XMLHttpRequest(); x.open('POST', '/api/more'); x.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
           x.onload = function () { window.more = JSON.parse(x.responseText); }; x.send('col=7&page=1');`,
        );
      }
      if (p === '/api/list') {
        return send(
          200,
          'application/json',
          JSON.stringify({ items: REPORTS.map((y) => ({ url: `/art/${y}.html`, title: `${y}年政府信息公开工作年度报告` })) }),
        );
      }
      if (p === '/api/more') {
        if (req.method !== 'POST' || !body.includes('col=7')) return send(200, 'application/json', '{"success":false,"msg":"bad"}');
        return send(
          200,
          'application/json',
          JSON.stringify({ data: { list: EXTRA.map((y) => ({ URL: `/art/${y}.html`, TITLE: `${y}年度政府信息公开年报` })) } }),
        );
      }
      const m = p.match(/^\/art\/(\d{4})\.html$/);
      if (m) {
        const y = Number(m[1]);
        if (y === 2022) {
          // The text exists only once its script ran.
          return send(
            200,
            'text/html; charset=utf-8',
            page(
              `${y}年政府信息公开工作年度报告`,
              `<div id="c"></div><script>document.getElementById('c').innerHTML = '<h1>${y}年政府信息公开工作年度报告</h1><p>一、总体情况。本机关认真贯彻落实政府信息公开条例，全年主动公开政府信息一千余条，依申请公开办理及时规范。</p>${table(y)}';</script>`,
            ),
          );
        }
        return send(
          200,
          'text/html; charset=utf-8',
          page(`${y}年政府信息公开工作年度报告`, `<h1>${y}年政府信息公开工作年度报告</h1><p>一、总体情况</p>${table(y)}`),
        );
      }
      return send(404, 'text/plain', 'not found');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe.skipIf(!CHROMIUM)(`rendering in Chromium (${CHROMIUM ?? 'not installed: skipped'})`, () => {
  it('finds the reports a script lists, from the rendered DOM and from XHR answers, under the crawler’s rules', async () => {
    hits.length = 0;
    maxInFlight = 0;
    const db = openDatabase(tempDb());
    const lines: string[] = [];
    try {
      const r = await runCrawl(db, { ...FAST, delayMs: 100, startUrls: [`${origin}/`] }, { log: (l) => lines.push(l) });
      const stored = new Set(
        (db.prepare('SELECT location FROM document_locations').all() as Array<{ location: string }>).map((x) => x.location),
      );
      for (const y of [...REPORTS, ...EXTRA]) expect(stored.has(`${origin}/art/${y}.html`), `${y}`).toBe(true);
      expect(lines.join('\n')).toMatch(/pages rendered/);
      expect(r.failed).toBe(0);
      // The browser's requests went through the crawler: our User-Agent, robots.txt obeyed, no images, politeness held.
      const paths = hits.map((h) => h.path);
      expect(paths).toContain('/js/app.js');
      expect(paths).toContain('/api/list?page=1');
      expect(hits.find((h) => h.path === '/api/more')?.method).toBe('POST');
      expect(paths.filter((x) => x.startsWith('/private/') || x.startsWith('/img/'))).toEqual([]);
      for (const h of hits) expect(h.ua).toMatch(/^ogi\//);
      expect(maxInFlight).toBeLessThanOrEqual(2);
      const t = hits.map((h) => h.at).sort((a, b) => a - b);
      for (let i = 2; i < t.length; i++) expect(t[i] - t[1]).toBeGreaterThanOrEqual((i - 1) * 100 - 60);
      // The report page without text of its own was stored as rendered.
      const text = db
        .prepare(`SELECT t.body FROM document_text t JOIN document_locations l ON l.document_id = t.rowid WHERE l.location = ?`)
        .get(`${origin}/art/2022.html`) as { body: string } | undefined;
      expect(text?.body ?? '').toContain('本年新收政府信息公开申请数量');
    } finally {
      db.close();
    }
  });
});

describe('without Chromium', () => {
  it('auto logs once and goes on without rendering', async () => {
    const saved = process.env.OGI_CHROMIUM;
    process.env.OGI_CHROMIUM = '/nonexistent/chromium';
    const db = openDatabase(tempDb());
    const lines: string[] = [];
    try {
      const r = await runCrawl(db, { ...FAST, startUrls: [`${origin}/`] }, { log: (l) => lines.push(l) });
      expect(r.status).toBe('ok');
      expect(lines.filter((l) => /Chromium not found/.test(l))).toHaveLength(1);
      expect(db.prepare('SELECT COUNT(*) AS n FROM document_locations').get()).toEqual({ n: 0 });
      await expect(runCrawl(openDatabase(tempDb()), { ...FAST, render: 'always', startUrls: [`${origin}/`] })).rejects.toThrow(
        /needs Chromium/,
      );
    } finally {
      db.close();
      if (saved === undefined) delete process.env.OGI_CHROMIUM;
      else process.env.OGI_CHROMIUM = saved;
    }
  });
});
