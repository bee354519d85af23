import { describe, expect, it } from 'vitest';
import { formatBytes, Progress, progressLine, type ProgressSnapshot } from '../../src/crawl/progress.js';

const snap: ProgressSnapshot = {
  new: 3,
  changed: 1,
  unchanged: 5,
  failed: 2,
  blocked: 1,
  skipped: 4,
  pages: 40,
  bytes: 3 * 1024 * 1024,
  queued: 12,
  inFlight: 2,
  retries: 1,
  elapsedMs: 8000,
};

describe('progress', () => {
  it('says pages, documents, queue, errors and rate', () => {
    expect(progressLine(snap)).toBe(
      'crawl: 40 pages, 9 documents (3 new, 1 changed, 5 unchanged), queue 12, in flight 2, errors 2, retries 1, 5.0 pages/s, 3.0 MiB',
    );
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KiB');
  });

  it('rewrites one line on a terminal and clears it at the end', () => {
    let out = '';
    const p = new Progress({ isTTY: true, write: (s: string) => (out += s) }, 1000, () => snap);
    p.tick();
    p.tick();
    p.stop();
    expect(out.split('\r\x1b[K').filter(Boolean)).toHaveLength(2);
    expect(out).not.toContain('\n');
    expect(out.endsWith('\r\x1b[K')).toBe(true);
  });

  it('writes plain lines when not a terminal, and nothing when turned off', async () => {
    let out = '';
    const p = new Progress({ isTTY: false, write: (s: string) => (out += s) }, 20, () => snap);
    p.start();
    const deadline = Date.now() + 5000;
    while (out.split('\n').filter(Boolean).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    p.stop();
    const lines = out.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(out).not.toContain('\r');
    let quiet = '';
    const off = new Progress({ write: (s: string) => (quiet += s) }, 0, () => snap);
    off.start();
    await new Promise((r) => setTimeout(r, 30));
    off.stop();
    expect(quiet).toBe('');
  });
});
