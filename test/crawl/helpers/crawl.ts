/** Shared settings for crawler integration tests: fast, but every politeness rule still on. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestBytes } from '../../../src/pipeline/ingest.js';
import type { CrawlOptions } from '../../../src/crawl/options.js';
import type { IngestFn } from '../../../src/crawl/run.js';

export const FAST: Partial<CrawlOptions> = {
  delayMs: 0,
  // Generous: on a loaded machine a local request can take a second; timeouts are tested on purpose elsewhere.
  timeoutMs: 5000,
  retries: 2,
  retryBaseMs: 10,
  retryMaxMs: 50,
  maxBytes: 1024 * 1024,
  maxListingPages: 5,
  progressMs: 0,
};

export function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'ogi-crawl-')), 'ogi.sqlite');
}

/** ingestBytes, recording which locations were handed to the pipeline. */
export function countingIngest(): { ingest: IngestFn; calls: Array<{ location: string; hasReport: boolean; documentId: number }> } {
  const calls: Array<{ location: string; hasReport: boolean; documentId: number }> = [];
  return {
    calls,
    ingest: async (db, input, options) => {
      const out = await ingestBytes(db, input, options);
      calls.push({ location: input.location, hasReport: out.hasReport, documentId: out.documentId });
      return out;
    },
  };
}
