import type { Command } from 'commander';
import { DEFAULT_DOCUMENT_TIMEOUT_MS, DEFAULT_WORKER_MEMORY_MB, defaultThreads } from '../pipeline/pool.js';

/**
 * Exit codes (spec/contract.md):
 * 0 every input was processed (a document whose error was recorded counts as processed);
 * 1 the command failed as a whole: bad arguments, an unreadable database;
 * 2 some inputs could not be read at all, e.g. a missing file.
 */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_SOME_UNREADABLE = 2;

/** An error that ends the command with a message and no stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = EXIT_FAILED,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function parsePositiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new CliError(`${name} must be a positive whole number, got "${v}"`);
    return n;
  };
}

export function parseCount(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new CliError(`${name} must be 0 or a positive whole number, got "${v}"`);
    return n;
  };
}

/** The options every command that reads documents shares (extract, ingest). */
export function withProcessOptions(cmd: Command): Command {
  return cmd
    .option('--max-bytes <n>', 'record files larger than this as file-too-large (default 100 MiB)', parsePositiveInt('--max-bytes'))
    .option(
      '--timeout-ms <n>',
      'time allowed for external converters such as LibreOffice (default 60000)',
      parsePositiveInt('--timeout-ms'),
    );
}

/** How documents are read (worker threads and their limits): ingest and crawl share these. */
export interface ReaderFlags {
  workers?: number;
  docTimeoutMs?: number;
  workerMemoryMb?: number;
  keepBytes?: boolean;
}

export function withReaderOptions(cmd: Command): Command {
  return cmd
    .option(
      '--workers <n>',
      `worker threads reading documents (0: read on the main thread, without time or memory limits; default ${defaultThreads()}, one per core)`,
      parseCount('--workers'),
    )
    .option(
      '--doc-timeout-ms <n>',
      `time one document may take before it is recorded as timeout (default ${DEFAULT_DOCUMENT_TIMEOUT_MS})`,
      parsePositiveInt('--doc-timeout-ms'),
    )
    .option(
      '--worker-memory-mb <n>',
      `heap one worker may use before its document is recorded as out-of-memory (default ${DEFAULT_WORKER_MEMORY_MB})`,
      parsePositiveInt('--worker-memory-mb'),
    )
    .option('--no-keep-bytes', "don't keep each document's raw bytes in the database (kept by default: evidence for review and edits)");
}
