/**
 * What the pool (main thread) and a worker share about one read, in a
 * SharedArrayBuffer because neither an AbortSignal nor a callback can cross
 * threads: a cancel flag the worker polls, and the extra time the extractor
 * asked for (OCR of many pages legitimately takes longer than a text report).
 */
const CANCEL = 0;
const EXTRA_SECONDS = 1;

export class ReadControl {
  private readonly view: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(8)) {
    this.view = new Int32Array(buffer);
  }

  cancel(): void {
    Atomics.store(this.view, CANCEL, 1);
  }

  get cancelled(): boolean {
    return Atomics.load(this.view, CANCEL) !== 0;
  }

  /** Adds to the document's time limit (whole seconds, rounded up). */
  extend(ms: number): void {
    if (ms > 0) Atomics.add(this.view, EXTRA_SECONDS, Math.ceil(ms / 1000));
  }

  get extraMs(): number {
    return Atomics.load(this.view, EXTRA_SECONDS) * 1000;
  }
}
