/**
 * What the ingest stored, against what the synthesizer printed: per layout,
 * how many expected cells came back right, missing or wrong, how many wrong
 * ones carried high confidence, and whether the deliberately broken
 * identities were found (and nothing else reported).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { expectedFields, reportKeys } from '../generate/synth/index.js';
import { manifestReport, type ManifestEntry } from './generate-corpus.js';

export interface AccuracyRow {
  layout: string;
  docs: number;
  /** Documents for which a report row was stored. */
  withReport: number;
  expected: number;
  correct: number;
  missing: number;
  wrong: number;
  /** Wrong values with confidence ≥ the threshold: the failures that matter most. */
  confidentWrong: number;
  findingsExpected: number;
  findingsFound: number;
  /** t3/t4 identity findings on cells the synthesizer printed consistently. */
  spuriousFindings: number;
}

/** A wrong stored value, for --show-wrong. */
export interface WrongCell {
  file: string;
  key: string;
  expected: number | null;
  got: number | null;
  confidence: number;
}

// text-vs-table too: the generated narratives restate their numbers truly, so any such finding is spurious.
const RULES = new Set(['t3-balance', 't3-results-sum', 't3-row-sum', 't4-sum', 'text-vs-table']);
const same = (a: number | null, b: number | null): boolean =>
  a === null || b === null ? a === b : Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
const findingId = (rule: string, keys: string[]): string => `${rule}|${[...keys].sort().join(',')}`;

export function measureAccuracy(
  dbPath: string,
  corpusDir: string,
  manifestPath: string,
  confident: number,
  examples: WrongCell[] = [],
  maxExamples = 0,
): AccuracyRow[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const reportOf = db.prepare(
      'SELECT r.id AS id FROM document_locations l JOIN reports r ON r.document_id = l.document_id WHERE l.location = ?',
    );
    const fieldsOf = db.prepare('SELECT key, value, confidence FROM fields WHERE report_id = ?');
    const findingsOf = db.prepare('SELECT rule, keys FROM findings WHERE report_id = ?');
    const rows = new Map<string, AccuracyRow>();
    const row = (layout: string): AccuracyRow => {
      let r = rows.get(layout);
      if (!r) {
        r = {
          layout,
          docs: 0,
          withReport: 0,
          expected: 0,
          correct: 0,
          missing: 0,
          wrong: 0,
          confidentWrong: 0,
          findingsExpected: 0,
          findingsFound: 0,
          spuriousFindings: 0,
        };
        rows.set(layout, r);
      }
      return r;
    };
    for (const line of readFileSync(manifestPath, 'utf8').split('\n')) {
      if (!line) continue;
      const e = JSON.parse(line) as ManifestEntry;
      const acc = row(e.layout);
      acc.docs++;
      const { report, findings } = manifestReport(e);
      const expected = expectedFields(report);
      acc.expected += reportKeys(report).length;
      acc.findingsExpected += findings.length;
      const rep = reportOf.get(resolve(join(corpusDir, e.file))) as { id: number } | undefined;
      if (!rep) {
        acc.missing += reportKeys(report).length;
        continue;
      }
      acc.withReport++;
      const got = new Map((fieldsOf.all(rep.id) as { key: string; value: number | null; confidence: number }[]).map((f) => [f.key, f]));
      for (const [key, want] of Object.entries(expected)) {
        const f = got.get(key);
        if (!f) acc.missing++;
        else if (same(f.value, want)) acc.correct++;
        else {
          acc.wrong++;
          if (f.confidence >= confident) acc.confidentWrong++;
          // Confident mistakes first: they are the ones to fix.
          if (examples.length < maxExamples || (f.confidence >= confident && examples.some((x) => x.confidence < confident))) {
            if (examples.length >= maxExamples)
              examples.splice(
                examples.findIndex((x) => x.confidence < confident),
                1,
              );
            examples.push({ file: join(corpusDir, e.file), key, expected: want, got: f.value, confidence: f.confidence });
          }
        }
      }
      const want = new Set(findings.map((f) => findingId(f.rule, f.keys)));
      for (const f of findingsOf.all(rep.id) as { rule: string; keys: string }[]) {
        if (!RULES.has(f.rule)) continue;
        let keys: string[] = [];
        try {
          keys = JSON.parse(f.keys) as string[];
        } catch {
          keys = f.keys.split(',');
        }
        if (want.has(findingId(f.rule, keys))) acc.findingsFound++;
        else acc.spuriousFindings++;
      }
    }
    return [...rows.values()].sort((a, b) => a.layout.localeCompare(b.layout));
  } finally {
    db.close();
  }
}
