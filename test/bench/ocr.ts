/**
 * OCR speed and accuracy on the scanned fixtures (test/fixtures/ocr), beside
 * the baseline the issue sets: plain `tesseract PAGE - -l chi_sim`, once per
 * page, one page after another, on the same page images (pdfimages -j pulls
 * them out of the PDFs unchanged). ogi reads the PDFs two at a time (two
 * workers' worth of concurrency; its tesseract runs are child processes).
 * Target: ogi pages/s ≥ 0.8 × baseline. Needs tesseract, chi_sim and pdfimages.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processBytes } from '../../src/pipeline/process.js';

export async function benchOcr(root: string): Promise<Record<string, unknown>[]> {
  const dir = join(root, 'test', 'fixtures', 'ocr');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, { gold: string; pages: number }>;
  const names = Object.keys(manifest);
  const tmp = mkdtempSync(join(tmpdir(), 'ogi-bench-ocr-'));
  try {
    const pages: string[] = [];
    for (const n of names) {
      execFileSync('pdfimages', ['-j', join(dir, `${n}.pdf`), join(tmp, n)]);
    }
    for (const f of readdirSync(tmp).sort()) pages.push(join(tmp, f));
    const time = (env: NodeJS.ProcessEnv) => {
      const t = performance.now();
      for (const p of pages) execFileSync('tesseract', [p, '-', '-l', 'chi_sim'], { env, stdio: ['ignore', 'ignore', 'ignore'] });
      return (performance.now() - t) / 1000;
    };
    const plain = time(process.env);
    const single = time({ ...process.env, OMP_THREAD_LIMIT: '1' });

    const t = performance.now();
    let cells = 0;
    let exact = 0;
    let wrong = 0;
    let wrongLow = 0;
    let findings = 0;
    const queue = [...names];
    const worker = async () => {
      for (let n = queue.shift(); n; n = queue.shift()) {
        const { doc } = await processBytes({ bytes: readFileSync(join(dir, `${n}.pdf`)), name: n });
        const gold = JSON.parse(readFileSync(join(dir, manifest[n].gold), 'utf8')) as { fields: Record<string, number | null> };
        for (const [k, v] of Object.entries(gold.fields)) {
          cells++;
          const f = doc.fields[k];
          if (f && f.value === v) exact++;
          else if (f) {
            wrong++;
            if (f.confidence < 0.5) wrongLow++;
          }
        }
        findings += doc.findings.length; // no fixture has a localised break: every finding here would come from a misreading
      }
    };
    await Promise.all([worker(), worker()]);
    const ours = (performance.now() - t) / 1000;
    const n = pages.length;
    return [
      {
        name: 'ogi extract, scanned PDFs, 2 at a time',
        docs: names.length,
        pages: n,
        seconds: ours,
        pagesPerSec: n / ours,
        target: '≥ 0.8 × baseline pages/s',
        pass: n / ours >= 0.8 * (n / plain),
        note: `baseline tesseract -l chi_sim per page: ${(n / plain).toFixed(2)} pages/s plain, ${(n / single).toFixed(2)} with OMP_THREAD_LIMIT=1; ogi/baseline ${(plain / ours).toFixed(2)} (single-thread baseline ${(single / ours).toFixed(2)}); cells ${exact}/${cells} exact (${((100 * exact) / cells).toFixed(1)}%), ${wrong} wrong of which ${wrongLow} below 0.5; ${findings} findings (all would be from misreadings); RSS excludes tesseract's own (~110 MB each)`,
      },
    ];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
