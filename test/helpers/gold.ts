/** Loading corpus gold files and comparing ogi's output with them, cell by cell. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExtractedDocument } from '../../src/contract/document.js';
import type { Gold } from '../generate/word/forms.js';

/** One shape for every gold file: the corpus's (test/fixtures/gold) and the generated fixtures'. */
export type { Gold };

export const ROOT = join(import.meta.dirname, '..', '..');

export function loadGold(path: string): Gold {
  return JSON.parse(readFileSync(path, 'utf8')) as Gold;
}

export interface CellDiff {
  key: string;
  gold: number | null | undefined;
  got: number | null | undefined;
  raw?: string;
}

/** Every gold cell exact, and no key that the gold does not have. */
export function diffAgainstGold(doc: ExtractedDocument, gold: Gold): CellDiff[] {
  const diffs: CellDiff[] = [];
  for (const [key, value] of Object.entries(gold.fields)) {
    const f = doc.fields[key];
    if (!f || f.value !== value) diffs.push({ key, gold: value, got: f?.value, raw: f?.raw });
  }
  for (const key of Object.keys(doc.fields)) {
    if (!(key in gold.fields)) diffs.push({ key, gold: undefined, got: doc.fields[key].value, raw: doc.fields[key].raw });
  }
  return diffs;
}
