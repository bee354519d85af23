/**
 * Progress on stderr for long runs: one rewritten line on a terminal, a plain
 * line every few seconds otherwise (CI logs, cron mail).
 */
export class Progress {
  private last = 0;
  private readonly started = Date.now();
  private readonly tty: boolean;
  private wrote = false;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs = stream.isTTY ? 200 : 5000,
    private readonly enabled = true,
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  update(done: number, detail: string, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.last < this.intervalMs) return;
    this.last = now;
    const secs = (now - this.started) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    const pct = this.total ? ` (${Math.floor((100 * done) / this.total)}%)` : '';
    const line = `${this.label}: ${done}/${this.total}${pct}, ${rate.toFixed(1)} docs/s, ${detail}`;
    if (this.tty) {
      this.stream.write(`\r\x1b[K${line}`);
      this.wrote = true;
    } else {
      this.stream.write(`${line}\n`);
    }
  }

  done(): void {
    if (this.tty && this.wrote) this.stream.write('\n');
  }
}
