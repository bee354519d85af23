/**
 * Files a local document refers to (the page images of an image-only report),
 * for `ExtractInput.resources`. Refs come from an extractor's
 * `meta.resources`, already resolved against the document's path: a relative
 * path is read as it is; a URL (a saved page keeps the original addresses in
 * some savers) is looked for in the page's `NAME_files/` folder by its file
 * name. Only files under the document's own folder are read.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';

/** Largest resource read (a page image is a few MB). */
const MAX_RESOURCE_BYTES = 50 * 1024 * 1024;

function inside(dir: string, p: string): boolean {
  const r = relative(dir, p);
  return r !== '' && !r.startsWith('..') && !isAbsolute(r);
}

/** Candidate paths for a ref of the document at `file`. */
export function candidatePaths(file: string, ref: string): string[] {
  const dir = resolve(dirname(file));
  const stem = basename(file, extname(file));
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) {
    let name: string;
    try {
      name = decodeURIComponent(basename(new URL(ref).pathname));
    } catch {
      return [];
    }
    if (!name) return [];
    return [join(dir, `${stem}_files`, name), join(dir, `${stem}.files`, name), join(dir, name)];
  }
  const p = resolve(ref);
  return [p, join(dir, `${stem}_files`, basename(p))];
}

/** A resolver for the document at `file`: ref → bytes, or undefined when it is not there. */
export function localResources(file: string): (ref: string) => Promise<Uint8Array | undefined> {
  const dir = resolve(dirname(file));
  return async (ref: string) => {
    for (const p of candidatePaths(file, ref)) {
      if (!inside(dir, p)) continue;
      try {
        const bytes = await readFile(p);
        if (bytes.length <= MAX_RESOURCE_BYTES) return new Uint8Array(bytes);
      } catch {
        // not there: try the next place
      }
    }
    return undefined;
  };
}

/** Reads every ref that can be found into the map extractors take. */
export async function loadResources(file: string, refs: string[]): Promise<Map<string, Uint8Array>> {
  const get = localResources(file);
  const out = new Map<string, Uint8Array>();
  for (const ref of refs) {
    const bytes = await get(ref);
    if (bytes) out.set(ref, bytes);
  }
  return out;
}
