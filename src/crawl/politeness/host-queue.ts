/**
 * Politeness per host: at most `concurrency` requests in flight, and request
 * starts spaced by at least `delayMs` (raised by robots.txt Crawl-delay, and
 * pushed back by Retry-After). Fetching code asks for a slot around each
 * single HTTP attempt, so back-off waits between retries never hold a slot.
 */

export interface HostGateOptions {
  /** Requests in flight per host. */
  concurrency: number;
  /** Minimum milliseconds between two request starts on one host. */
  delayMs: number;
}

interface HostState {
  active: number;
  delayMs: number;
  /** Earliest time (ms epoch) the next request may start. */
  nextStart: number;
  waiters: Array<() => void>;
  maxActive: number;
  requests: number;
}

export type Release = () => void;

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

/** Waits `ms`; a stop rejects with the signal's reason (the shared host gate waits the same way). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class HostGate {
  private readonly hosts = new Map<string, HostState>();
  /** Called whenever a slot is freed (the scheduler looks for work then). */
  onRelease?: () => void;

  constructor(private readonly options: HostGateOptions) {
    if (!(options.concurrency >= 1)) throw new RangeError('concurrency must be at least 1');
    if (!(options.delayMs >= 0)) throw new RangeError('delayMs must be 0 or more');
  }

  private state(host: string): HostState {
    let s = this.hosts.get(host);
    if (!s) {
      s = { active: 0, delayMs: this.options.delayMs, nextStart: 0, waiters: [], maxActive: 0, requests: 0 };
      this.hosts.set(host, s);
    }
    return s;
  }

  /** Raises the spacing for one host (robots.txt Crawl-delay); never lowers it below the option. */
  setDelay(host: string, delayMs: number): void {
    const s = this.state(host);
    s.delayMs = Math.max(this.options.delayMs, delayMs);
  }

  delayOf(host: string): number {
    return this.state(host).delayMs;
  }

  /** No request to this host starts before `ms` from now (Retry-After). */
  pause(host: string, ms: number): void {
    const s = this.state(host);
    s.nextStart = Math.max(s.nextStart, Date.now() + ms);
  }

  /** Waits for a slot on `host` and for its spacing; resolves with the function that frees the slot. */
  async acquire(host: string, signal?: AbortSignal): Promise<Release> {
    const s = this.state(host);
    while (s.active >= this.options.concurrency) {
      if (signal?.aborted) throw abortError(signal);
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal?.removeEventListener('abort', wake);
          const i = s.waiters.indexOf(wake);
          if (i >= 0) s.waiters.splice(i, 1);
          resolve();
        };
        s.waiters.push(wake);
        signal?.addEventListener('abort', wake, { once: true });
      });
    }
    if (signal?.aborted) throw abortError(signal);
    s.active++;
    s.maxActive = Math.max(s.maxActive, s.active);
    let released = false;
    const release: Release = () => {
      if (released) return;
      released = true;
      s.active--;
      s.waiters.shift()?.();
      this.onRelease?.();
    };
    try {
      // Spacing counts from the real start of the previous request: when a timer fires
      // late on a busy machine, the next request waits its full delay after it anyway.
      for (let wait = s.nextStart - Date.now(); wait > 0; wait = s.nextStart - Date.now()) await sleep(wait, signal);
    } catch (e) {
      release();
      throw e;
    }
    s.nextStart = Date.now() + s.delayMs;
    s.requests++;
    return release;
  }

  /**
   * Milliseconds until a request to `host` could start: 0 when a slot is free
   * and its spacing has passed, Infinity while every slot is taken (a release
   * wakes the scheduler). Does not create state for a host never seen.
   */
  readyIn(host: string, now = Date.now()): number {
    const s = this.hosts.get(host);
    if (!s) return 0;
    if (s.active + s.waiters.length >= this.options.concurrency) return Infinity;
    return Math.max(0, s.nextStart - now);
  }

  /** Largest number of slots ever held at once on `host` (for tests and progress). */
  maxInFlight(host: string): number {
    return this.hosts.get(host)?.maxActive ?? 0;
  }

  inFlight(host: string): number {
    return this.hosts.get(host)?.active ?? 0;
  }
}
