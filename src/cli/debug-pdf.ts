import type { Command } from 'commander';
import { readFile, writeFile } from 'node:fs/promises';
import { renderDebugSvg } from '../../extractors/pdf/debug.js';
import { processBytes } from '../pipeline/process.js';
import { CliError, EXIT_OK, parsePositiveInt } from './exit.js';
import { escapeXml } from '../text/xml.js';

/** The mapped fields of one page as an SVG layer: each cell's box with its key, value and confidence. */
function fieldLayer(fields: Awaited<ReturnType<typeof processBytes>>['doc']['fields'], page: number): string {
  const out = ['<g class="fields">'];
  for (const [key, f] of Object.entries(fields)) {
    if (f.source.page !== page || !f.source.bbox) continue;
    const [x0, y0, x1, y1] = f.source.bbox;
    const colour = f.confidence >= 0.8 ? '#1a7f37' : f.confidence >= 0.5 ? '#bf8700' : '#cf222e';
    out.push(
      `<rect x="${x0}" y="${y0}" width="${x1 - x0}" height="${y1 - y0}" fill="none" stroke="${colour}" stroke-width="0.8"><title>${escapeXml(
        `${key} = ${f.value} (raw "${f.raw}", confidence ${f.confidence}${f.flags.length ? `, ${f.flags.join(', ')}` : ''})`,
      )}</title></rect>`,
      `<text x="${x0 + 0.5}" y="${y1 - 0.8}" font-size="3" fill="${colour}">${escapeXml(key.replace(/^t\d\./, ''))}</text>`,
    );
  }
  out.push('</g>');
  return out.join('\n');
}

export function registerDebugPdf(program: Command): void {
  program
    .command('debug-pdf')
    .description(
      'Draw what ogi saw on one PDF page as an SVG: glyph boxes, ruling lines, rebuilt table cells (r{row}c{col}), and the mapped field keys coloured by confidence (green ≥ 0.8, amber ≥ 0.5, red below). Hover a box for its value.',
    )
    .argument('<file>', 'a PDF file')
    .requiredOption('--page <n>', 'page number (1-based)', parsePositiveInt('--page'))
    .option('--out <file>', 'SVG file to write (default: FILE.pN.svg)')
    .addHelpText(
      'after',
      `
Examples:
  $ ogi debug-pdf corpus/hzq2023_working.pdf --page 3     # → corpus/hzq2023_working.pdf.p3.svg
  $ ogi debug-pdf report.pdf --page 2 --out /tmp/p2.svg   # open it in a browser`,
    )
    .action(async (file: string, opts: { page: number; out?: string }) => {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (e) {
        throw new CliError(`cannot read ${file}: ${(e as Error).message}`, 2);
      }
      let svg: string;
      try {
        svg = await renderDebugSvg(new Uint8Array(bytes), opts.page);
      } catch (e) {
        throw new CliError(`cannot draw page ${opts.page} of ${file}: ${(e as Error).message}`);
      }
      const { doc } = await processBytes({ bytes, name: file });
      svg = svg.replace(/<\/svg>\s*$/, `${fieldLayer(doc.fields, opts.page)}\n</svg>\n`);
      const out = opts.out ?? `${file}.p${opts.page}.svg`;
      await writeFile(out, svg);
      const onPage = Object.values(doc.fields).filter((f) => f.source.page === opts.page).length;
      process.stderr.write(`wrote ${out}: page ${opts.page}, ${onPage} mapped field(s) on it\n`);
      process.exitCode = EXIT_OK;
    });
}
