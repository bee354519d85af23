/**
 * silent-edit: a report whose published content changed after ogi first
 * stored it (a url_versions row 'changed'). The finding sits on the newer
 * report and points at the older one; it lists every field whose value
 * changed (old → new) and the dates both versions were first seen, and its
 * evidence names both documents.
 *
 * Only changes of content count: when both documents have the same extracted
 * content hash (documents.content_hash: fields, report meta and text), the
 * bytes differed only in page noise (a view counter, a date stamp) and there
 * is no finding. A field whose old or new reading is below
 * FINDING_MIN_CONFIDENCE is not listed (the change may be ogi's misreading);
 * an edit with no listed field is still reported, as text-only, at severity
 * info. Versions without a report on either side (an error page, a removed
 * table) are not compared.
 */
import type { FieldChange } from '../contract/document.js';
import { FINDING_MIN_CONFIDENCE } from '../mapping/confidence.js';
import { FIELD_SPECS } from '../spec/fields.js';
import type { CrossReportFinding, DocumentStore, StoredField, UrlEdit } from '../store/store.js';
import type { CrossReportRule } from './cross-report.js';

const ORDER = new Map(FIELD_SPECS.map((f, i) => [f.key, i]));
const SHOWN = 6;

/** The fields whose value differs between two readings, in form order; unsure readings left out. */
export function changedFields(before: Record<string, StoredField>, after: Record<string, StoredField>): FieldChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort((a, b) => (ORDER.get(a) ?? 1e9) - (ORDER.get(b) ?? 1e9));
  const out: FieldChange[] = [];
  for (const key of keys) {
    const b = before[key];
    const a = after[key];
    if ((b && b.confidence < FINDING_MIN_CONFIDENCE) || (a && a.confidence < FINDING_MIN_CONFIDENCE)) continue;
    const vb = b?.value ?? null;
    const va = a?.value ?? null;
    if (vb === va) continue;
    out.push({
      key,
      before: vb,
      after: va,
      ...(b && b.raw !== String(vb) ? { rawBefore: b.raw } : {}),
      ...(a && a.raw !== String(va) ? { rawAfter: a.raw } : {}),
      ...(!b ? { rawBefore: '(absent)' } : {}),
      ...(!a ? { rawAfter: '(absent)' } : {}),
    });
  }
  return out;
}

const day = (iso: string) => iso.slice(0, 10);
const shown = (v: number | null, raw?: string) => (v === null ? (raw ? `“${raw}”` : 'blank') : String(v));

export function silentEditFinding(edit: UrlEdit, changes: FieldChange[]): CrossReportFinding | undefined {
  if (edit.after.reportId === null || edit.before.reportId === null) return undefined;
  const list = changes
    .slice(0, SHOWN)
    .map((c) => `${c.key} ${shown(c.before, c.rawBefore)} → ${shown(c.after, c.rawAfter)}`)
    .join(', ');
  const more = changes.length > SHOWN ? `, and ${changes.length - SHOWN} more` : '';
  const what = changes.length
    ? `${changes.length} field${changes.length > 1 ? 's' : ''} changed: ${list}${more}`
    : 'the text changed, no table cell did';
  return {
    rule: 'silent-edit',
    severity: changes.length ? 'warning' : 'info',
    keys: changes.map((c) => c.key),
    expected: changes.length === 1 ? changes[0].before : null,
    actual: changes.length === 1 ? changes[0].after : null,
    message: `Edited after publication: ${edit.url} first stored ${day(edit.before.fetchedAt)}, changed ${day(edit.after.fetchedAt)}; ${what}`,
    evidence: {
      url: edit.url,
      before: { documentId: edit.before.documentId, sha256: edit.before.sha256, fetchedAt: edit.before.fetchedAt },
      after: { documentId: edit.after.documentId, sha256: edit.after.sha256, fetchedAt: edit.after.fetchedAt },
      changes,
      cells: changes.flatMap((c) => [
        { report: 'this' as const, key: c.key },
        { report: 'other' as const, key: c.key },
      ]),
    },
    reportId: edit.after.reportId,
    otherReportId: edit.before.reportId,
  };
}

export const silentEditRule: CrossReportRule = {
  id: 'silent-edit',
  async compute(store: DocumentStore): Promise<CrossReportFinding[]> {
    const out: CrossReportFinding[] = [];
    for (const edit of await store.urlEdits()) {
      if (edit.before.reportId === null || edit.after.reportId === null) continue;
      // Same extracted content: the bytes changed only in page noise.
      if (edit.before.contentHash !== null && edit.before.contentHash === edit.after.contentHash) continue;
      const changes = changedFields(
        await store.fieldsOfReport(edit.before.reportId, []),
        await store.fieldsOfReport(edit.after.reportId, []),
      );
      const f = silentEditFinding(edit, changes);
      if (f) out.push(f);
    }
    return out;
  },
};
