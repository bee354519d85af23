/**
 * Where a finding's evidence is, in words: the printed place of each cell
 * (PDF page and box, table row and column, text line), the sentence
 * (block and character offsets), the two versions of an edited URL.
 * The findings export prints it; the review site shows it under each finding.
 */
import type { FieldSource } from '../contract/document.js';
import type { FindingRow } from '../store/store.js';

const r1 = (x: number) => Math.round(x * 10) / 10;

/** One cell's printed place, e.g. "p.3 [77.2,445.6,109.1,472.4]" or "table 2 r24 c9". */
export function describeSource(s: FieldSource): string {
  const parts: string[] = [];
  if (s.page !== undefined) parts.push(`p.${s.page}`);
  if (s.bbox) parts.push(`[${s.bbox.map(r1).join(',')}]`);
  if (s.bbox === undefined && s.table !== undefined) parts.push(`table ${s.table}`);
  if (s.bbox === undefined && s.row !== undefined) parts.push(`r${s.row} c${s.col ?? '?'}`);
  if (s.line !== undefined) parts.push(`line ${s.line}`);
  if (s.block !== undefined && s.chars) parts.push(`block ${s.block} chars ${s.chars[0]}-${s.chars[1]}`);
  if (s.image) parts.push(`image ${s.image}${s.pixels ? ` [${s.pixels.join(',')}]` : ''}`);
  return parts.join(' ') || '(unknown place)';
}

const day = (iso: string) => iso.slice(0, 10);

/** The whole evidence of a finding, one line. */
export function evidenceLocation(f: FindingRow): string {
  const parts: string[] = [];
  const ev = f.evidence;
  if (ev?.text) {
    const t = ev.text;
    parts.push(
      `sentence: block ${t.block} chars ${t.chars[0]}-${t.chars[1]}${t.page !== undefined ? ` p.${t.page}` : ''}${t.line !== undefined ? ` line ${t.line}` : ''}`,
    );
  }
  if (ev?.url && ev.before && ev.after) {
    parts.push(
      `${ev.url}: document ${ev.before.documentId} (${day(ev.before.fetchedAt)}) → document ${ev.after.documentId} (${day(ev.after.fetchedAt)})`,
    );
  }
  const cells = f.cells
    .slice(0, 12)
    .map((c) => `${c.report === 'other' ? `report ${c.reportId} ` : ''}${c.key} @ ${describeSource(c.source)}`);
  if (f.cells.length > 12) cells.push(`… ${f.cells.length - 12} more cells`);
  if (cells.length) parts.push(cells.join('; '));
  return parts.join(' | ');
}
