/**
 * The fuzzing harness: mutated seed files fed through the same path `ogi
 * ingest` uses (the ingest service: worker pool with its time and memory
 * limit per document, one writer, an in-memory SQLite store), judged per
 * input:
 * - no crash of the batch (submit never throws; the process survives);
 * - an outcome for every document: an error code, or a read (with or
 *   without a report); never 'stopped' or nothing;
 * - time per document within its budget (`budgetMs`);
 * - no wrong value at confidence ≥ 0.8 (oracle.ts).
 */
import fc from 'fast-check';
import type { ExtractedDocument } from '../../src/contract/document.js';
import type { Limits } from '../../src/contract/limits.js';
import { IngestService } from '../../src/pipeline/service.js';
import { openDatabase } from '../../src/store/db.js';
import type { DocumentRecord, Location, SaveStatus } from '../../src/store/store.js';
import { SqliteStore } from '../../src/store/store.js';
import { applyMutation, describeMutation, duplicates, mutationArbitrary, mutationSeed, otherSeed, type Mutation } from './mutate.js';
import { independentText, judge, numberCounts, type Fields, type Verdict } from './oracle.js';
import type { Seed } from './seeds.js';

/** Keeps every document the service stores, by sha256, so the harness sees what ingest stored. */
export class RecordingStore extends SqliteStore {
  readonly docs = new Map<string, ExtractedDocument>();
  override async saveDocument(record: DocumentRecord, loc: Location): Promise<{ id: number; status: SaveStatus }> {
    this.docs.set(record.doc.sha256, record.doc);
    return super.saveDocument(record, loc);
  }
}

export interface FuzzOptions {
  seeds: Seed[];
  runs: number;
  /** fast-check seed: the same number gives the same inputs. */
  seed: number;
  workers?: number;
  /** A document slower than this fails (the target: 10 s). */
  budgetMs?: number;
  /** Per-document limit the service enforces (a document past it is recorded as timeout). */
  documentTimeoutMs?: number;
  /** Read scanned pages by OCR too (slow by design: seconds a page). */
  ocr?: boolean;
  /** Called for every input that failed a check (to keep it as a regression fixture). */
  onFailure?: (failure: FuzzFailure) => void;
  onProgress?: (done: number) => void;
}

export interface FuzzFailure {
  mutation: Mutation;
  description: string;
  name: string;
  bytes: Uint8Array;
  reasons: string[];
  wrong: Verdict[];
}

export interface FuzzResult {
  inputs: number;
  outcomes: Record<string, number>;
  crashes: number;
  withoutOutcome: number;
  overBudget: number;
  confidentWrong: number;
  unverified: number;
  ms: { p50: number; p99: number; max: number };
  failures: FuzzFailure[];
  /** Time per format, for the statistics. */
  maxByFormat: Record<string, number>;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

export interface Truth {
  fields: Fields;
  counts?: Map<string, number>;
}

export interface FuzzInput {
  bytes: Uint8Array;
  name: string;
  seed: Seed;
  /** The other file of a splice. */
  other?: Seed;
  /** The mutation duplicated content (oracle rule 5). */
  duplicated?: boolean;
}

/** One input through the service, judged. */
export async function judgeInput(
  service: IngestService,
  store: RecordingStore,
  truth: (seed: Seed) => Promise<Truth>,
  input: FuzzInput,
  budgetMs: number,
): Promise<{ ms: number; outcome: string; reasons: string[]; wrong: Verdict[]; unverified: number; format: string }> {
  const { bytes, name, seed, other, duplicated } = input;
  const reasons: string[] = [];
  const t0 = performance.now();
  let outcome = 'crash';
  let doc: ExtractedDocument | undefined;
  try {
    const o = await service.submit({ bytes, name, location: `fuzz:${name}`, kind: 'file' });
    doc = store.docs.get(o.sha256);
    if (o.status === 'stopped' || !doc) {
      outcome = 'no-outcome';
      reasons.push(`no outcome (status ${o.status})`);
    } else {
      outcome = o.errorCode ?? (o.hasReport ? 'report' : 'read, no report');
    }
  } catch (e) {
    reasons.push(`the batch crashed: ${(e as Error)?.stack ?? String(e)}`);
  }
  const ms = performance.now() - t0;
  if (ms > budgetMs) reasons.push(`took ${Math.round(ms)} ms, over the budget of ${budgetMs} ms`);
  if (UNEXPECTED.has(outcome)) reasons.push(`outcome ${outcome}: ${doc?.errors[0]?.message ?? ''}`);
  let wrong: Verdict[] = [];
  let unverified = 0;
  if (doc && Object.keys(doc.fields).length) {
    const s = await truth(seed);
    const o = other ? await truth(other) : undefined;
    const text = s.counts ? independentText(bytes, name) : undefined;
    const verdicts = judge({
      fields: doc.fields,
      seedFields: s.fields,
      otherFields: o?.fields,
      duplicated,
      counts: text === undefined ? undefined : numberCounts(text),
      seedCounts: s.counts,
      otherCounts: o ? (o.counts ?? new Map()) : undefined,
    });
    wrong = verdicts.filter((v) => v.kind === 'wrong');
    unverified = verdicts.length - wrong.length;
    for (const w of wrong)
      reasons.push(`confident wrong value: ${w.key} = ${w.value} (raw "${w.raw}", ${w.confidence}); the seed has ${w.seedValue}`);
  }
  return { ms, outcome, reasons, wrong, unverified, format: doc?.format ?? seed.name.split('.').pop() ?? '?' };
}

/** Outcomes that are ogi's own failure, never a verdict on the file. */
const UNEXPECTED = new Set(['timeout', 'extract-crashed', 'extract-failed', 'mapping-failed', 'out-of-memory']);

/** A service over an in-memory store that keeps what it stores, and the seeds' truth read through it. */
export function fuzzService(options: { workers?: number; documentTimeoutMs?: number; limits?: Partial<Limits>; ocr?: boolean }) {
  // OCR reads a scanned page in seconds by design (the pool grants it 20 s a page); damaged PDFs whose
  // text layer is gone would go there. The readers' budgets are measured without it unless asked.
  if (!options.ocr) process.env.OGI_TESSERACT = '0';
  const store = new RecordingStore(openDatabase(':memory:'));
  const service = new IngestService(store, {
    workers: options.workers ?? 2,
    documentTimeoutMs: options.documentTimeoutMs,
    limits: options.limits,
  });
  const truths = new Map<string, Promise<Truth>>();
  const truth = (seed: Seed): Promise<Truth> => {
    let t = truths.get(seed.name);
    if (!t) {
      t = (async () => {
        const o = await service.submit({ bytes: seed.bytes, name: seed.name, location: `seed:${seed.name}`, kind: 'file' });
        const text = independentText(seed.bytes, seed.name);
        return { fields: store.docs.get(o.sha256)?.fields ?? {}, counts: text === undefined ? undefined : numberCounts(text) };
      })();
      truths.set(seed.name, t);
    }
    return t;
  };
  const close = async () => {
    await service.close();
    store.db.close();
  };
  return { store, service, truth, close };
}

/** Runs `runs` seeded mutations through a fresh service and returns the statistics. */
export async function fuzz(options: FuzzOptions): Promise<FuzzResult> {
  const { seeds, runs } = options;
  const budgetMs = options.budgetMs ?? 10_000;
  // The service's own limit is a safety net above the budget (a worker's first document also loads
  // its readers); the budget is checked on the measured time. LibreOffice gets less than the budget,
  // so a conversion that hangs ends in the text fallback (doc-convert-timeout) within it.
  const { store, service, truth, close } = fuzzService({
    workers: options.workers,
    documentTimeoutMs: options.documentTimeoutMs ?? Math.max(30_000, 3 * budgetMs),
    limits: { docConvertMs: Math.round(budgetMs * 0.5) },
    ocr: options.ocr,
  });

  const mutations = fc.sample(mutationArbitrary(seeds.length), { seed: options.seed, numRuns: runs });
  const result: FuzzResult = {
    inputs: 0,
    outcomes: {},
    crashes: 0,
    withoutOutcome: 0,
    overBudget: 0,
    confidentWrong: 0,
    unverified: 0,
    ms: { p50: 0, p99: 0, max: 0 },
    failures: [],
    maxByFormat: {},
  };
  const times: number[] = [];
  try {
    // The seeds' own values first (the truth every mutation is judged against), read concurrently so
    // that every worker has started and loaded its readers before the first timed input.
    await Promise.all(seeds.map(truth));
    let next = 0;
    const lanes = Array.from({ length: service.workers }, async () => {
      while (next < mutations.length) {
        const i = next++;
        const m = mutations[i];
        const seed = mutationSeed(m, seeds);
        const name = `fuzz-${i}${seed.name.match(/\.[a-z]+$/i)?.[0] ?? ''}`;
        const bytes = applyMutation(m, seeds);
        const r = await judgeInput(
          service,
          store,
          truth,
          { bytes, name, seed, other: otherSeed(m, seeds), duplicated: duplicates(m) },
          budgetMs,
        );
        result.inputs++;
        times.push(r.ms);
        result.outcomes[r.outcome] = (result.outcomes[r.outcome] ?? 0) + 1;
        result.maxByFormat[r.format] = Math.max(result.maxByFormat[r.format] ?? 0, Math.round(r.ms));
        if (r.outcome === 'crash') result.crashes++;
        if (r.outcome === 'no-outcome') result.withoutOutcome++;
        if (r.ms > budgetMs) result.overBudget++;
        result.unverified += r.unverified;
        if (r.reasons.length) {
          const failure: FuzzFailure = {
            mutation: m,
            description: describeMutation(m, seeds),
            name,
            bytes,
            reasons: r.reasons,
            wrong: r.wrong,
          };
          result.confidentWrong += r.wrong.length;
          result.failures.push(failure);
          options.onFailure?.(failure);
        }
        options.onProgress?.(result.inputs);
      }
    });
    await Promise.all(lanes);
  } finally {
    await close();
  }
  times.sort((a, b) => a - b);
  result.ms = {
    p50: Math.round(percentile(times, 0.5)),
    p99: Math.round(percentile(times, 0.99)),
    max: Math.round(times[times.length - 1] ?? 0),
  };
  return result;
}
