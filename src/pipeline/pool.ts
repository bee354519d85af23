/**
 * A small pool of worker threads for extraction and mapping. The main thread
 * keeps the database; workers only compute. A document that runs past its
 * time limit, or that kills its worker (out of memory), is recorded as an
 * error and the worker is replaced, so one bad file never stops a batch.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DocumentText } from '../store/documents.js';
import { PIPELINE_VERSION } from '../version.js';
import { processBytes, sha256Hex, type ProcessInput, type ProcessOptions } from './process.js';
import { documentText } from '../model.js';
import type { ExtractedDocument } from './types.js';

export interface WorkerJob {
  id: number;
  bytes: ArrayBuffer;
  name: string;
  contentType?: string;
  options: ProcessOptions;
}

export type WorkerResult = { id: number; doc: ExtractedDocument; text: DocumentText | null } | { id: number; error: string };

export interface PoolOutput {
  doc: ExtractedDocument;
  text: DocumentText | null;
}

/** Default time a single document may take in a worker before it is abandoned. */
export const DEFAULT_DOCUMENT_TIMEOUT_MS = 120_000;

const WORKER_URL = new URL('./worker.js', import.meta.url);

/** Workers run compiled JavaScript; from TypeScript sources (tests) there is no worker file. */
export function workersAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_URL));
}

function failed(input: ProcessInput, code: string, message: string): PoolOutput {
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

interface Slot {
  worker: Worker;
  busy?: { id: number; input: ProcessInput; resolve: (o: PoolOutput) => void; timer: NodeJS.Timeout };
}

export class ProcessPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: { input: ProcessInput; resolve: (o: PoolOutput) => void }[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    readonly size: number,
    private readonly options: ProcessOptions & { documentTimeoutMs?: number } = {},
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(WORKER_URL) };
    slot.worker.on('message', (r: WorkerResult) => {
      const job = slot.busy;
      if (!job || job.id !== r.id) return;
      clearTimeout(job.timer);
      slot.busy = undefined;
      job.resolve('error' in r ? failed(job.input, 'extract-failed', r.error) : { doc: { ...r.doc, file: job.input.name }, text: r.text });
      this.pump();
    });
    slot.worker.on('error', (e) => this.replace(slot, 'extract-crashed', `the reader crashed: ${e.message}`));
    slot.worker.on('exit', (code) => {
      if (!this.closed && slot.busy) this.replace(slot, 'extract-crashed', `the reader exited with code ${code}`);
    });
    slot.worker.unref();
    return slot;
  }

  /** Ends the slot's current job with an error and puts a fresh worker in its place. */
  private replace(slot: Slot, code: string, message: string): void {
    const job = slot.busy;
    slot.busy = undefined;
    if (job) {
      clearTimeout(job.timer);
      job.resolve(failed(job.input, code, message));
    }
    void slot.worker.terminate();
    if (this.closed) return;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots[i] = this.spawn();
    this.pump();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy) continue;
      const next = this.waiting.shift();
      if (!next) return;
      const id = this.nextId++;
      const timeout = this.options.documentTimeoutMs ?? DEFAULT_DOCUMENT_TIMEOUT_MS;
      const timer = setTimeout(
        () => this.replace(slot, 'timeout', `reading took longer than ${timeout} ms (--doc-timeout-ms); abandoned`),
        timeout,
      );
      slot.busy = { id, input: next.input, resolve: next.resolve, timer };
      // A copy the worker can own; the caller's buffer stays usable. (Buffer#slice would share memory.)
      const bytes = new Uint8Array(next.input.bytes).buffer as ArrayBuffer;
      const { documentTimeoutMs: _ignored, ...options } = this.options;
      const job: WorkerJob = { id, bytes, name: next.input.name, contentType: next.input.contentType, options };
      slot.worker.postMessage(job, [bytes]);
    }
  }

  /** Number of documents queued or being read. */
  get pending(): number {
    return this.waiting.length + this.slots.filter((s) => s.busy).length;
  }

  process(input: ProcessInput): Promise<PoolOutput> {
    if (this.closed) throw new Error('pool is closed');
    return new Promise((resolve) => {
      this.waiting.push({ input, resolve });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/** Same interface without threads, for small runs and for tests from sources. */
export async function processInline(input: ProcessInput, options: ProcessOptions): Promise<PoolOutput> {
  const { doc, model } = await processBytes(input, options);
  return { doc, text: model ? { title: doc.report?.title ?? model.meta.title ?? '', body: documentText(model) } : null };
}
