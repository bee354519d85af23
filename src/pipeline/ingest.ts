/**
 * Processing + storing one document. Used by `ogi ingest` (files) and
 * `ogi crawl` (URLs). Unchanged content (same sha256 and pipeline version) is
 * not extracted again: only its location is recorded.
 */
import type { DB } from '../store/db.js';
import { findDocument, isTransientError, saveDocument, touchLocation, type LocationKind, type SaveStatus } from '../store/documents.js';
import { stmt } from '../store/db.js';
import { PIPELINE_VERSION } from '../version.js';
import { processInline, type PoolOutput } from './pool.js';
import { sha256Hex, type ProcessOptions } from './process.js';

export interface IngestInput {
  bytes: Uint8Array;
  /** Name used for format hints and messages (file path or URL). */
  name: string;
  contentType?: string;
  /** Where the document was found: a path or URL. */
  location: string;
  kind: LocationKind;
  /** The page that linked it (crawler). */
  referrer?: string;
}

export interface IngestOutcome {
  status: SaveStatus;
  documentId: number;
  sha256: string;
  /** First error code, when the document could not be (fully) read. */
  errorCode: string | null;
  hasReport: boolean;
}

/** When this content is already stored under this pipeline version: records the location and says so. */
export function ingestIfKnown(db: DB, input: IngestInput): IngestOutcome | undefined {
  const sha256 = sha256Hex(input.bytes);
  const known = findDocument(db, sha256);
  if (!known || known.pipeline_version !== PIPELINE_VERSION || isTransientError(known.error_code)) return undefined;
  db.transaction(() => touchLocation(db, known.id, { location: input.location, kind: input.kind, referrer: input.referrer })).immediate();
  const hasReport = stmt(db, 'SELECT 1 FROM reports WHERE document_id = ?').get(known.id) !== undefined;
  return { status: 'unchanged', documentId: known.id, sha256, errorCode: known.error_code, hasReport };
}

/** Stores what processing produced, in one transaction. */
export function storeProcessed(db: DB, input: IngestInput, out: PoolOutput): IngestOutcome {
  const saved = saveDocument(db, out.doc, { location: input.location, kind: input.kind, referrer: input.referrer }, out.text);
  return {
    status: saved.status,
    documentId: saved.id,
    sha256: out.doc.sha256,
    errorCode: out.doc.errors[0]?.code ?? null,
    hasReport: out.doc.report !== null,
  };
}

export async function ingestBytes(db: DB, input: IngestInput, options: ProcessOptions = {}): Promise<IngestOutcome> {
  return (
    ingestIfKnown(db, input) ??
    storeProcessed(db, input, await processInline({ bytes: input.bytes, name: input.name, contentType: input.contentType }, options))
  );
}
