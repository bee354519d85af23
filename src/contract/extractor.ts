import type { DocumentModel, Format } from '../model.js';
import type { Limits } from './limits.js';

/** What an extractor receives. Extractors never touch the file system or the network. */
export interface ExtractInput {
  bytes: Uint8Array;
  /** File path or URL, for messages and locations only. */
  name: string;
  /** HTTP Content-Type header when the bytes came from the web (carries a charset). */
  contentType?: string;
  /**
   * Files the document refers to (the page images of an image-only report), by
   * the reference the extractor listed in `meta.resources`. Supplied by the
   * source (a local folder, the crawler); extractors never fetch them.
   */
  resources?: ReadonlyMap<string, Uint8Array>;
}

export interface ExtractOptions {
  /** Abort long-running work (PDF pages, LibreOffice) when this fires. */
  signal?: AbortSignal;
  /** Size of the file in bytes (`--max-bytes`); the same as `limits.fileBytes`, which wins when both are given. */
  maxBytes?: number;
  /** Milliseconds allowed for external converters (soffice); the same as `limits.docConvertMs`. */
  timeoutMs?: number;
  /**
   * Asks for more time before the document's time limit: an extractor that
   * learns its document needs heavy work (OCR of n pages) says so, and the
   * limit grows by `ms` (within the pool's cap). Absent when there is no limit.
   */
  extendTime?: (ms: number) => void;
  /** Budgets per reader (src/contract/limits.ts); each one left out keeps its default. */
  limits?: Partial<Limits>;
}

/** One backend per format, as in docling: reads bytes into the document model, nothing more. */
export interface Extractor {
  format: Format;
  extract(input: ExtractInput, options: ExtractOptions): Promise<DocumentModel>;
}

/**
 * A document that cannot be read. `code` is stable and documented in the README;
 * scripts filter on it. Throw this from extractors; anything else thrown is
 * recorded as `extract-failed`.
 */
export class ExtractError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ExtractError';
  }
}

/** Throws the one error every extractor uses for a stop; the pipeline never stores it as an outcome. */
export function throwIfAborted(signal: AbortSignal | undefined, name: string): void {
  if (signal?.aborted) throw abortError(name);
}

export function abortError(name: string): ExtractError {
  return new ExtractError('aborted', `${name}: extraction stopped`);
}

/**
 * Lets timers and messages run between two steps of a long read (a PDF page).
 * Without it a read made only of promise chains never gives the event loop a
 * turn, so neither a stop nor the worker's cancel poll could reach it.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
