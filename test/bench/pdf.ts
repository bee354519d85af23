/**
 * PDF extraction speed beside raw pdf.js: the same files, in the same process,
 * through ogi's extractor (text + rulings + tables → document model) and
 * through plain getDocument + getTextContent on every page. Target: ours ≤ 1.5 × raw.
 *
 * Files that either side cannot read (encrypted, truncated, scanned, not PDF)
 * are left out after the warm-up pass and counted in the note.
 */
import { readFileSync } from 'node:fs';
import { extractPdf } from '../../extractors/pdf/index.js';
import { documentParams, pdfjs } from '../../extractors/pdf/load.js';

export const TARGET_RATIO = 1.5;

export interface PdfBench {
  name: string;
  docs: number;
  pages: number;
  oursMs: number;
  rawMs: number;
  /** oursMs / rawMs. */
  ratio: number;
  /** Median over rounds of (ours / raw) for the round: steadier than the totals on a busy machine. */
  medianRatio: number;
  docsPerSec: number;
  pagesPerSec: number;
  seconds: number;
  target: string;
  pass: boolean;
  note: string;
}

interface Input {
  name: string;
  bytes: Uint8Array;
  pages: number;
}

async function rawText(bytes: Uint8Array): Promise<number> {
  const lib = await pdfjs();
  const doc = await lib.getDocument(documentParams(bytes)).promise;
  try {
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      await page.getTextContent();
      page.cleanup();
    }
    return doc.numPages;
  } finally {
    await doc.destroy();
  }
}

async function ours(input: Input): Promise<void> {
  await extractPdf({ bytes: input.bytes, name: input.name });
}

async function time(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

export async function benchPdf(files: string[], minMs = 3000, minRounds = 3): Promise<PdfBench> {
  const candidates = files.map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(f)), pages: 0 }));
  // Warm-up pass (JIT, cMaps, fonts): also finds the files both sides can read.
  const inputs: Input[] = [];
  for (const c of candidates) {
    try {
      c.pages = await rawText(c.bytes);
      await ours(c);
      inputs.push(c);
    } catch {
      // unreadable by one side: not comparable
    }
  }
  if (!inputs.length) throw new Error('benchPdf: no readable PDF among the files given');

  let oursMs = 0;
  let rawMs = 0;
  let docs = 0;
  let pages = 0;
  const roundRatios: number[] = [];
  for (let round = 0; round < minRounds || oursMs < minMs; round++) {
    let o = 0;
    let r = 0;
    // Alternate which side goes first so drift in machine load falls on both.
    for (const input of inputs) {
      if (round % 2 === 0) {
        r += await time(() => rawText(input.bytes));
        o += await time(() => ours(input));
      } else {
        o += await time(() => ours(input));
        r += await time(() => rawText(input.bytes));
      }
      docs++;
      pages += input.pages;
    }
    oursMs += o;
    rawMs += r;
    roundRatios.push(o / r);
  }
  const ratio = oursMs / rawMs;
  const medianRatio = roundRatios.sort((a, b) => a - b)[roundRatios.length >> 1];
  const skipped = candidates.length - inputs.length;
  return {
    name: 'ogi pdf extractor vs pdf.js getTextContent',
    docs,
    pages,
    oursMs,
    rawMs,
    ratio,
    medianRatio,
    docsPerSec: (docs / oursMs) * 1000,
    pagesPerSec: (pages / oursMs) * 1000,
    seconds: oursMs / 1000,
    target: `≤ ${TARGET_RATIO} × raw`,
    pass: ratio <= TARGET_RATIO,
    note:
      `${inputs.length} files, ${(pages / docs).toFixed(1)} pages/doc; ours ${(oursMs / docs).toFixed(0)} ms/doc, ` +
      `raw getTextContent ${(rawMs / docs).toFixed(0)} ms/doc, ratio ${ratio.toFixed(2)} (median of ${roundRatios.length} rounds ${medianRatio.toFixed(2)})` +
      (skipped ? `; ${skipped} unreadable file(s) left out` : ''),
  };
}
