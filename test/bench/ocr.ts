/**
 * OCR speed and accuracy on the scanned fixtures (test/fixtures/ocr), beside
 * the baseline the issue sets, measured in the same run on the same page
 * images (pdfimages -j pulls them out of the PDFs unchanged):
 *
 * - plain `tesseract PAGE - -l chi_sim`, once per page, one page after another
 *   (tesseract's own OpenMP threads use both cores);
 * - the same with OMP_THREAD_LIMIT=1 (one core: the fair baseline for ogi,
 *   whose tesseract runs are single-threaded and whose 2 workers use the two
 *   cores).
 *
 * ogi: the built CLI, `ogi extract --json --workers 2` over the scanned PDFs,
 * measured from outside (wall time, peak RSS of ogi and its tesseract and
 * poppler children). Each side's CPU time (its process tree, from
 * /proc/self/stat's cutime/cstime) is reported too: on a machine shared with
 * other jobs wall times are noisy, CPU seconds much less so.
 *
 * Accuracy over every scanned fixture (PDFs, the Word file of pictures, the
 * 图片版 HTML page): cells exact, wrong cells below 0.5, findings (only the
 * planted localised break may produce any). Target: ogi pages/s ≥ 0.8 ×
 * baseline, peak RSS < 1 GB. Needs tesseract, chi_sim, pdfimages.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMeasured } from './proc.js';

/** CPU seconds of the waited-for children of this process so far. */
function childCpu(): number {
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(f[13]) + Number(f[14])) / 100;
}

interface Manifest {
  gold: string;
  pages: number;
  docx?: boolean;
  html?: boolean;
}

/** Findings the planted filing errors must produce (test/ocr/scans.test.ts); anything else is a misreading's. */
const PLANTED: Record<string, number> = { 't3-localised-200': 2 };

export async function benchOcr(root: string): Promise<Record<string, unknown>[]> {
  const dir = join(root, 'test', 'fixtures', 'ocr');
  const cli = join(root, 'dist', 'src', 'cli', 'main.js');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, Manifest>;
  const pdfs = Object.keys(manifest).filter((n) => !manifest[n].docx);
  const tmp = mkdtempSync(join(tmpdir(), 'ogi-bench-ocr-'));
  try {
    for (const n of pdfs) execFileSync('pdfimages', ['-j', join(dir, `${n}.pdf`), join(tmp, n)]);
    const pages = readdirSync(tmp)
      .sort()
      .map((f) => join(tmp, f));
    const baseline = (env: NodeJS.ProcessEnv) => {
      const cpu = childCpu();
      const t = performance.now();
      for (const p of pages) execFileSync('tesseract', [p, '-', '-l', 'chi_sim'], { env, stdio: ['ignore', 'ignore', 'ignore'] });
      return { seconds: (performance.now() - t) / 1000, cpu: childCpu() - cpu };
    };
    const plain = baseline(process.env);
    const single = baseline({ ...process.env, OMP_THREAD_LIMIT: '1' });

    const files = [...pdfs.map((n) => join(dir, `${n}.pdf`))];
    const cpu0 = childCpu();
    const run = await runMeasured(process.execPath, [cli, 'extract', '--json', '--workers', '2', ...files]);
    const ogiCpu = childCpu() - cpu0;
    if (run.code !== 0) throw new Error(`ogi extract exited ${run.code}: ${run.stderrTail.slice(-400)}`);
    // The pictures (Word, 图片版 HTML) for accuracy only: they are not pages of the baseline.
    const others = Object.keys(manifest).flatMap((n) => [
      ...(manifest[n].docx ? [join(dir, `${n}.docx`)] : []),
      ...(manifest[n].html ? [join(dir, `${n}.html`)] : []),
    ]);
    const more = others.length ? await runMeasured(process.execPath, [cli, 'extract', '--json', '--workers', '2', ...others]) : undefined;

    let cells = 0;
    let exact = 0;
    let wrong = 0;
    let wrongLow = 0;
    let misreadFindings = 0;
    let plantedFound = 0;
    const docs = [...run.stdout.trim().split('\n'), ...(more?.stdout.trim().split('\n') ?? [])].filter(Boolean);
    for (const line of docs) {
      const doc = JSON.parse(line) as {
        file: string;
        fields: Record<string, { value: number | null; confidence: number }>;
        findings: unknown[];
      };
      const name = doc.file
        .split('/')
        .pop()!
        .replace(/\.(pdf|docx|html)$/, '');
      const gold = JSON.parse(readFileSync(join(dir, manifest[name].gold), 'utf8')) as { fields: Record<string, number | null> };
      for (const [k, v] of Object.entries(gold.fields)) {
        cells++;
        const f = doc.fields[k];
        if (f && f.value === v) exact++;
        else if (f) {
          wrong++;
          if (f.confidence < 0.5) wrongLow++;
        }
      }
      const planted = PLANTED[name] ?? 0;
      plantedFound += Math.min(planted, doc.findings.length);
      misreadFindings += Math.max(0, doc.findings.length - planted);
    }
    const n = pages.length;
    const ours = run.seconds;
    return [
      {
        name: `ogi extract --workers 2, ${pdfs.length} scanned PDFs`,
        docs: pdfs.length,
        pages: n,
        seconds: ours,
        pagesPerSec: n / ours,
        peakRssMb: run.peakRssMb,
        target: '≥ 0.8 × baseline pages/s (OMP_THREAD_LIMIT=1); RSS < 1024 MB',
        pass: n / ours >= 0.8 * (n / single.seconds) && (run.peakRssMb ?? 0) < 1024,
        note:
          `baseline tesseract -l chi_sim per page: ${(n / plain.seconds).toFixed(2)} pages/s plain (${plain.cpu.toFixed(1)} CPU s), ` +
          `${(n / single.seconds).toFixed(2)} with OMP_THREAD_LIMIT=1 (${single.cpu.toFixed(1)} CPU s); ` +
          `ogi ${ogiCpu.toFixed(1)} CPU s; ogi/baseline pages/s ${(plain.seconds / ours).toFixed(2)} plain, ${(single.seconds / ours).toFixed(2)} single-thread; ` +
          `CPU ratio ${(single.cpu / ogiCpu).toFixed(2)}; ` +
          `accuracy over ${docs.length} docs (PDFs, Word pictures, 图片版 page): cells ${exact}/${cells} exact (${((100 * exact) / cells).toFixed(2)}%), ` +
          `${wrong} wrong of which ${wrongLow} below 0.5; planted localised breaks found ${plantedFound}/${Object.values(PLANTED).reduce((a, b) => a + b, 0)}; ` +
          `${misreadFindings} findings from misreadings`,
      },
    ];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
