/**
 * Reading one document, the same way on a worker thread and on the main
 * thread: bytes → ExtractedDocument, its text for the search index, its
 * content hash, and the referenced files the extractor asked for.
 */
import type { ExtractedDocument } from '../contract/document.js';
import { documentText } from '../model.js';
import type { DocumentText } from '../store/documents.js';
import { PIPELINE_VERSION } from '../version.js';
import { contentHash } from './content-hash.js';
import { processBytes, sha256Hex, type ProcessInput, type ProcessOptions } from './process.js';

/** What reading a document produces; plain data, so it crosses the worker boundary as is. */
export interface ReadOutput {
  doc: ExtractedDocument;
  text: DocumentText | null;
  contentHash: string | null;
  /** References the extractor would read if given them (model.meta.resources). */
  wantedResources?: string[];
}

export async function readDocument(input: ProcessInput, options: ProcessOptions): Promise<ReadOutput> {
  const { doc, model } = await processBytes(input, options);
  const body = model ? documentText(model) : null;
  const text = model ? { title: doc.report?.title ?? model.meta.title ?? '', body: body ?? '' } : null;
  return {
    doc,
    text,
    contentHash: contentHash(doc, body),
    ...(model?.meta.resources?.length ? { wantedResources: model.meta.resources } : {}),
  };
}

/** A document that could not be read at all (timeout, crash): only its identity and the error. */
export function failedRead(input: ProcessInput, code: string, message: string): ReadOutput {
  return {
    doc: {
      file: input.name,
      sha256: sha256Hex(input.bytes),
      format: null,
      size: input.bytes.length,
      report: null,
      fields: {},
      findings: [],
      errors: [{ code, message, source: 'pipeline' }],
      warnings: [],
      extractor: null,
      pipeline_version: PIPELINE_VERSION,
    },
    text: null,
    contentHash: null,
  };
}
