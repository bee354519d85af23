/**
 * The stable id of a stored finding: what an inspector marks with
 * `ogi review --mark ID`. Findings are recomputed (cross-report rules after
 * every ingest, a document's own findings when it is read again), so their row
 * ids come and go; this id depends only on what the finding is about: the
 * rule, the content of the report (and of the other report), the cells and,
 * for a sentence, where it is. Every store computes it with this function.
 */
import { createHash } from 'node:crypto';
import type { Finding } from './document.js';

export function findingId(finding: Pick<Finding, 'rule' | 'keys' | 'evidence'>, sha256: string, otherSha256: string | null): string {
  const t = finding.evidence?.text;
  const anchor = t ? `${t.block}:${t.chars[0]}-${t.chars[1]}` : '';
  const h = createHash('sha256')
    .update([finding.rule, sha256, otherSha256 ?? '', finding.keys.join(','), anchor].join('\u0000'))
    .digest('hex');
  return `F${h.slice(0, 12)}`;
}
