/**
 * One HTTP GET with the crawler's rules, and nothing else: a politeness slot
 * around every attempt, a timeout per attempt, a size cap enforced while the
 * body streams in, retries with exponential back-off and jitter (p-retry) on
 * 5xx/429/408, timeouts and connection errors, and Retry-After honoured for
 * the whole host. Redirects are not followed here: the caller records them
 * and puts the target through its own host/robots/loop checks.
 */
import pRetry from 'p-retry';
import type { HostGate } from './politeness/host-queue.js';

export interface FetchOptions {
  userAgent: string;
  /** Per attempt: from sending the request to the last body byte. */
  timeoutMs: number;
  /** Bodies larger than this are cut off and reported as too-large. */
  maxBytes: number;
  /** Retries after the first attempt. */
  retries: number;
  /** First back-off; doubles each retry, with jitter (×1–2). */
  retryBaseMs: number;
  retryMaxMs: number;
  /** A Retry-After longer than this is not waited for: the URL fails. */
  maxRetryAfterMs: number;
}

export interface FetchRequest {
  url: string;
  /** Sent as Referer: some portals refuse attachment downloads without it. */
  referrer?: string;
  /** Conditional request validators from the last stored version. */
  etag?: string;
  lastModified?: string;
  /** Default GET. Portal list APIs answer POSTs without side effects, so they are retried like GETs. */
  method?: 'GET' | 'POST';
  body?: string;
  /** Content-Type of the body. */
  contentType?: string;
  /** Accept header instead of the document default (an XML or JSON API). */
  accept?: string;
  /** X-Requested-With: XMLHttpRequest, as a page script's request. */
  xhr?: boolean;
}

interface Common {
  /** HTTP attempts made (1 + retries used). */
  attempts: number;
  /** Body bytes received, including a cut-off body. */
  bytesRead: number;
}

export type FetchResult = Common &
  (
    | {
        kind: 'ok';
        status: number;
        contentType?: string;
        etag?: string;
        lastModified?: string;
        /** Content-Disposition as received (header bytes as latin1 characters: see content-disposition.ts). */
        contentDisposition?: string;
        bytes: Uint8Array;
      }
    | { kind: 'not-modified'; status: 304; etag?: string; lastModified?: string }
    | { kind: 'redirect'; status: number; location: string }
    | { kind: 'too-large'; status: number; declared?: number }
    /** A definitive HTTP error (4xx other than 408/429), or a 5xx after the last retry. */
    | { kind: 'http-error'; status: number; error: string }
    /** Timeouts and connection errors after the last retry, or a Retry-After too long to wait for. */
    | { kind: 'failed'; error: string; message: string; status?: number }
  );

/** One attempt's result, before the retry loop adds its counters. */
type Outcome = { [K in FetchResult['kind']]: Omit<Extract<FetchResult, { kind: K }>, keyof Common> }[FetchResult['kind']];

/** An attempt that may succeed when repeated. */
export class TransientError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'TransientError';
  }
}

const ACCEPT =
  'text/html,application/xhtml+xml,application/pdf,application/msword,' +
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document;q=0.9,*/*;q=0.8';

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

function headerOrUndefined(h: Headers, name: string): string | undefined {
  return h.get(name) ?? undefined;
}

export type FetchImpl = typeof globalThis.fetch;

export const ABORT_GRACE_MS = 250;

export class Fetcher {
  constructor(
    private readonly gate: HostGate,
    private readonly options: FetchOptions,
    /** Aborts everything when the run stops. */
    private readonly stop?: AbortSignal,
    private readonly fetchImpl: FetchImpl = globalThis.fetch,
    /** Called before each retry, for progress and logs. */
    private readonly onRetry?: (url: string, error: TransientError, attempt: number) => void,
    /** How long a slot stays taken after an aborted transfer. */
    private readonly abortGraceMs = ABORT_GRACE_MS,
  ) {}

  async get(req: FetchRequest): Promise<FetchResult> {
    const host = new URL(req.url).host;
    let attempts = 0;
    let bytesRead = 0;
    try {
      return await pRetry(
        async () => {
          attempts++;
          const r = await this.attempt(req, host, (n) => (bytesRead += n));
          return { ...r, attempts, bytesRead };
        },
        {
          retries: this.options.retries,
          factor: 2,
          minTimeout: this.options.retryBaseMs,
          maxTimeout: this.options.retryMaxMs,
          randomize: true,
          signal: this.stop,
          shouldRetry: ({ error }) => error instanceof TransientError && (error.retryAfterMs ?? 0) <= this.options.maxRetryAfterMs,
          onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
            if (!(error instanceof TransientError) || retriesLeft === 0) return;
            // The server asked the whole host to slow down, not just this URL.
            if (error.retryAfterMs !== undefined && error.retryAfterMs <= this.options.maxRetryAfterMs) {
              this.gate.pause(host, error.retryAfterMs);
            }
            this.onRetry?.(req.url, error, attemptNumber);
          },
        },
      );
    } catch (e) {
      if (!(e instanceof TransientError)) throw e;
      if (e.retryAfterMs !== undefined && e.retryAfterMs > this.options.maxRetryAfterMs) {
        return { kind: 'failed', error: 'retry-after-too-long', message: e.message, status: e.status, attempts, bytesRead };
      }
      if (e.status !== undefined) return { kind: 'http-error', status: e.status, error: e.code, attempts, bytesRead };
      return { kind: 'failed', error: e.code, message: e.message, attempts, bytesRead };
    }
  }

  private async attempt(req: FetchRequest, host: string, countBytes: (n: number) => void): Promise<Outcome> {
    const release = await this.gate.acquire(host, this.stop);
    const ctrl = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctrl.abort(new Error('timeout'));
    }, this.options.timeoutMs);
    const onStop = () => ctrl.abort(this.stop?.reason);
    this.stop?.addEventListener('abort', onStop, { once: true });
    const fail = (e: unknown): never => {
      if (this.stop?.aborted) throw this.stop.reason instanceof Error ? this.stop.reason : new Error('stopped');
      if (timedOut) throw new TransientError('timeout', `no complete answer within ${this.options.timeoutMs} ms`);
      const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
      throw new TransientError('connection', cause?.code ?? cause?.message ?? (e as Error)?.message ?? String(e));
    };
    try {
      const headers: Record<string, string> = {
        'user-agent': this.options.userAgent,
        accept: req.accept ?? ACCEPT,
        'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5',
      };
      if (req.referrer) headers.referer = req.referrer;
      if (req.etag) headers['if-none-match'] = req.etag;
      if (req.lastModified) headers['if-modified-since'] = req.lastModified;
      if (req.contentType) headers['content-type'] = req.contentType;
      if (req.xhr) headers['x-requested-with'] = 'XMLHttpRequest';

      let res: Response;
      try {
        res = await this.fetchImpl(req.url, {
          method: req.method ?? 'GET',
          ...(req.body !== undefined && req.method === 'POST' ? { body: req.body } : {}),
          headers,
          redirect: 'manual',
          signal: ctrl.signal,
        });
      } catch (e) {
        return fail(e);
      }
      const status = res.status;
      const h = res.headers;
      if (status === 408 || status === 429 || status >= 500) {
        await res.body?.cancel().catch(() => {});
        throw new TransientError(`http-${status}`, `HTTP ${status}`, status, parseRetryAfter(h.get('retry-after')));
      }
      if (status >= 300 && status < 400 && status !== 304) {
        await res.body?.cancel().catch(() => {});
        const location = h.get('location');
        if (!location) return { kind: 'http-error', status, error: 'redirect-without-location' };
        let target: string;
        try {
          target = new URL(location, req.url).href;
        } catch {
          return { kind: 'http-error', status, error: 'bad-redirect' };
        }
        return { kind: 'redirect', status, location: target };
      }
      if (status === 304) {
        await res.body?.cancel().catch(() => {});
        return { kind: 'not-modified', status, etag: headerOrUndefined(h, 'etag'), lastModified: headerOrUndefined(h, 'last-modified') };
      }
      if (status >= 400) {
        await res.body?.cancel().catch(() => {});
        return { kind: 'http-error', status, error: `http-${status}` };
      }

      const declared = Number(h.get('content-length') ?? NaN);
      if (Number.isFinite(declared) && declared > this.options.maxBytes && !h.get('content-encoding')) {
        ctrl.abort(new Error('too-large'));
        return { kind: 'too-large', status, declared };
      }
      const chunks: Uint8Array[] = [];
      let total = 0;
      let tooLarge = false;
      try {
        if (res.body) {
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
            total += chunk.length;
            countBytes(chunk.length);
            if (total > this.options.maxBytes) {
              tooLarge = true;
              break;
            }
            chunks.push(chunk);
          }
        }
      } catch (e) {
        return fail(e);
      }
      if (tooLarge) {
        // Stop the transfer now: the server may be sending gigabytes.
        ctrl.abort(new Error('too-large'));
        return { kind: 'too-large', status, declared: Number.isFinite(declared) ? declared : undefined };
      }
      return {
        kind: 'ok',
        status,
        contentType: headerOrUndefined(h, 'content-type'),
        etag: headerOrUndefined(h, 'etag'),
        lastModified: headerOrUndefined(h, 'last-modified'),
        contentDisposition: headerOrUndefined(h, 'content-disposition'),
        bytes: Buffer.concat(chunks, total),
      };
    } finally {
      clearTimeout(timer);
      this.stop?.removeEventListener('abort', onStop);
      // After we cut a connection (timeout, too large) the server may still be busy with it:
      // keep its slot a moment longer rather than send the next request into that.
      if (ctrl.signal.aborted && this.abortGraceMs > 0) setTimeout(release, this.abortGraceMs).unref();
      else release();
    }
  }
}
