/**
 * Generates the Word, .doc and PDF fixtures from the official 2021 Word form
 * (test/fixtures/word/template-2021-blank.docx), each with a gold JSON file.
 *
 *   npx tsc -p . && node dist/test/generate/word-fixtures.js [--no-convert] [--only NAME]
 *
 * DOCX files are written byte-for-byte reproducibly. The .doc and .pdf copies
 * are converted by LibreOffice (soffice must be on PATH or in OGI_SOFFICE),
 * one private profile per run so conversions can run in parallel.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildFixture, type FixtureSpec, type Gold } from './word/forms.js';
import { readPackage } from './word/ooxml.js';
import { sofficeBinary, sofficeConvert } from './soffice.js';

const run = promisify(execFile);

const BASE_NOTES =
  'Generated from the official 2021 Word form (test/fixtures/word/template-2021-blank.docx) by test/generate/word-fixtures.ts: ' +
  'cells filled by editing word/document.xml, merges are real w:gridSpan/w:vMerge. Values are seeded test data, not a real report.';

const SPECS: FixtureSpec[] = [
  {
    name: 'form2021-filled',
    form: '2021',
    agency: '示范市自然资源局',
    year: 2023,
    seed: 2101,
    profile: 'busy',
    look: 'plain',
    coreTitle: true,
    notes: `${BASE_NOTES} 2021 form, every value cell filled (0 printed as "0"). All identities hold: T3 new + carried_over = （七）总计 + carried_forward and （七）总计 = sum of result rows in each of the 7 columns, 总计 = sum of the six applicant columns in each row, T4 总计 = sum of its four parts. 一、总体情况 restates the T3 totals. docProps/core.xml carries the title.`,
  },
  {
    name: 'form2021-blank-for-zero',
    form: '2021',
    agency: '示范市文化和旅游局',
    year: 2023,
    seed: 2102,
    profile: 'sparse',
    blankZeros: true,
    look: 'plain',
    coreTitle: true,
    notes: `${BASE_NOTES} 2021 form of a small agency: every cell whose value is 0 is left empty (gold null, no raw). Read with blanks as 0, every identity holds.`,
  },
  {
    name: 'form2021-single-other',
    form: '2021-single-other',
    agency: '示范市住房和城乡建设局',
    year: 2022,
    seed: 2103,
    profile: 'busy',
    look: 'plain',
    coreTitle: false,
    notes: `${BASE_NOTES} 2021 form that keeps the 2019 single row （六）其他处理 (its label merged over columns B:C, the three sub-rows removed): 23 data rows, 三、本年度办理结果 spans 20 rows; values in t3.other.*. All identities hold. No dc:title in docProps/core.xml.`,
  },
  {
    name: 'form2019',
    form: '2019',
    agency: '示范市交通运输局',
    year: 2020,
    seed: 1901,
    profile: 'busy',
    look: 'plain',
    coreTitle: true,
    notes: `${BASE_NOTES} 2019 trial form rebuilt from the 2021 template: Table 2 has blocks （一）（五）（六）（八）（九） on a 4-column grid (（八） 本年增/减 and （九） 采购总金额 span 2 columns); Table 3 has the single （六）其他处理 row (三、 spans 20 rows). 本年增/减 may be negative; 采购总金额 is printed with 元 (raw). All identities hold.`,
  },
  {
    name: 'form2021-long',
    form: '2021',
    agency: '示范市生态环境局',
    year: 2023,
    seed: 2104,
    profile: 'busy',
    look: 'long',
    coreTitle: true,
    notes: `${BASE_NOTES} 2021 form with 13 pt text and tall rows (at least 820 twips) in Table 3 so that it splits across pages when rendered; the header rows are NOT repeated on the next page. All identities hold.`,
  },
  {
    name: 'form2021-long-repeat',
    form: '2021',
    agency: '示范市水利局',
    year: 2023,
    seed: 2105,
    profile: 'busy',
    look: 'long-repeat',
    coreTitle: true,
    notes: `${BASE_NOTES} As form2021-long, but Table 3's three header rows are marked w:tblHeader, so a renderer repeats them at the top of the continuation page. All identities hold.`,
  },
  {
    name: 'form2021-fonts',
    form: '2021',
    agency: '示范市教育局',
    year: 2024,
    seed: 2106,
    profile: 'busy',
    look: 'fonts',
    coreTitle: true,
    notes: `${BASE_NOTES} 2021 form with other fonts (黑体 title and headings, 楷体 sub-headings, 仿宋_GB2312 body, 宋体/仿宋/黑体 tables) and other column widths in Tables 3 and 4. The title uses style Title, 一、…六、 use "heading 1", and four auto-numbered "heading 2" sub-headings under 一、 get their labels （一）…（四） from numbering.xml (chineseCounting). All identities hold.`,
  },
  {
    name: 'form2021-t4-error',
    form: '2021',
    agency: '示范市自然资源局',
    year: 2023,
    seed: 2101,
    profile: 'busy',
    look: 'plain',
    coreTitle: true,
    wrongTotals: (v) => ({
      't4.review.total': 0,
      't4.litigation_after_review.total': v['t4.litigation_after_review.total'].value + 1,
    }),
    notes: `${BASE_NOTES} Identical to form2021-filled (same agency, year and values) except that Table 4 prints two wrong totals, like a real filing error: 行政复议 总计 is 0 although its parts are not, and 复议后起诉 总计 is one more than its parts. The narrative states the true 行政复议 count. These are real findings for t4-sum, not extraction errors.`,
  },
];

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'test', 'fixtures'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
}

function writeGold(path: string, gold: Gold): void {
  writeFileSync(path, JSON.stringify(gold, null, 1) + '\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  const root = repoRoot();
  const fx = join(root, 'test', 'fixtures');
  const template = readPackage(new Uint8Array(readFileSync(join(fx, 'word', 'template-2021-blank.docx'))));
  const dirs = { docx: join(fx, 'docx'), doc: join(fx, 'doc'), pdf: join(fx, 'pdf-form') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });

  const specs = SPECS.filter((s) => !only || s.name === only);
  const built: { spec: FixtureSpec; gold: Gold; path: string }[] = [];
  for (const spec of specs) {
    const { docx, gold } = buildFixture(template, spec);
    if (spec.wrongTotals && gold.source_inconsistencies.length === 0)
      throw new Error(`${spec.name}: wrong totals produced no inconsistency`);
    if (!spec.wrongTotals && gold.source_inconsistencies.length)
      throw new Error(`${spec.name}: identities fail: ${JSON.stringify(gold.source_inconsistencies)}`);
    const path = join(dirs.docx, `${spec.name}.docx`);
    writeFileSync(path, docx);
    writeGold(join(dirs.docx, `${spec.name}.json`), gold);
    built.push({ spec, gold, path });
    console.log(`docx  ${spec.name}: ${Object.keys(gold.fields).length} fields, ${docx.length} bytes`);
  }
  if (args.includes('--no-convert')) return;

  const { stdout } = await run(sofficeBinary(), ['--version']);
  const version = stdout.trim().split(/\s+/).slice(0, 2).join(' ');
  const jobs = built.flatMap((b) => (['doc', 'pdf'] as const).map((target) => ({ ...b, target })));
  const queue = [...jobs];
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const outDir = job.target === 'doc' ? dirs.doc : dirs.pdf;
      const dest = await sofficeConvert(job.path, job.target === 'doc' ? 'doc:MS Word 97' : 'pdf:writer_pdf_Export', outDir);
      const how =
        job.target === 'doc'
          ? 'the "MS Word 97" filter'
          : 'writer_pdf_Export (text layer; CJK fonts substituted by Noto CJK / WenQuanYi and embedded)';
      writeGold(dest.replace(/\.(doc|pdf)$/, '.json'), {
        ...job.gold,
        file: `${job.spec.name}.${job.target}`,
        kind: job.target,
        notes: `${job.gold.notes} Converted from docx/${job.spec.name}.docx by ${version} with ${how}; same values and layout as the DOCX.`,
      });
      console.log(`${job.target.padEnd(5)} ${job.spec.name}`);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
