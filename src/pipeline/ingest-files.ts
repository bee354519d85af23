/**
 * Ingesting files from disk. One document at a time, each in its own
 * transaction; the next file is read while the current one is processed.
 * Memory stays flat whatever the number of files: nothing is kept per file
 * but counters.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DB } from '../store/db.js';
import { recomputeCarryover } from '../store/carryover.js';
import { ingestBytes } from './ingest.js';
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
  onProgress?: (done: number, stats: IngestStats) => void;
  onUnreadable?: (file: string, reason: string) => void;
}

async function read(file: string): Promise<Buffer | Error> {
  try {
    return await readFile(file);
  } catch (e) {
    return e as Error;
  }
}

export async function ingestFiles(db: DB, files: string[], options: IngestFilesOptions = {}): Promise<IngestStats> {
  const stats: IngestStats = { files: files.length, new: 0, reprocessed: 0, unchanged: 0, withErrors: 0, unreadable: 0, bytes: 0, carryoverFindings: 0 };
  let next = files.length ? read(files[0]) : undefined;
  for (let i = 0; i < files.length; i++) {
    const bytes = await next!;
    next = i + 1 < files.length ? read(files[i + 1]) : undefined;
    const file = files[i];
    if (bytes instanceof Error) {
      stats.unreadable++;
      options.onUnreadable?.(file, bytes.message);
    } else {
      stats.bytes += bytes.length;
      const out = await ingestBytes(db, { bytes, name: file, location: resolve(file), kind: 'file' }, options);
      stats[out.status]++;
      if (out.errorCode && out.status !== 'unchanged') stats.withErrors++;
    }
    options.onProgress?.(i + 1, stats);
  }
  stats.carryoverFindings = recomputeCarryover(db);
  return stats;
}
