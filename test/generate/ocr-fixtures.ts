/**
 * Scanned copies of the official-form PDF fixtures (test/fixtures/pdf-form,
 * known values in their .json gold), for the OCR tests and bench:
 *
 *   npx tsc -p . && node dist/test/generate/ocr-fixtures.js
 *
 * Each page is rendered by pdftoppm (150, 200 or 300 dpi, grey), degraded by
 * ImageMagick (rotation up to ±1.5°, noise, blur, JPEG quality 60–85) and
 * wrapped into a PDF by img2pdf, one JPEG per page. The same page images also
 * make an image-only HTML page (图片版: page.html + page_files/). Needs
 * poppler-utils, imagemagick and img2pdf. Writes test/fixtures/ocr/ and its
 * manifest.json (which gold each scan has, and how it was degraded).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FORMS = join(ROOT, 'test', 'fixtures', 'pdf-form');
const OUT = join(ROOT, 'test', 'fixtures', 'ocr');

export interface ScanSpec {
  name: string;
  /** The pdf-form fixture scanned (its .json is the gold). */
  source: string;
  dpi: number;
  /** Degrees, ImageMagick -rotate (positive: clockwise). */
  rotate: number;
  /** ImageMagick -attenuate for Gaussian noise (0: none). */
  noise: number;
  /** ImageMagick -blur sigma (0: none). */
  blur: number;
  quality: number;
  /** Also an image-only HTML page of the same pictures. */
  html?: boolean;
}

export const SCANS: ScanSpec[] = [
  { name: 'filled-150', source: 'form2021-filled', dpi: 150, rotate: 0, noise: 0, blur: 0, quality: 70, html: true },
  { name: 't4-error-200-skew', source: 'form2021-t4-error', dpi: 200, rotate: 1.2, noise: 0.4, blur: 0, quality: 65 },
  { name: 'form2019-300-blur', source: 'form2019', dpi: 300, rotate: -0.8, noise: 0, blur: 0.6, quality: 60 },
  { name: 'blank-for-zero-200-noise', source: 'form2021-blank-for-zero', dpi: 200, rotate: -1.5, noise: 0.25, blur: 0.4, quality: 75 },
];

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeScan(spec: ScanSpec): { pages: number } {
  const tmp = mkdtempSync(join(tmpdir(), 'ogi-scan-'));
  try {
    run('pdftoppm', ['-r', String(spec.dpi), '-gray', '-png', join(FORMS, `${spec.source}.pdf`), join(tmp, 'p')]);
    const pngs = readdirSync(tmp)
      .filter((f) => f.endsWith('.png'))
      .sort();
    const jpgs: string[] = [];
    pngs.forEach((png, i) => {
      const jpg = join(tmp, `page${i + 1}.jpg`);
      const args = [join(tmp, png), '-background', 'white'];
      if (spec.rotate) args.push('-rotate', String(spec.rotate));
      if (spec.blur) args.push('-blur', `0x${spec.blur}`);
      if (spec.noise) args.push('-seed', String(7 + i), '-attenuate', String(spec.noise), '+noise', 'Gaussian');
      args.push('-colorspace', 'Gray', '-density', String(spec.dpi), '-units', 'PixelsPerInch', '-quality', String(spec.quality), jpg);
      run('convert', args);
      jpgs.push(jpg);
    });
    run('img2pdf', [...jpgs, '-o', join(OUT, `${spec.name}.pdf`)]);
    if (spec.html) {
      const dir = join(OUT, `${spec.name}_files`);
      mkdirSync(dir, { recursive: true });
      jpgs.forEach((j, i) => copyFileSync(j, join(dir, `page${i + 1}.jpg`)));
      const imgs = jpgs
        .map((_, i) => `<p style="text-align:center"><img src="${spec.name}_files/page${i + 1}.jpg" width="800"></p>`)
        .join('\n');
      writeFileSync(
        join(OUT, `${spec.name}.html`),
        `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>示范市自然资源局2023年度政府信息公开工作年度报告</title></head>\n<body>\n<div class="nav"><a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a></div>\n<div id="zoom">\n<h1>示范市自然资源局2023年度政府信息公开工作年度报告</h1>\n${imgs}\n</div>\n<div class="footer">主办单位：示范市人民政府办公室</div>\n</body></html>\n`,
      );
    }
    return { pages: jpgs.length };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function main(): void {
  mkdirSync(OUT, { recursive: true });
  const manifest: Record<string, ScanSpec & { pages: number; gold: string }> = {};
  for (const spec of SCANS) {
    const { pages } = makeScan(spec);
    manifest[spec.name] = { ...spec, pages, gold: `../pdf-form/${spec.source}.json` };
    process.stderr.write(`${spec.name}: ${pages} pages\n`);
  }
  writeFileSync(join(OUT, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
}

main();
