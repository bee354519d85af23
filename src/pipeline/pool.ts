/**
 * A small pool of worker threads for reading documents. A document that runs
 * past its time limit, or that kills its worker (out of memory), is recorded
 * as an error and the worker is replaced, so one bad file never stops a batch.
 *
 * Given a database path, workers store their results themselves (each on its
 * own connection, one IMMEDIATE transaction per document); otherwise results
 * come back to the caller.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { documentText } from '../model.js';
import type { DocumentText, LocationKind } from '../store/documents.js';
import { PIPELINE_VERSION } from '../version.js';
import type { IngestOutcome } from './ingest.js';
import { processBytes, sha256Hex, type ProcessInput, type ProcessOptions } from './process.js';
import type { ExtractedDocument } from '../contract/document.js';

export interface PoolOutput {
  doc: ExtractedDocument;
  text: DocumentText | null;
}

export interface StoreTarget {
  location: string;
  kind: LocationKind;
  referrer?: string;
}

export interface WorkerData {
  dbPath?: string;
  /** SharedArrayBuffer of one Int32: 1 while the worker is inside a transaction. */
  busy: SharedArrayBuffer;
}

export interface WorkerJob {
  id: number;
  bytes: ArrayBuffer;
  name: string;
  contentType?: string;
  options: ProcessOptions;
  /** Store the result at this location (pool with a database). */
  store?: StoreTarget;
}

export type WorkerResult = { id: number; out: PoolOutput } | { id: number; stored: IngestOutcome } | { id: number; error: string };

/** What a job ends with: the processed document, or (pool with a database) the outcome of storing it. */
export type JobResult = { out: PoolOutput } | { stored: IngestOutcome };

/** Default time a single document may take in a worker before it is abandoned. */
export const DEFAULT_DOCUMENT_TIMEOUT_MS = 120_000;

const WORKER_URL = new URL('./worker.js', import.meta.url);

/**
 * Old-space limit of each worker. Without one a worker inherits the main
 * thread's (a quarter of RAM) and V8 lets its heap drift upward over a long
 * batch: peak RSS rose from 340 to 650 MB between 1,000 and 10,000 documents.
 * With a limit it stays near 300 MB. A document that needs more is recorded
 * as extract-crashed and retried on the next run.
 */
const WORKER_HEAP_MB = 1024;

/** Workers run compiled JavaScript; from TypeScript sources (tests) there is no worker file. */
export function workersAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_URL));
}

/** A document that could not be read at all: only its identity and the error. */
export function failedOutput(input: ProcessInput, code: string, message: string): PoolOutput {
  return {
    doc: {
      file: input.name,
      sha256: sha256Hex(input.bytes),
      format: null,
      size: input.bytes.length,
      report: null,
      fields: {},
      findings: [],
      errors: [{ code, message }],
      warnings: [],
      extractor: null,
      pipeline_version: PIPELINE_VERSION,
    },
    text: null,
  };
}

/** Reads a document on the calling thread. */
export async function processInline(input: ProcessInput, options: ProcessOptions): Promise<PoolOutput> {
  const { doc, model } = await processBytes(input, options);
  return { doc, text: model ? { title: doc.report?.title ?? model.meta.title ?? '', body: documentText(model) } : null };
}

interface Job {
  input: ProcessInput;
  store?: StoreTarget;
  resolve: (r: JobResult) => void;
}

interface Slot {
  worker: Worker;
  busy: Int32Array;
  job?: Job & { id: number; timer: NodeJS.Timeout };
}

export interface PoolOptions extends ProcessOptions {
  documentTimeoutMs?: number;
  /** Workers store results in this database themselves. */
  dbPath?: string;
}

export class ProcessPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Job[] = [];
  private nextId = 1;
  private closed = false;
  private readonly processOptions: ProcessOptions;

  constructor(
    readonly size: number,
    private readonly options: PoolOptions = {},
  ) {
    this.processOptions = { maxBytes: options.maxBytes, timeoutMs: options.timeoutMs };
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const busy = new SharedArrayBuffer(4);
    const data: WorkerData = { dbPath: this.options.dbPath, busy };
    const slot: Slot = {
      worker: new Worker(WORKER_URL, { workerData: data, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } }),
      busy: new Int32Array(busy),
    };
    slot.worker.on('message', (r: WorkerResult) => {
      const job = slot.job;
      if (!job || job.id !== r.id) return;
      clearTimeout(job.timer);
      slot.job = undefined;
      if ('error' in r) this.fail(job, 'extract-failed', r.error);
      else if ('stored' in r) job.resolve({ stored: r.stored });
      else job.resolve({ out: { ...r.out, doc: { ...r.out.doc, file: job.input.name } } });
      this.pump();
    });
    slot.worker.on('error', (e) => this.replace(slot, 'extract-crashed', `the reader crashed: ${e.message}`));
    slot.worker.on('exit', (code) => {
      if (!this.closed && slot.job) this.replace(slot, 'extract-crashed', `the reader exited with code ${code}`);
    });
    slot.worker.unref();
    return slot;
  }

  /** Ends a job with an error document (stored by the caller when the pool has a database). */
  private fail(job: Job, code: string, message: string): void {
    job.resolve({ out: failedOutput(job.input, code, message) });
  }

  /** Ends the slot's current job with an error and puts a fresh worker in its place. */
  private replace(slot: Slot, code: string, message: string): void {
    const job = slot.job;
    slot.job = undefined;
    if (job) {
      clearTimeout(job.timer);
      this.fail(job, code, message);
    }
    void slot.worker.terminate();
    if (this.closed) return;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots[i] = this.spawn();
    this.pump();
  }

  private onTimeout(slot: Slot, timeout: number): void {
    // Never kill a worker inside a transaction: it could leave its write lock behind. Storing is quick.
    if (Atomics.load(slot.busy, 0) === 1 && slot.job) {
      slot.job.timer = setTimeout(() => this.onTimeout(slot, timeout), 100);
      return;
    }
    this.replace(slot, 'timeout', `reading took longer than ${timeout} ms (--doc-timeout-ms); abandoned`);
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job) continue;
      const next = this.waiting.shift();
      if (!next) return;
      const id = this.nextId++;
      const timeout = this.options.documentTimeoutMs ?? DEFAULT_DOCUMENT_TIMEOUT_MS;
      const timer = setTimeout(() => this.onTimeout(slot, timeout), timeout);
      slot.job = { ...next, id, timer };
      // A copy the worker can own; the caller's buffer stays usable. (Buffer#slice would share memory.)
      const bytes = new Uint8Array(next.input.bytes).buffer as ArrayBuffer;
      const job: WorkerJob = {
        id,
        bytes,
        name: next.input.name,
        contentType: next.input.contentType,
        options: this.processOptions,
        store: this.options.dbPath ? next.store : undefined,
      };
      slot.worker.postMessage(job, [bytes]);
    }
  }

  /** Reads a document; with a database and a `store` target, the worker also stores it. */
  run(input: ProcessInput, store?: StoreTarget): Promise<JobResult> {
    if (this.closed) throw new Error('pool is closed');
    return new Promise((resolve) => {
      this.waiting.push({ input, store, resolve });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
