/**
 * Expanding command-line paths into files. Directories are walked
 * recursively in a stable (sorted) order; hidden entries are skipped.
 * Paths that do not exist are reported, not thrown.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Expanded {
  files: string[];
  /** Inputs that could not be read at all (missing, unreadable). */
  missing: { path: string; reason: string }[];
}

function walk(dir: string, out: string[], missing: Expanded['missing']): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    missing.push({ path: dir, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out, missing);
    else if (e.isFile()) out.push(p);
  }
}

export function expandPaths(paths: string[]): Expanded {
  const files: string[] = [];
  const missing: Expanded['missing'] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      missing.push({
        path: p,
        reason: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message,
      });
      continue;
    }
    if (st.isDirectory()) walk(p, files, missing);
    else files.push(p);
  }
  return { files, missing };
}
