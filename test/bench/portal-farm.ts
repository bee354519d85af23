/**
 * A separate process serving N stand-in portals (test/crawl/portal.ts, plain)
 * on N loopback addresses (127.0.1.1, 127.0.1.2 …), so the crawl benchmark
 * measures the crawler's memory and CPU, not the servers'. Prints one JSON
 * line with the origins, then serves until stdin closes or it is killed.
 *
 *   node dist/test/bench/portal-farm.js N [reports] [perPage]
 */
import { startPortal } from '../crawl/portal.js';

const n = Number(process.argv[2] ?? 200);
const reports = Number(process.argv[3] ?? 10);
const perPage = Number(process.argv[4] ?? 4);

/** The i-th loopback address: 127.0.1.1 … 127.0.1.250, 127.0.2.1 … */
export function loopback(i: number): string {
  return `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
}

const portals = await Promise.all(
  Array.from({ length: n }, (_, i) => startPortal({ plain: true, reports, perPage, latencyMs: 0, host: loopback(i), seed: i })),
);
process.stdout.write(JSON.stringify({ origins: portals.map((p) => p.origin) }) + '\n');
const stop = () => void Promise.all(portals.map((p) => p.close())).then(() => process.exit(0));
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
