/**
 * The file source: reads files from disk and submits them to the ingest
 * service, a bounded number at a time, so memory stays flat whatever the
 * number of files (nothing is kept per file but counters).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { localResources } from '../sources/local-resources.js';
import type { IngestOutcome, IngestService } from './service.js';

export interface IngestStats {
  files: number;
  new: number;
  reprocessed: number;
  unchanged: number;
  /** Stored with an error code (still processed). */
  withErrors: number;
  /** Could not be read from disk at all. */
  unreadable: number;
  /** Not read because the run was stopped; the next run reads them. */
  stopped: number;
  bytes: number;
}

export interface IngestFilesOptions {
  onProgress?: (done: number, stats: IngestStats) => void;
  onUnreadable?: (file: string, reason: string) => void;
}

export function emptyStats(files: number): IngestStats {
  return { files, new: 0, reprocessed: 0, unchanged: 0, withErrors: 0, unreadable: 0, stopped: 0, bytes: 0 };
}

/** Counts one outcome into the stats (shared with the crawler's summary). */
export function countOutcome(stats: IngestStats, outcome: IngestOutcome): void {
  stats[outcome.status]++;
  if (outcome.errorCode && (outcome.status === 'new' || outcome.status === 'reprocessed')) stats.withErrors++;
}

export async function ingestFiles(service: IngestService, files: string[], options: IngestFilesOptions = {}): Promise<IngestStats> {
  const stats = emptyStats(files.length);
  // Enough reads queued to keep every worker busy while this thread reads files and stores results.
  const window = Math.max(2, service.workers * 2);
  const inFlight = new Set<Promise<void>>();
  let done = 0;
  const finish = (outcome: IngestOutcome | undefined) => {
    if (outcome) countOutcome(stats, outcome);
    options.onProgress?.(++done, stats);
  };

  for (const file of files) {
    if (service.stopped) {
      stats.stopped++;
      finish(undefined);
      continue;
    }
    let bytes: Buffer;
    try {
      // Sync: a report is tens of kilobytes, and fs.promises.readFile costs ten times the CPU of readFileSync here.
      bytes = readFileSync(file);
    } catch (e) {
      stats.unreadable++;
      options.onUnreadable?.(file, (e as Error).message);
      finish(undefined);
      continue;
    }
    stats.bytes += bytes.length;
    const p: Promise<void> = service
      .submit({ bytes, name: file, location: resolve(file), kind: 'file', resources: localResources(file) })
      .then(finish);
    const tracked = p.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= window) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return stats;
}
