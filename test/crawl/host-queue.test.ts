import { describe, expect, it } from 'vitest';
import { HostGate } from '../../src/crawl/politeness/host-queue.js';
import { DEFAULTS } from '../../src/crawl/options.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('HostGate', () => {
  it('never lets more than `concurrency` requests run on one host', async () => {
    const gate = new HostGate({ concurrency: 2, delayMs: 0 });
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const release = await gate.acquire('h');
        active++;
        peak = Math.max(peak, active);
        await sleep(5);
        active--;
        release();
      }),
    );
    expect(peak).toBe(2);
    expect(gate.maxInFlight('h')).toBe(2);
  });

  it('spaces request starts on one host by delayMs, and hosts do not wait for each other', async () => {
    const gate = new HostGate({ concurrency: 4, delayMs: 60 });
    const starts: Record<string, number[]> = { a: [], b: [] };
    const t0 = Date.now();
    await Promise.all(
      ['a', 'a', 'a', 'b', 'b'].map(async (h) => {
        const release = await gate.acquire(h);
        starts[h].push(Date.now() - t0);
        release();
      }),
    );
    starts.a.sort((x, y) => x - y);
    expect(starts.a[1] - starts.a[0]).toBeGreaterThanOrEqual(55);
    expect(starts.a[2] - starts.a[1]).toBeGreaterThanOrEqual(55);
    // b's first request did not queue behind a's spacing.
    expect(Math.min(...starts.b)).toBeLessThan(starts.a[1]);
  });

  it('raises the spacing for Crawl-delay but never below the option, and pauses a host for Retry-After', async () => {
    const gate = new HostGate({ concurrency: 2, delayMs: 50 });
    gate.setDelay('h', 10);
    expect(gate.delayOf('h')).toBe(50);
    gate.setDelay('h', 2000);
    expect(gate.delayOf('h')).toBe(2000);
    const g2 = new HostGate({ concurrency: 2, delayMs: 0 });
    g2.pause('h', 80);
    const t0 = Date.now();
    (await g2.acquire('h'))();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(75);
  });

  it('gives up waiting when the run stops', async () => {
    const gate = new HostGate({ concurrency: 1, delayMs: 0 });
    const release = await gate.acquire('h');
    const stop = new AbortController();
    const waiting = gate.acquire('h', stop.signal);
    stop.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
    release();
    // The slot is usable again: the aborted waiter did not take it.
    (await gate.acquire('h'))();
  });

  it('has polite defaults: 2 per host, a second between request starts', () => {
    expect(DEFAULTS.concurrency).toBe(2);
    expect(DEFAULTS.delayMs).toBeGreaterThanOrEqual(1000);
    expect(DEFAULTS.retries).toBeGreaterThanOrEqual(2);
    expect(DEFAULTS.userAgent).toMatch(/^ogi\//);
  });
});
