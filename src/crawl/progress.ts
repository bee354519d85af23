/**
 * Progress on stderr for long runs: one line rewritten in place on a
 * terminal, plain lines at an interval otherwise (cron mail, journald, CI).
 */
import { StatusLine, type StatusStream } from '../util/status-line.js';
import type { RunCounts } from '../store/crawl/frontier.js';

export interface ProgressSnapshot extends RunCounts {
  queued: number;
  inFlight: number;
  retries: number;
  elapsedMs: number;
}

export type ProgressStream = StatusStream;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function rate(pages: number, ms: number): string {
  return ms > 0 ? (pages / (ms / 1000)).toFixed(1) : '0.0';
}

export function progressLine(s: ProgressSnapshot): string {
  const docs = s.new + s.changed + s.unchanged;
  return (
    `crawl: ${s.pages} pages, ${docs} documents (${s.new} new, ${s.changed} changed, ${s.unchanged} unchanged), ` +
    `queue ${s.queued}, in flight ${s.inFlight}, errors ${s.failed}, retries ${s.retries}, ` +
    `${rate(s.pages, s.elapsedMs)} pages/s, ${formatBytes(s.bytes)}`
  );
}

export class Progress {
  private timer?: NodeJS.Timeout;
  private readonly line: StatusLine;

  constructor(
    out: ProgressStream,
    private readonly intervalMs: number,
    private readonly snapshot: () => ProgressSnapshot,
  ) {
    this.line = new StatusLine(out);
  }

  start(): void {
    if (this.intervalMs <= 0) return;
    // A terminal gets a live line at least every second; logs get a line per interval.
    const every = this.line.tty ? Math.min(this.intervalMs, 1000) : this.intervalMs;
    this.timer = setInterval(() => this.tick(), every);
    this.timer.unref();
  }

  tick(): void {
    this.line.show(progressLine(this.snapshot()));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.line.end();
  }
}
