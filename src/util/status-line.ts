/**
 * One status line on stderr: rewritten in place on a terminal, a plain line
 * each time otherwise (cron mail, journald, CI logs).
 */
export interface StatusStream {
  write(s: string): unknown;
  isTTY?: boolean;
}

export class StatusLine {
  private drawn = false;

  constructor(private readonly out: StatusStream) {}

  get tty(): boolean {
    return Boolean(this.out.isTTY);
  }

  show(line: string): void {
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[K${line}`);
      this.drawn = true;
    } else {
      this.out.write(`${line}\n`);
    }
  }

  /** Ends the line on a terminal: erase it, or keep it and move below. */
  end(keep = false): void {
    if (this.drawn) this.out.write(keep ? '\n' : '\r\x1b[K');
    this.drawn = false;
  }
}
