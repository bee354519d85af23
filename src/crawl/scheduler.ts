/**
 * Per-host scheduling for crawls of many portals: an item is taken from the
 * frontier only for a host whose politeness allows a request now (a free slot
 * and its delay passed), so a host waiting for its turn never holds a task
 * another host could use. Each host has at most `concurrency` items before
 * their own request is done, and at most twice that in progress (storing,
 * extracting included). State is one small entry per host, the
 * queue itself stays in the store: memory does not grow with the number of hosts
 * beyond that.
 */
import type { FrontierItem } from '../store/crawl/frontier.js';
import type { CrawlFrontier } from '../store/crawl/types.js';
import type { HostGate } from './politeness/host-queue.js';

export interface SchedulerOptions {
  /** Items per host before their request is done (= requests in flight per host). */
  concurrency: number;
  /** Items in progress at once over all hosts. */
  maxTasks: number;
  /**
   * Items in progress at once on one host, fetched or not (default 2 × concurrency): items
   * waiting for the ingest service stay few, so a killed run repeats few requests on resume.
   */
  perHostTasks?: number;
  /** True once nothing more may be fetched at all (--max-pages): what is queued stays queued. */
  exhausted?: () => boolean;
  /** False for a host that may fetch nothing more (--max-pages-per-host): it is dropped from the rotation. */
  hostOpen?: (host: string) => boolean;
}

export type ProcessFn = (item: FrontierItem, fetched: () => void) => Promise<void>;

export class HostScheduler {
  /** Hosts that may have queued items, in turn order. */
  private readonly withWork = new Set<string>();
  private readonly busy = new Map<string, number>();
  private readonly inProgress = new Map<string, number>();
  private running = 0;
  private readonly tasks = new Set<Promise<void>>();
  private wake?: () => void;
  /** A poke that came while the loop was not idle (awaiting the store): the next idle() returns at once. */
  private poked = false;

  constructor(
    private readonly fr: CrawlFrontier,
    private readonly gate: HostGate,
    private readonly options: SchedulerOptions,
    private readonly process: ProcessFn,
    private readonly stop: AbortSignal,
    private readonly onError: (item: FrontierItem, e: unknown) => void | Promise<void>,
  ) {
    fr.onQueued = (h) => {
      this.withWork.add(h);
      this.poke();
    };
    stop.addEventListener('abort', () => this.poke(), { once: true });
    gate.onRelease = () => this.poke();
  }

  private poke(): void {
    const w = this.wake;
    this.wake = undefined;
    if (w) w();
    else this.poked = true;
  }

  private idle(ms: number): Promise<void> {
    if (this.poked) {
      this.poked = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const t = Number.isFinite(ms) ? setTimeout(() => this.poke(), Math.max(1, ms)) : undefined;
      this.wake = () => {
        if (t) clearTimeout(t);
        resolve();
      };
    });
  }

  /** Runs until the frontier has nothing queued and nothing is in progress (or the run stops). */
  async run(): Promise<void> {
    for (const h of await this.fr.queuedHosts()) this.withWork.add(h);
    while (!this.stop.aborted && !this.options.exhausted?.()) {
      let soonest = Infinity;
      const now = Date.now();
      for (const host of [...this.withWork]) {
        if (this.running >= this.options.maxTasks) break;
        if (this.options.hostOpen && !this.options.hostOpen(host)) {
          this.withWork.delete(host);
          continue;
        }
        if ((this.busy.get(host) ?? 0) >= this.options.concurrency) continue;
        if ((this.inProgress.get(host) ?? 0) >= (this.options.perHostTasks ?? 2 * this.options.concurrency)) continue;
        const wait = this.gate.readyIn(host, now);
        if (wait > 0) {
          soonest = Math.min(soonest, wait);
          continue;
        }
        const item = await this.fr.claimFor(host);
        if (!item) {
          this.withWork.delete(host);
          continue;
        }
        // Take turns: the host goes to the back of the line.
        this.withWork.delete(host);
        this.withWork.add(host);
        this.start(item, host);
      }
      if (this.running === 0 && this.withWork.size === 0) {
        const left = (await this.fr.queuedHosts()).filter((h) => this.options.hostOpen?.(h) ?? true);
        if (left.length === 0) break;
        for (const h of left) this.withWork.add(h);
        continue;
      }
      await this.idle(soonest);
    }
    await Promise.allSettled([...this.tasks]);
  }

  private start(item: FrontierItem, host: string): void {
    this.running++;
    this.busy.set(host, (this.busy.get(host) ?? 0) + 1);
    this.inProgress.set(host, (this.inProgress.get(host) ?? 0) + 1);
    let released = false;
    const fetched = () => {
      if (released) return;
      released = true;
      const n = (this.busy.get(host) ?? 1) - 1;
      if (n > 0) this.busy.set(host, n);
      else this.busy.delete(host);
      this.poke();
    };
    const task = this.process(item, fetched)
      .catch((e: unknown) => this.onError(item, e))
      .finally(() => {
        fetched();
        this.running--;
        const n = (this.inProgress.get(host) ?? 1) - 1;
        if (n > 0) this.inProgress.set(host, n);
        else this.inProgress.delete(host);
        this.tasks.delete(task);
        this.poke();
      });
    this.tasks.add(task);
  }
}
