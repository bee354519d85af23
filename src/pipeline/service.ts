/**
 * The one ingest path. Sources (`ogi ingest` for files, `ogi crawl` for URLs,
 * later queue workers) submit bytes with their location; behind `submit`:
 *
 *   known content (sha256 + pipeline version)? → record the location only
 *   read in the worker pool (time and memory limit per document)
 *   the extractor asked for referenced files? → ask the source, read again
 *   one writer (this thread) stores the document in its own transaction
 *
 * and after the batch, `finish()` indexes the batch's texts for search and
 * runs the cross-report rules, once. A stop
 * (the service's signal) is never an outcome: a stopped document is not
 * stored, so the next run reads it.
 */
import type { DocumentStore, Location, SaveStatus } from '../store/store.js';
import { isTransientError } from '../store/documents.js';
import { runCrossReportRules, type CrossReportRule } from '../validate/cross-report.js';
import { PIPELINE_VERSION } from '../version.js';
import { defaultThreads, ExtractionPool } from './pool.js';
import { readWithResources, type ResourceResolver } from './resources.js';
import { sha256Hex, type ProcessOptions } from './process.js';

export type { ResourceResolver };

export interface Submission extends Location {
  bytes: Uint8Array;
  /** Path or URL: format hint, messages, `file` in the output. */
  name: string;
  /** HTTP Content-Type (carries a charset). */
  contentType?: string;
  resources?: ResourceResolver;
}

export type IngestStatus = SaveStatus | 'stopped';

export interface IngestOutcome {
  status: IngestStatus;
  /** null when the document was stopped before it was stored. */
  documentId: number | null;
  sha256: string;
  /** First error code, when the document could not be (fully) read. */
  errorCode: string | null;
  hasReport: boolean;
  /** Hash of the extracted content (src/pipeline/content-hash.ts); null when nothing was extracted. */
  contentHash: string | null;
}

export interface ServiceOptions extends ProcessOptions {
  /** Worker threads; 0 reads on this thread. Default: one per core, at most 8. */
  workers?: number;
  documentTimeoutMs?: number;
  workerMemoryMb?: number;
  /** Stops the service: queued and running reads end as 'stopped' and nothing more is stored. */
  signal?: AbortSignal;
  /** Referenced files asked for by one document, at most (page images of an image-only report). */
  maxResources?: number;
  /** Cross-report rules run by finish() (default: all of src/validate/cross-report.ts). */
  crossReportRules?: readonly CrossReportRule[];
  /** Keep each document's raw bytes in the store, as evidence (default true). */
  keepBytes?: boolean;
}

export class IngestService {
  private readonly pool: ExtractionPool;
  /** Reads of the same bytes in flight: a second submission waits for the first instead of reading again. */
  private readonly inFlight = new Map<string, Promise<IngestOutcome>>();

  constructor(
    readonly store: DocumentStore,
    private readonly options: ServiceOptions = {},
  ) {
    const {
      workers,
      documentTimeoutMs,
      workerMemoryMb,
      signal: _s,
      maxResources: _m,
      crossReportRules: _r,
      keepBytes: _k,
      ...process
    } = options;
    this.pool = new ExtractionPool({ threads: workers ?? defaultThreads(), documentTimeoutMs, workerMemoryMb, process });
  }

  private get keepBytes(): boolean {
    return this.options.keepBytes ?? true;
  }

  get workers(): number {
    return this.pool.threads;
  }

  get stopped(): boolean {
    return this.options.signal?.aborted ?? false;
  }

  async submit(sub: Submission): Promise<IngestOutcome> {
    const sha256 = sha256Hex(sub.bytes);
    const loc: Location = { location: sub.location, kind: sub.kind, referrer: sub.referrer };
    const pending = this.inFlight.get(sha256);
    if (pending) {
      const first = await pending;
      if (first.documentId === null) return first;
      await this.store.touchLocation(first.documentId, loc);
      return { ...first, status: 'unchanged' };
    }
    const p = this.ingest(sub, sha256, loc);
    this.inFlight.set(sha256, p);
    try {
      return await p;
    } finally {
      this.inFlight.delete(sha256);
    }
  }

  private async ingest(sub: Submission, sha256: string, loc: Location): Promise<IngestOutcome> {
    const stopped: IngestOutcome = { status: 'stopped', documentId: null, sha256, errorCode: null, hasReport: false, contentHash: null };
    if (this.stopped) return stopped;
    const known = await this.store.findDocument(sha256);
    if (known && known.pipeline_version === PIPELINE_VERSION && !isTransientError(known.error_code)) {
      await this.store.touchLocation(known.id, loc);
      // A document stored before bytes were kept gets them now.
      if (this.keepBytes && !known.has_bytes) await this.store.saveBytes(known.id, sub.bytes);
      return {
        status: 'unchanged',
        documentId: known.id,
        sha256,
        errorCode: known.error_code,
        hasReport: known.has_report === 1,
        contentHash: known.content_hash,
      };
    }
    const input = { bytes: sub.bytes, name: sub.name, contentType: sub.contentType };
    const read = await readWithResources(this.pool, input, sub.resources, {
      signal: this.options.signal,
      maxResources: this.options.maxResources,
    });
    // Checked again after the read: a stop that came while the writer waited must not store anything either.
    if (read.kind === 'stopped' || this.stopped) return stopped;
    const { doc, text, contentHash } = read.out;
    const saved = await this.store.saveDocument({ doc, text, contentHash, bytes: this.keepBytes ? sub.bytes : undefined }, loc);
    return {
      status: saved.status,
      documentId: saved.id,
      sha256,
      errorCode: doc.errors[0]?.code ?? null,
      hasReport: doc.report !== null,
      contentHash,
    };
  }

  /** The post-batch step: the batch's texts into the search index, then every cross-report rule, once. Returns findings per rule. */
  async finish(): Promise<Record<string, number>> {
    await this.store.indexText();
    return runCrossReportRules(this.store, this.options.crossReportRules);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
