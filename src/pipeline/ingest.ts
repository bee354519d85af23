/**
 * Processing + storing one document. Used by `ogi ingest` (files) and
 * `ogi crawl` (URLs). Unchanged content (same sha256 and pipeline version) is
 * not extracted again: only its location is recorded.
 */
import type { DB } from '../store/db.js';
import { findDocument, saveDocument, touchLocation, type LocationKind, type SaveStatus } from '../store/documents.js';
import { documentText } from '../model.js';
import { PIPELINE_VERSION } from '../version.js';
import { processBytes, sha256Hex, type ProcessOptions } from './process.js';

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

export async function ingestBytes(db: DB, input: IngestInput, options: ProcessOptions = {}): Promise<IngestOutcome> {
  const sha256 = sha256Hex(input.bytes);
  const loc = { location: input.location, kind: input.kind, referrer: input.referrer };
  const known = findDocument(db, sha256);
  if (known && known.pipeline_version === PIPELINE_VERSION) {
    db.transaction(() => touchLocation(db, known.id, loc))();
    const hasReport = db.prepare('SELECT 1 FROM reports WHERE document_id = ?').get(known.id) !== undefined;
    return { status: 'unchanged', documentId: known.id, sha256, errorCode: known.error_code, hasReport };
  }
  const { doc, model } = await processBytes({ bytes: input.bytes, name: input.name, contentType: input.contentType }, options);
  const text = model ? { title: doc.report?.title ?? model.meta.title ?? '', body: documentText(model) } : null;
  const saved = saveDocument(db, doc, loc, text);
  return {
    status: saved.status,
    documentId: saved.id,
    sha256,
    errorCode: doc.errors[0]?.code ?? null,
    hasReport: doc.report !== null,
  };
}
