/**
 * A hash of what a document says, not of its bytes: the same report served
 * with another view counter, date stamp or session token in the page chrome
 * must not count as an edit. It covers the report's identity, every field's
 * printed text and the document text with whitespace collapsed.
 *
 * The crawler decides "changed" on this hash; the raw bytes of every version
 * are still kept (url_versions, documents).
 */
import { createHash } from 'node:crypto';
import type { ExtractedDocument } from '../contract/document.js';

export function contentHash(doc: ExtractedDocument, text: string | null): string | null {
  if (text === null && !doc.report) return null;
  const h = createHash('sha256');
  h.update(JSON.stringify(doc.report ?? null));
  for (const key of Object.keys(doc.fields).sort()) h.update(`\u0000${key}=${doc.fields[key].raw}`);
  h.update('\u0001');
  h.update((text ?? '').replace(/\s+/g, ' ').trim());
  return h.digest('hex');
}
