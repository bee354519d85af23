/**
 * vitest globalSetup: every temporary file of a test run (databases, generated
 * inputs, spawned CLIs' work files) goes under one directory that is removed
 * when the run ends. Test files keep calling os.tmpdir(); the forks inherit
 * TMPDIR from here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'ogi-test-run-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(dir, { recursive: true, force: true });
  };
}
