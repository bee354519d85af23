/**
 * The shared per-host politeness gate: several workers (each its own
 * session) against one stand-in host never have more requests in flight than
 * the setting, space their starts, honour a pause set by another worker, and a
 * worker whose session dies frees its slots.
 */
import { createServer, type Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import { SharedHostGate } from '../../src/queue/host-gate.js';
import { pgRows } from '../helpers/engine-inputs.js';
import { freshDatabase, PG_URL } from '../helpers/pg.js';

/** A host that counts the requests in flight and remembers when each started. */
async function standIn(holdMs: number): Promise<{ url: string; maxInFlight: () => number; starts: number[]; close: () => Promise<void> }> {
  let inFlight = 0;
  let max = 0;
  const starts: number[] = [];
  const server: Server = createServer((_req, res) => {
    inFlight++;
    max = Math.max(max, inFlight);
    starts.push(performance.now());
    setTimeout(() => {
      inFlight--;
      res.end('ok');
    }, holdMs);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    maxInFlight: () => max,
    starts,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe.skipIf(!PG_URL)('SharedHostGate: politeness across workers', () => {
  it('three workers, eight requests each, concurrency 2: never more than 2 in flight at the host, starts spaced', async () => {
    const url = await freshDatabase();
    const host = await standIn(40);
    const delayMs = 15;
    const gates = await Promise.all([1, 2, 3].map(() => SharedHostGate.open(url, { concurrency: 2, delayMs })));
    try {
      const started = performance.now();
      await Promise.all(
        gates.flatMap((g) =>
          Array.from({ length: 8 }, async () => {
            const release = await g.acquire('127.0.0.1');
            try {
              await (await fetch(host.url)).text();
            } finally {
              await release();
            }
          }),
        ),
      );
      expect(host.starts).toHaveLength(24);
      expect(host.maxInFlight()).toBeLessThanOrEqual(2);
      expect(host.maxInFlight()).toBe(2); // and the gate does let two through
      // Starts are reserved delayMs apart: 24 starts take at least 23 delays.
      expect(performance.now() - started).toBeGreaterThanOrEqual(23 * delayMs);
      expect(await gates[0].inFlight('127.0.0.1')).toBe(0);
    } finally {
      await Promise.all(gates.map((g) => g.close()));
      await host.close();
    }
  });

  it('a worker whose session dies frees its slots; a pause set by one worker holds the others', async () => {
    const url = await freshDatabase();
    const a = await SharedHostGate.open(url, { concurrency: 2, delayMs: 0 }, 'ogi gate a');
    const b = await SharedHostGate.open(url, { concurrency: 2, delayMs: 0 }, 'ogi gate b');
    try {
      await a.acquire('h.example');
      await a.acquire('h.example');
      expect(await b.inFlight('h.example')).toBe(2);
      let got = false;
      const waiting = b.acquire('h.example').then((release) => {
        got = true;
        return release;
      });
      await new Promise((r) => setTimeout(r, 200));
      expect(got).toBe(false);
      // The worker holding both slots dies (its connection is cut, as by kill -9).
      await pgRows(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ogi gate a'");
      await (
        await waiting
      )();
      expect(got).toBe(true);

      await b.pause('h.example', 400);
      const t0 = performance.now();
      await (
        await b.acquire('h.example')
      )();
      expect(performance.now() - t0).toBeGreaterThanOrEqual(300);
    } finally {
      await a.close().catch(() => {});
      await b.close();
    }
  });
});
