/**
 * Runs a child process and measures it from the outside: wall time and
 * resident memory polled from /proc every 50 ms (the child's own report of
 * its peak is not trusted alone).
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

export interface Measured {
  code: number | null;
  signal: NodeJS.Signals | null;
  seconds: number;
  /** Max over samples of the summed VmRSS of the process and its descendants, MB. */
  peakRssMb: number | null;
  /** Last VmHWM (peak RSS as the kernel counts it) of the main process, MB. */
  hwmMb: number | null;
  samples: number;
  stdout: string;
  /** The last 8 KB of stderr. */
  stderrTail: string;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'latin1').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : null;
  } catch {
    return null; // exited between samples, or no /proc
  }
}

/** The process and its descendants (worker processes count towards the peak). */
function tree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const tid of readdirSync(`/proc/${out[i]}/task`)) {
        const kids = readFileSync(`/proc/${out[i]}/task/${tid}/children`, 'latin1').trim();
        if (kids) out.push(...kids.split(/\s+/).map(Number));
      }
    } catch {
      // gone
    }
  }
  return out;
}

export function runMeasured(
  command: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; pollMs?: number } = {},
): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (stdout.length > 1 << 20) stdout = stdout.slice(-(1 << 19));
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-8192);
    });
    let peakKb: number | null = null;
    let hwmKb: number | null = null;
    let samples = 0;
    const sample = (): void => {
      const pid = child.pid;
      if (pid === undefined) return;
      const rss = tree(pid)
        .map((p) => statusKb(p, 'VmRSS'))
        .filter((x): x is number => x !== null);
      if (rss.length) {
        samples++;
        const sum = rss.reduce((s, x) => s + x, 0);
        peakKb = Math.max(peakKb ?? 0, sum);
      }
      hwmKb = statusKb(pid, 'VmHWM') ?? hwmKb;
    };
    const timer = setInterval(sample, opts.pollMs ?? 50);
    child.on('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearInterval(timer);
      resolve({
        code,
        signal,
        seconds: (performance.now() - started) / 1000,
        peakRssMb: peakKb === null ? null : peakKb / 1024,
        hwmMb: hwmKb === null ? null : hwmKb / 1024,
        samples,
        stdout,
        stderrTail: stderr,
      });
    });
  });
}

/** The last non-empty stdout line parsed as JSON, or null. */
export function lastJsonLine(stdout: string): Record<string, unknown> | null {
  const line = stdout.trim().split('\n').pop();
  if (!line) return null;
  try {
    const v: unknown = JSON.parse(line);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
