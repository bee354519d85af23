/** Inputs that once failed a fuzz check, kept in test/fixtures/fuzz/ and replayed by regressions.test.ts. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/gold.js';
import type { FuzzFailure } from './harness.js';
import { duplicates, mutationSeed, otherSeed } from './mutate.js';
import { ALL_SEEDS, loadSeeds } from './seeds.js';

export const FUZZ_FIXTURES = join(ROOT, 'test/fixtures/fuzz');

export interface Regression {
  /** The input's file name in FUZZ_FIXTURES (its extension is the format hint). */
  file: string;
  seed: string;
  other?: string;
  description: string;
  /** The mutation duplicated content (oracle rule 5). */
  duplicated?: boolean;
  /** Why it failed when it was found. */
  reasons: string[];
  /**
   * Set while the failure is still open (and outside the readers, e.g. mapping): the replay then
   * expects the failure, and tells when it is fixed so the mark can go.
   */
  known?: string;
  /** A budget other than the 10 s one, with `note` saying why (an open slowness outside the readers' guards). */
  budgetMs?: number;
  note?: string;
}

/** Writes the input and what is known about it; returns the file name. */
export function saveFailure(f: FuzzFailure): string {
  mkdirSync(FUZZ_FIXTURES, { recursive: true });
  const seeds = loadSeeds(ALL_SEEDS);
  const ext = f.name.match(/\.[a-z]+$/i)?.[0] ?? '.bin';
  const file = `${createHash('sha256').update(f.bytes).digest('hex').slice(0, 16)}${ext}`;
  writeFileSync(join(FUZZ_FIXTURES, file), f.bytes);
  const meta: Regression = {
    file,
    seed: mutationSeed(f.mutation, seeds).name,
    other: otherSeed(f.mutation, seeds)?.name,
    description: f.description,
    duplicated: duplicates(f.mutation),
    reasons: f.reasons.map((r) => r.slice(0, 500)),
  };
  const metaPath = join(FUZZ_FIXTURES, `${file}.json`);
  // An input kept before keeps its record (and its 'known' mark).
  if (existsSync(metaPath)) return join('test/fixtures/fuzz', file);
  writeFileSync(metaPath, JSON.stringify(meta, null, 2) + '\n');
  return join('test/fixtures/fuzz', file);
}

export function loadRegressions(): Regression[] {
  let names: string[] = [];
  try {
    names = readdirSync(FUZZ_FIXTURES).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  return names.sort().map((n) => JSON.parse(readFileSync(join(FUZZ_FIXTURES, n), 'utf8')) as Regression);
}
