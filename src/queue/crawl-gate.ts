/**
 * The politeness gate of a crawl run by a worker: the crawler's own HostGate
 * (which its scheduler reads) in front of a SharedHostGate (./host-gate.ts),
 * so a request starts only when both allow it. The shared gate counts every
 * worker on every machine: two workers never have more than `concurrency`
 * requests in flight on one host, nor start them less than `delayMs` apart.
 */
import { HostGate, type HostGateOptions, type Release } from '../crawl/politeness/host-queue.js';
import type { SharedHostGate } from './host-gate.js';

export class SharedPoliteness extends HostGate {
  constructor(
    private readonly shared: SharedHostGate,
    options: HostGateOptions,
    private readonly onError: (e: Error) => void = () => {},
  ) {
    super(options);
  }

  override setDelay(host: string, delayMs: number): void {
    super.setDelay(host, delayMs);
    this.shared.setDelay(host, delayMs);
  }

  override pause(host: string, ms: number): void {
    super.pause(host, ms);
    this.shared.pause(host, ms).catch(this.onError);
  }

  override async acquire(host: string, signal?: AbortSignal): Promise<Release> {
    const local = await super.acquire(host, signal);
    let shared: () => Promise<void>;
    try {
      shared = await this.shared.acquire(host, signal);
    } catch (e) {
      local();
      throw e;
    }
    return () => {
      // The shared slot first: the local release lets this process's next request ask for one.
      shared().catch(this.onError);
      local();
    };
  }
}
