/** Loading corpus gold files and comparing ogi's output with them, cell by cell. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExtractedDocument } from '../../src/pipeline/types.js';

export const ROOT = join(import.meta.dirname, '..', '..');

export interface Gold {
  file: string;
  agency: string;
  year: number;
  template: string;
  kind: string;
  fields: Record<string, number | null>;
  raw: Record<string, string>;
  ambiguous: string[];
  absent_rows: string[];
}

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
