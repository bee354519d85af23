/**
 * The resources round trip, in one place for every caller of the pool (the
 * ingest service, `ogi extract`): read the document; when its extractor asked
 * for referenced files (model.meta.resources: the page pictures of a 图片版
 * article), ask the source for them and read once more with what it gave.
 *
 * Sources supply a resolver: the local one reads beside the file
 * (src/sources/local-resources.ts); the crawler's fetches through its rules,
 * gate and attachment size cap (src/crawl/item.ts). The bytes are read, not
 * kept: only the document that refers to them is stored (partial: the review
 * site cannot crop a picture cell's evidence from a stored picture).
 */
import type { ExtractionPool, PoolResult } from './pool.js';
import type { ProcessInput } from './process.js';

/** Supplies a referenced file (a page image) by its reference, or undefined when there is none. */
export type ResourceResolver = (ref: string) => Promise<Uint8Array | undefined>;

/** Referenced files asked for by one document, at most (page images of an image-only report). */
export const DEFAULT_MAX_RESOURCES = 200;

export interface ResourceReadOptions {
  /** Stops the read (and the asking). */
  signal?: AbortSignal;
  maxResources?: number;
}

/** Asks the resolver for each ref, one at a time (a crawler's host gate paces them anyway). */
export async function resolveResources(
  refs: string[],
  resolver: ResourceResolver,
  o: ResourceReadOptions = {},
): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const ref of refs.slice(0, o.maxResources ?? DEFAULT_MAX_RESOURCES)) {
    if (o.signal?.aborted) break;
    try {
      const bytes = await resolver(ref);
      if (bytes) out.set(ref, bytes);
    } catch {
      // A missing file is the extractor's to report (it sees the gap); the document is still read.
    }
  }
  return out;
}

/** Reads `input` in the pool, and again with the files it asked for when `resolver` can supply any. */
export async function readWithResources(
  pool: ExtractionPool,
  input: ProcessInput,
  resolver: ResourceResolver | undefined,
  o: ResourceReadOptions = {},
): Promise<PoolResult> {
  const first = await pool.run(input, o.signal);
  if (first.kind !== 'read' || !first.out.wantedResources || !resolver) return first;
  const resources = await resolveResources(first.out.wantedResources, resolver, o);
  if (o.signal?.aborted) return { kind: 'stopped' };
  if (!resources.size) return first;
  return pool.run({ ...input, resources }, o.signal);
}
