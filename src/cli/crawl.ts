/**
 * `ogi crawl URL…`: crawls portal pages to the annual reports and ingests
 * them. The engine is src/crawl/; this file only parses arguments, opens the
 * database and prints. Exit codes (spec/contract.md): 0 ok, 1 the run failed
 * as a whole (bad arguments, unreadable database, another crawl holds the
 * lock, interrupted), 2 some start URLs could not be read at all.
 */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { canonicalize } from '../crawl/canonical-url.js';
import { LockedError } from '../store/crawl/lock.js';
import { DEFAULTS, type CrawlOptions, type RenderMode } from '../crawl/options.js';
import { runCrawl } from '../crawl/run.js';
import { enqueueCrawl } from '../queue/crawl-jobs.js';
import type { CrawlStore } from '../store/crawl/types.js';
import { isPostgresUrl, openCrawlStore, redactUrl } from '../store/open.js';
import { stopOnSignals } from './stop-signal.js';
import { withReaderOptions, type ReaderFlags } from './exit.js';
import { rulesFromFlags, withCrossReportOptions, type CrossReportFlags } from './cross-report-options.js';

function wholeNumber(min: number) {
  return (v: string): number => {
    if (!/^\d+$/.test(v.trim()) || Number(v) < min) throw new InvalidArgumentError(`expected a whole number of at least ${min}`);
    return Number(v);
  };
}

/** 5000000, 500k, 50M, 1G (binary multiples). */
export function parseSize(v: string): number {
  const m = v.trim().match(/^(\d+(?:\.\d+)?)\s*([kmg]?)(i?b)?$/i);
  if (!m) throw new InvalidArgumentError('expected a size such as 5000000, 500k, 50M or 1G');
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  const n = Math.floor(Number(m[1]) * mult);
  if (n < 1) throw new InvalidArgumentError('the size must be at least 1 byte');
  return n;
}

function regex(v: string, previous: RegExp[]): RegExp[] {
  try {
    return [...previous, new RegExp(v, 'i')];
  } catch (e) {
    throw new InvalidArgumentError(`not a regular expression: ${(e as Error).message}`);
  }
}

function singleRegex(v: string): RegExp {
  return regex(v, [])[0];
}

function collect(v: string, previous: string[]): string[] {
  return [
    ...previous,
    ...v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

/** Start URLs from a file: one a line; blank lines and # comments are ignored. */
export function readSeeds(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean);
}

interface CrawlFlags extends ReaderFlags, CrossReportFlags {
  db: string;
  seeds?: string;
  maxPages: number;
  maxPagesPerHost: number;
  render: RenderMode;
  maxDepth: number;
  concurrency: number;
  delayMs: number;
  include: RegExp[];
  exclude: RegExp[];
  allowHost: string[];
  userAgent: string;
  maxBytes: number;
  timeoutMs: number;
  retries: number;
  linkText?: RegExp;
  revisit: boolean;
  fresh?: boolean;
  progress: number;
  json?: boolean;
  queue?: boolean;
}

const HELP = `
Discovery: from each start page the crawler follows links whose text names
the annual reports (年度报告, 年报, 信息公开…报告; --link-text changes this) or
the way to them (信息公开, 政务公开, 公开目录), the pagination of report columns
(下一页, index_1.html …, TRS createPageHTML scripts), report pages, and the
attachments they link (pdf, doc, docx, wps, and download links whose content
sniffs as one). Listing pages are read for links only; report pages and
attachments are stored as documents, each with its URL and the page that
linked it. Only the hosts of the start URLs are crawled, plus --allow-host.

Platforms: lists that portals load by script are read through the
platform's own API: Hanweb jpage (the embedded <datastore> and the POST
dataproxy.jsp groups), Hanweb JPaaS (build/unit with paramJson), Guangdong
gkmlpt (/gkmlpt/api/all/…), TRS (createPageHTML/createPage pagination,
document.writeln lists). Listing pages that still show no report links are
rendered in Chromium when it is installed (--render auto).

Politeness: robots.txt is obeyed (Crawl-delay too); at most --concurrency
requests per host are in flight and request starts are --delay-ms apart;
5xx, 429, timeouts and connection errors are retried with exponential
back-off and jitter, and Retry-After is honoured.

Nightly: run the same command on the same database. Stored documents are
revalidated with If-None-Match / If-Modified-Since; unchanged ones are not
read again, changed ones are stored as a new version of the URL (the old
document stays: see the url_versions table), new reports are added, and a
crawl_runs row keeps each run's summary. A run killed midway is resumed by
the next one with the same start URLs. Two runs on one database never
overlap: the second exits with code 1.

PostgreSQL: --db postgres://user@host/database crawls into a shared database
(one crawl per host at a time). With --queue nothing is crawled here: one job
per host is queued for \`ogi worker\` processes on any machines, and each
host's --concurrency and --delay-ms hold across all of them (see README,
Scaling out).

Exit codes: 0 ok (documents that failed are recorded, not fatal); 1 bad
arguments, unreadable database, another crawl running, or interrupted;
2 some start URLs could not be read at all.

Examples:
  # Crawl a city portal's annual-report column into output/ogi.sqlite
  $ ogi crawl https://www.example.gov.cn/col/col1234/index.html

  # Start at the disclosure platform; attachments live on another host
  $ ogi crawl https://xxgk.example.gov.cn/ --allow-host file.example.gov.cn

  # Hundreds of portals from a file (one URL a line, # comments), 300 URLs at most per portal
  $ ogi crawl --seeds portals.txt --max-pages-per-host 300 --json

  # Several portals, a separate database, a JSON summary line on stdout
  $ ogi crawl https://a.example.gov.cn/ https://b.example.gov.cn/xxgk/ --db data/reports.sqlite --json

  # Slower and smaller: one request at a time, 3 s apart, stop after 300 URLs
  $ ogi crawl https://www.example.gov.cn/ --concurrency 1 --delay-ms 3000 --max-pages 300

  # A column the link texts miss, and never the search pages
  $ ogi crawl https://www.example.gov.cn/ --include '/zfxxgkndbg/' --exclude '/search|/jsearch'

  # Shard the portals over workers on several machines (one job per host)
  $ ogi crawl --seeds portals.txt --db postgres://ogi@db/ogi --queue
  $ ogi worker --db postgres://ogi@db/ogi --exit-when-idle

  # Every night at 02:30 (crontab -e)
  30 2 * * * cd /srv/ogi && npx ogi crawl https://www.example.gov.cn/ --db /srv/ogi/ogi.sqlite --json >> /srv/ogi/crawl.jsonl 2>> /srv/ogi/crawl.log
`;

export function registerCrawl(program: Command): void {
  withCrossReportOptions(withReaderOptions(program.command('crawl')))
    .summary('crawl government portals to their annual reports and ingest them')
    .description('Crawls government portals politely, finds the information-disclosure annual reports and ingests them into the database.')
    .argument('[url...]', 'start pages: a portal home, a disclosure platform or a report column')
    .option('--db <path>', 'SQLite file or postgres://user@host/database', 'output/ogi.sqlite')
    .option('--seeds <file>', 'more start URLs, one a line (# comments)')
    .option('--max-pages <n>', 'URLs to fetch at most in this run', wholeNumber(1), DEFAULTS.maxPages)
    .option('--max-pages-per-host <n>', 'URLs to fetch at most from one host in this run', wholeNumber(1), DEFAULTS.maxPagesPerHost)
    .addOption(
      new Option('--render <mode>', 'render listing pages in Chromium: auto (only those that need it), never, always')
        .choices(['auto', 'never', 'always'])
        .default(DEFAULTS.render),
    )
    .option('--max-depth <n>', 'link hops from a start page (pagination does not count)', wholeNumber(0), DEFAULTS.maxDepth)
    .option('--concurrency <n>', 'requests in flight per host', wholeNumber(1), DEFAULTS.concurrency)
    .option(
      '--delay-ms <n>',
      'milliseconds between request starts on one host (robots.txt Crawl-delay can raise it)',
      wholeNumber(0),
      DEFAULTS.delayMs,
    )
    .option('--include <regex>', 'also follow URLs matching this (repeatable)', regex, [] as RegExp[])
    .option('--exclude <regex>', 'never fetch URLs matching this (repeatable)', regex, [] as RegExp[])
    .option(
      '--allow-host <host>',
      'also crawl this host: host, host:port or *.domain (repeatable, comma-separated)',
      collect,
      [] as string[],
    )
    .option('--user-agent <s>', 'User-Agent header; its first word is the robots.txt agent', DEFAULTS.userAgent)
    .option('--max-bytes <n>', 'largest download; bigger ones are cut off and recorded (e.g. 50M)', parseSize, DEFAULTS.maxBytes)
    .option('--timeout-ms <n>', 'per request attempt, until the last byte', wholeNumber(1), DEFAULTS.timeoutMs)
    .option('--retries <n>', 'retries on 5xx/429, timeouts and connection errors', wholeNumber(0), DEFAULTS.retries)
    .option('--link-text <regex>', `link text that names reports and their columns (default ${DEFAULTS.reportText.source})`, singleRegex)
    .option('--no-revisit', 'do not revisit stored documents that no page links any more')
    .option('--fresh', 'start over even if an interrupted run could be resumed')
    .option('--progress <ms>', 'progress line interval on stderr when not a terminal (0: off)', wholeNumber(0), DEFAULTS.progressMs)
    .option('--json', 'print the summary as one JSON line on stdout')
    .option('--queue', 'PostgreSQL only: queue one crawl job per host for `ogi worker` instead of crawling here')
    .addHelpText('after', HELP)
    .action(async (urls: string[], flags: CrawlFlags) => {
      process.exitCode = await crawlCommand(urls, flags);
    });
}

async function crawlCommand(args: string[], flags: CrawlFlags): Promise<number> {
  const urls = [...args];
  if (flags.seeds) {
    try {
      urls.push(...readSeeds(flags.seeds));
    } catch (e) {
      process.stderr.write(`ogi crawl: cannot read --seeds ${flags.seeds}: ${(e as Error).message}\n`);
      return 1;
    }
  }
  if (urls.length === 0) {
    process.stderr.write('ogi crawl: give start URLs or --seeds FILE\n');
    return 1;
  }
  for (const u of urls) {
    if (!canonicalize(u)) {
      process.stderr.write(`ogi crawl: not an http(s) URL: ${u}\n`);
      return 1;
    }
  }
  const options: Omit<Partial<CrawlOptions>, 'startUrls'> = {
    maxPages: flags.maxPages,
    maxPagesPerHost: flags.maxPagesPerHost,
    render: flags.render,
    maxDepth: flags.maxDepth,
    concurrency: flags.concurrency,
    delayMs: flags.delayMs,
    include: flags.include,
    exclude: flags.exclude,
    allowHosts: flags.allowHost,
    userAgent: flags.userAgent,
    maxBytes: flags.maxBytes,
    timeoutMs: flags.timeoutMs,
    retries: flags.retries,
    ...(flags.linkText ? { reportText: flags.linkText } : {}),
    revisit: flags.revisit,
    fresh: flags.fresh ?? false,
    progressMs: flags.progress,
  };
  if (flags.queue) return queueCrawl(urls, options, flags);
  let store: CrawlStore;
  try {
    store = await openCrawlStore(flags.db);
  } catch (e) {
    process.stderr.write(`ogi crawl: ${(e as Error).message}\n`);
    return 1;
  }
  // First Ctrl-C / SIGTERM: finish cleanly (the next run resumes). Second: leave now.
  const stop = stopOnSignals('ogi crawl', 'stopping after the requests in flight');
  try {
    const r = await runCrawl(
      store,
      { ...options, startUrls: urls },
      {
        log: (line) => process.stderr.write(line + '\n'),
        progress: process.stderr,
        signal: stop.signal,
        service: {
          workers: flags.workers,
          documentTimeoutMs: flags.docTimeoutMs,
          workerMemoryMb: flags.workerMemoryMb,
          keepBytes: flags.keepBytes,
          crossReportRules: rulesFromFlags(flags),
        },
      },
    );
    if (flags.json) {
      const { new: added, changed, unchanged, failed, blocked, skipped, pages, bytes, runId, status, resumed, ms, reports, nonReports } = r;
      const hosts = r.hosts.map((h) => ({
        host: h.host,
        pages: h.pages,
        reports: h.reports,
        non_reports: h.nonReports,
        documents: h.documents,
        failed: h.failed,
        lastError: h.lastError,
      }));
      process.stdout.write(
        JSON.stringify({
          new: added,
          changed,
          unchanged,
          failed,
          blocked,
          skipped,
          pages,
          bytes,
          reports,
          non_reports: nonReports,
          run: runId,
          status,
          resumed,
          ms,
          hosts,
        }) + '\n',
      );
    }
    return r.exitCode;
  } catch (e) {
    process.stderr.write(`ogi crawl: ${e instanceof LockedError ? e.message : ((e as Error)?.message ?? String(e))}\n`);
    return 1;
  } finally {
    stop.dispose();
    await store.close();
  }
}

/** --queue: one job per host for the workers; exit 0 once queued. */
async function queueCrawl(urls: string[], options: Omit<Partial<CrawlOptions>, 'startUrls'>, flags: CrawlFlags): Promise<number> {
  if (!isPostgresUrl(flags.db)) {
    process.stderr.write('ogi crawl: --queue needs --db postgres://user@host/database (the queue lives in PostgreSQL)\n');
    return 1;
  }
  try {
    const s = await enqueueCrawl(flags.db, urls, options);
    process.stderr.write(
      `ogi crawl: ${s.enqueued} host crawl job(s) queued in ${redactUrl(flags.db)}` +
        (s.alreadyWaiting.length ? `; already waiting, not queued twice: ${s.alreadyWaiting.join(', ')}` : '') +
        '; run `ogi worker --db URL` to crawl them\n',
    );
    if (flags.json) process.stdout.write(JSON.stringify(s) + '\n');
    return 0;
  } catch (e) {
    process.stderr.write(`ogi crawl: ${(e as Error).message}\n`);
    return 1;
  }
}
