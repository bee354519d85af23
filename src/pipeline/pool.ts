/**
 * Worker threads that read documents, on piscina: it replaces a crashed
 * worker, terminates one whose task is aborted, and applies V8 heap limits.
 * On top of it this module adds what ingest needs: a time limit per document
 * (a synchronous parser cannot be interrupted from inside, only terminated),
 * the difference between a stop (not an outcome: nothing is stored) and a
 * document that cost too much (an outcome: `timeout`, `out-of-memory`,
 * `extract-crashed`), and an inline mode (threads 0) for debugging.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { ProcessInput, ProcessOptions } from './process.js';
import { ReadControl } from './read-control.js';
import { failedRead, readDocument, type ReadOutput } from './read.js';
import type { WorkerTask } from './worker.js';

/** Default time one document may take before it is abandoned as `timeout`. */
export const DEFAULT_DOCUMENT_TIMEOUT_MS = 120_000;

/**
 * Default V8 old-space limit of each worker. Without one a worker inherits
 * the main thread's (a quarter of RAM) and lets its heap drift upward over a
 * long batch: peak RSS rose from 340 to 650 MB between 1,000 and 10,000
 * documents. A document that needs more is recorded as `out-of-memory`.
 */
export const DEFAULT_WORKER_MEMORY_MB = 1024;

export function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

export interface PoolOptions {
  /** Worker threads; 0 reads on the calling thread (no time or memory limit can be enforced then). */
  threads: number;
  documentTimeoutMs?: number;
  workerMemoryMb?: number;
  process?: ProcessOptions;
}

export type PoolResult = { kind: 'read'; out: ReadOutput } | { kind: 'stopped' };

/** After a cooperative cancel, the time a worker gets to wind down (kill its child processes) before it is terminated. */
const CANCEL_GRACE_MS = 2000;

/** Extra time an extractor may ask for (extendTime) on top of the limit, at most (90 scanned pages at 20 s). */
export const MAX_EXTRA_MS = 30 * 60_000;

// Compiled: worker.js beside this file. From the TypeScript sources (only tests run them), a worker
// needs a loader for .ts: the repository's own module hooks (tsx's do not reach worker threads on Node 20).
const FROM_SOURCES = import.meta.url.endsWith('.ts');
const WORKER = new URL(FROM_SOURCES ? './worker.ts' : './worker.js', import.meta.url);
const SOURCE_HOOKS = new URL('../../test/helpers/ts-register.mjs', import.meta.url);

export class ExtractionPool {
  private piscina?: Piscina<WorkerTask, ReadOutput>;
  private readonly timeoutMs: number;
  private readonly memoryMb: number;
  private readonly processOptions: ProcessOptions;

  constructor(private readonly options: PoolOptions) {
    this.timeoutMs = options.documentTimeoutMs ?? DEFAULT_DOCUMENT_TIMEOUT_MS;
    this.memoryMb = options.workerMemoryMb ?? DEFAULT_WORKER_MEMORY_MB;
    // An AbortSignal cannot cross into a worker: the pool terminates the worker instead.
    const { signal: _signal, extendTime: _extend, ...rest } = options.process ?? {};
    this.processOptions = rest;
  }

  get threads(): number {
    return this.options.threads;
  }

  /** Reads one document. `stop` cancels it: the result is 'stopped', never an error document. */
  async run(input: ProcessInput, stop?: AbortSignal): Promise<PoolResult> {
    if (stop?.aborted) return { kind: 'stopped' };
    // One cancel per document, raised by the stop or the time limit: cooperative at once, forced after a grace period.
    const control = new ReadControl();
    const ac = new AbortController();
    let timedOut = false;
    let grace: NodeJS.Timeout | undefined;
    const cancelRead = (reason: string) => {
      if (ac.signal.aborted || grace) return;
      control.cancel();
      // Inline reads see the signal directly; a worker gets the grace period to stop on its own.
      if (this.options.threads === 0) ac.abort(new Error(reason));
      else grace = setTimeout(() => ac.abort(new Error(reason)), CANCEL_GRACE_MS);
    };
    // The limit grows by what the extractor asked for (OCR pages), up to MAX_EXTRA_MS.
    const started = Date.now();
    const limit = () => this.timeoutMs + Math.min(control.extraMs, MAX_EXTRA_MS);
    let timer: NodeJS.Timeout | undefined;
    const arm = (ms: number) => {
      timer = setTimeout(() => {
        const left = started + limit() - Date.now();
        if (left > 0) return arm(left);
        timedOut = true;
        cancelRead('timeout');
      }, ms);
    };
    arm(this.timeoutMs);
    const onStop = () => cancelRead('stopped');
    stop?.addEventListener('abort', onStop, { once: true });
    try {
      return await this.read(input, ac.signal, control, () => {
        if (stop?.aborted) return { kind: 'stopped' };
        if (!timedOut) return undefined;
        const extra = limit() - this.timeoutMs;
        const why = `reading took longer than ${limit()} ms (--doc-timeout-ms ${this.timeoutMs}${extra ? ` + ${extra} asked for by the reader` : ''}); abandoned`;
        return { kind: 'read', out: failedRead(input, 'timeout', why) };
      });
    } finally {
      clearTimeout(timer);
      clearTimeout(grace);
      stop?.removeEventListener('abort', onStop);
    }
  }

  private async read(
    input: ProcessInput,
    signal: AbortSignal,
    control: ReadControl,
    ended: () => PoolResult | undefined,
  ): Promise<PoolResult> {
    // Extractors end a cancelled read with 'aborted'; that is the stop or the time limit, not the document.
    const settle = (out: ReadOutput): PoolResult =>
      out.doc.errors.some((e) => e.code === 'aborted') ? (ended() ?? { kind: 'read', out }) : { kind: 'read', out };
    if (this.options.threads === 0) {
      return settle(await readDocument(input, { ...this.processOptions, signal, extendTime: (ms) => control.extend(ms) }));
    }
    // A copy the worker can own; the caller's buffer stays usable.
    const bytes = new Uint8Array(input.bytes);
    const resources = input.resources ? [...input.resources].map(([k, v]) => [k, new Uint8Array(v)] as [string, Uint8Array]) : undefined;
    const task: WorkerTask = {
      bytes,
      name: input.name,
      contentType: input.contentType,
      resources,
      options: this.processOptions,
      control: control.buffer,
    };
    try {
      const out = await this.pool().run(task, {
        signal,
        transferList: [bytes.buffer as ArrayBuffer, ...(resources ?? []).map(([, v]) => v.buffer as ArrayBuffer)],
      });
      return settle(out);
    } catch (e) {
      const stopped = ended();
      if (stopped) return stopped;
      const err = e as NodeJS.ErrnoException;
      if (err?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        return {
          kind: 'read',
          out: failedRead(input, 'out-of-memory', `the reader ran out of its ${this.memoryMb} MB heap (--worker-memory-mb)`),
        };
      }
      return { kind: 'read', out: failedRead(input, 'extract-crashed', `the reader crashed: ${err?.message ?? String(e)}`) };
    }
  }

  private pool(): Piscina<WorkerTask, ReadOutput> {
    if (this.piscina) return this.piscina;
    this.piscina = new Piscina<WorkerTask, ReadOutput>({
      filename: WORKER.href,
      minThreads: this.options.threads,
      maxThreads: this.options.threads,
      // Tasks await pdf.js and child processes: a worker must not block its event loop between tasks.
      atomics: 'disabled',
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb },
      execArgv: FROM_SOURCES ? ['--import', SOURCE_HOOKS.href] : [],
    });
    // Each failed task already rejects its own promise; a pool-level 'error' event adds nothing, but unheard it would throw.
    this.piscina.on('error', () => undefined);
    return this.piscina;
  }

  async close(): Promise<void> {
    await this.piscina?.destroy();
    this.piscina = undefined;
  }
}
