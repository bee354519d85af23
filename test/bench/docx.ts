/**
 * DOCX throughput: the docx extractor alone (bytes in memory → document
 * model), over the given files repeated until the run is long enough to
 * measure. Target ≥ 50 docs/s.
 */
import { readFileSync } from 'node:fs';
import { extractor } from '../../extractors/docx/index.js';

export const TARGET_DOCS_PER_SEC = 50;

export interface DocxBench {
  name: string;
  docs: number;
  ms: number;
  docsPerSec: number;
  seconds: number;
  target: string;
  pass: boolean;
  note: string;
}

export async function benchDocx(files: string[], minMs = 2000, minDocs = 200): Promise<DocxBench> {
  const inputs = files.map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(f)) }));
  if (!inputs.length) throw new Error('benchDocx: no .docx files given');
  // One untimed pass warms the JIT and reports unreadable inputs.
  let failed = 0;
  for (const input of inputs) await extractor.extract(input, {}).catch(() => failed++);
  let docs = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  while (docs < minDocs || performance.now() - started < minMs) {
    for (const input of inputs) {
      await extractor.extract(input, {}).catch(() => undefined);
      docs++;
    }
  }
  const ms = performance.now() - started;
  const cpuMs = (({ user, system }) => (user + system) / 1000)(process.cpuUsage(cpu));
  const docsPerSec = (docs / ms) * 1000;
  return {
    name: 'ogi docx extractor',
    docs,
    ms,
    docsPerSec,
    seconds: ms / 1000,
    target: `≥ ${TARGET_DOCS_PER_SEC} docs/s`,
    pass: docsPerSec >= TARGET_DOCS_PER_SEC,
    // CPU time per document shows the extractor's own cost when the machine is busy with other work.
    note:
      `${inputs.length} files, ${(inputs.reduce((s, i) => s + i.bytes.length, 0) / inputs.length / 1024).toFixed(0)} KB average, ` +
      `${(cpuMs / docs).toFixed(1)} ms CPU per document${failed ? `, ${failed} unreadable` : ''}`,
  };
}
