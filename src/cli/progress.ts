/**
 * Ingest progress on stderr: at most every 200 ms on a terminal, every 5 s in
 * logs, with the rate so far.
 */
import { StatusLine } from '../util/status-line.js';

export class Progress {
  private last = 0;
  private readonly started = Date.now();
  private readonly line: StatusLine;
  private readonly intervalMs: number;

  constructor(
    private readonly label: string,
    private readonly total: number,
    stream: NodeJS.WriteStream = process.stderr,
    private readonly enabled = true,
  ) {
    this.line = new StatusLine(stream);
    this.intervalMs = this.line.tty ? 200 : 5000;
  }

  update(done: number, detail: string, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.last < this.intervalMs) return;
    this.last = now;
    const secs = (now - this.started) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    const pct = this.total ? ` (${Math.floor((100 * done) / this.total)}%)` : '';
    this.line.show(`${this.label}: ${done}/${this.total}${pct}, ${rate.toFixed(1)} docs/s, ${detail}`);
  }

  done(): void {
    this.line.end(true);
  }
}
