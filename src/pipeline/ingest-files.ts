/**
 * Ingesting files from disk. Reading and storing happen on the main thread,
 * extraction and mapping in a pool of worker threads (one per core by
 * default). Each document is stored in its own transaction as soon as it is
 * ready. Memory stays flat whatever the number of files: at most a few
 * documents are in flight, and nothing is kept per file but counters.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { DB } from '../store/db.js';
import { recomputeCarryover } from '../store/carryover.js';
import { ingestIfKnown, storeProcessed, type IngestInput, type IngestOutcome } from './ingest.js';
import { processInline, ProcessPool, workersAvailable } from './pool.js';
import type { ProcessOptions } from './process.js';

export interface IngestStats {
  files: number;
  new: number;
  reprocessed: number;
  unchanged: number;
  /** Stored with an error code (still processed). */
  withErrors: number;
  /** Could not be read from disk at all. */
  unreadable: number;
  bytes: number;
  carryoverFindings: number;
}

export interface IngestFilesOptions extends ProcessOptions {
  /** Worker threads for extraction; 0 reads documents on the main thread. Default: one per core. */
  workers?: number;
  /** Time one document may take in a worker before it is recorded as 'timeout'. */
  documentTimeoutMs?: number;
  onProgress?: (done: number, stats: IngestStats) => void;
  onUnreadable?: (file: string, reason: string) => void;
}

export function defaultWorkers(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

export async function ingestFiles(db: DB, files: string[], options: IngestFilesOptions = {}): Promise<IngestStats> {
  const stats: IngestStats = {
    files: files.length,
    new: 0,
    reprocessed: 0,
    unchanged: 0,
    withErrors: 0,
    unreadable: 0,
    bytes: 0,
    carryoverFindings: 0,
  };
  const wanted = options.workers ?? defaultWorkers();
  // Threads pay off only for batches; a handful of files is faster inline.
  const processOptions: ProcessOptions = { maxBytes: options.maxBytes, timeoutMs: options.timeoutMs };
  const pool =
    wanted > 0 && files.length > 4 && workersAvailable()
      ? new ProcessPool(Math.min(wanted, files.length), {
          ...processOptions,
          documentTimeoutMs: options.documentTimeoutMs,
          dbPath: db.name,
        })
      : undefined;
  const run = async (input: IngestInput): Promise<IngestOutcome> => {
    if (!pool) return storeProcessed(db, input, await processInline({ bytes: input.bytes, name: input.name }, processOptions));
    const r = await pool.run({ bytes: input.bytes, name: input.name }, { location: input.location, kind: input.kind });
    // Workers store what they read; a document they could not finish (timeout, crash) is stored here.
    return 'stored' in r ? r.stored : storeProcessed(db, input, r.out);
  };
  const inFlightMax = pool ? pool.size * 2 : 1;
  const inFlight = new Set<Promise<void>>();
  let done = 0;

  const finish = (outcome: IngestOutcome | undefined) => {
    if (outcome) {
      stats[outcome.status]++;
      if (outcome.errorCode && outcome.status !== 'unchanged') stats.withErrors++;
    }
    options.onProgress?.(++done, stats);
  };

  try {
    for (const file of files) {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (e) {
        stats.unreadable++;
        options.onUnreadable?.(file, (e as Error).message);
        finish(undefined);
        continue;
      }
      stats.bytes += bytes.length;
      const input: IngestInput = { bytes, name: file, location: resolve(file), kind: 'file' };
      const known = ingestIfKnown(db, input);
      if (known) {
        finish(known);
        continue;
      }
      const p: Promise<void> = run(input).then(finish);
      const tracked = p.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      if (inFlight.size >= inFlightMax) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    await pool?.close();
  }
  stats.carryoverFindings = recomputeCarryover(db);
  return stats;
}
