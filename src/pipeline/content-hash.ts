/**
 * A hash of what a document says, not of its bytes: the same report served
 * with another view counter, date stamp or session token in the page chrome
 * must not count as an edit. It covers the report's identity, every field's
 * printed text and the document text (extractors already collapse whitespace).
 *
 * The crawler decides "changed" on this hash; the raw bytes of every version
 * are still kept (url_versions, documents).
 */
import { createHash } from 'node:crypto';
import type { ExtractedDocument } from '../contract/document.js';

export function contentHash(doc: ExtractedDocument, text: string | null): string | null {
  if (text === null && !doc.report) return null;
  const fields = Object.keys(doc.fields)
    .sort()
    .map((key) => `${key}=${doc.fields[key].raw}`)
    .join('\u0000');
  return createHash('sha256')
    .update(`${JSON.stringify(doc.report ?? null)}\u0001${fields}\u0001${text ?? ''}`)
    .digest('hex');
}
