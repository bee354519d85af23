/** Shared settings for crawler integration tests: fast, but every politeness rule still on. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CrawlOptions } from '../../../src/crawl/options.js';
import type { IngestObserver } from '../../../src/crawl/run.js';

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

/** Records which locations the crawler handed to the ingest service, and what came of them. */
export function countingIngest(): {
  onIngested: IngestObserver;
  calls: Array<{ location: string; hasReport: boolean; documentId: number | null }>;
} {
  const calls: Array<{ location: string; hasReport: boolean; documentId: number | null }> = [];
  return {
    calls,
    onIngested: (submission, out) => {
      calls.push({ location: submission.location, hasReport: out.hasReport, documentId: out.documentId });
    },
  };
}
