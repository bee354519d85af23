import type { Command } from 'commander';
import { formatLimit, LIMIT_SPECS, type LimitSpec, type Limits } from '../contract/limits.js';
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

/** "8 MiB" style sizes as well as plain numbers, for the byte limits. */
function parseLimit(flag: string, unit: LimitSpec['unit']) {
  return (v: string): number => {
    const m = v.trim().match(/^(\d+(?:\.\d+)?)\s*([kmg]i?b?)?$/i);
    const scale = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m?.[2] ?? '').charAt(0).toLowerCase()] ?? 1;
    const n = m && (unit === 'bytes' || !m[2]) ? Math.round(Number(m[1]) * scale) : NaN;
    if (!Number.isInteger(n) || n <= 0)
      throw new CliError(`${flag} must be a positive whole number${unit === 'bytes' ? ' (500k, 8M and 1G work)' : ''}, got "${v}"`);
    return n;
  };
}

/** Commander's camel-case name of a flag: --max-html-depth → maxHtmlDepth. */
function optionName(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The options every command that reads documents shares (extract, ingest): one per budget in LIMIT_SPECS. */
export function withProcessOptions(cmd: Command): Command {
  for (const spec of LIMIT_SPECS) {
    cmd.option(
      `${spec.flag} <n>`,
      `${spec.what} (default ${formatLimit(spec.key, spec.default)}; over it: ${spec.codes.join(', ')})`,
      parseLimit(spec.flag, spec.unit),
    );
  }
  return cmd.option('--timeout-ms <n>', 'the same as --doc-convert-ms (older name)', parsePositiveInt('--timeout-ms'));
}

/** The limits given on the command line (the rest keep their defaults). */
export function limitsFromFlags(opts: Record<string, unknown>): Partial<Limits> {
  const out: Partial<Limits> = {};
  if (typeof opts.timeoutMs === 'number') out.docConvertMs = opts.timeoutMs;
  for (const spec of LIMIT_SPECS) {
    const v = opts[optionName(spec.flag)];
    if (typeof v === 'number') out[spec.key] = v;
  }
  return out;
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
