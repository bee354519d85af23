/**
 * text-vs-table over generated reports: agreeing restatements and traps must
 * give no finding; a planted contradiction exactly one, on its key. Shared by
 * the test (hundreds) and the benchmark (thousands).
 */
import { processBytes } from '../../src/pipeline/process.js';
import { statementsOf } from '../../src/validate/text-vs-table.js';
import {
  HTML_LAYOUTS,
  TEXT_LAYOUTS,
  plantContradiction,
  randomReport,
  renderHtml,
  renderText,
  withStatements,
  type RenderedFile,
  type SynthReport,
} from '../generate/synth/index.js';

export interface TextMeasure {
  documents: number;
  /** Statements the rule read (and compared where the cell is sure). */
  statements: number;
  /** Findings on reports whose text agrees with the table. */
  falseAlarms: number;
  planted: number;
  found: number;
  /** Examples of what went wrong, for the message. */
  problems: string[];
}

const LAYOUTS = [...HTML_LAYOUTS.map((l) => ({ kind: 'html' as const, l })), ...TEXT_LAYOUTS.map((l) => ({ kind: 'text' as const, l }))];

function render(r: SynthReport, i: number): RenderedFile {
  const x = LAYOUTS[i % LAYOUTS.length];
  return x.kind === 'html' ? renderHtml(r, x.l) : renderText(r, x.l);
}

export async function measureTextVsTable(n: number, firstSeed = 1): Promise<TextMeasure> {
  const m: TextMeasure = { documents: 0, statements: 0, falseAlarms: 0, planted: 0, found: 0, problems: [] };
  for (let i = 0; i < n; i++) {
    const seed = firstSeed + i;
    const base = randomReport(seed);
    const clean = withStatements(base, seed);
    const file = render(clean, i);
    const { doc, model } = await processBytes({ bytes: file.bytes, name: file.name, contentType: file.contentType });
    m.documents++;
    m.statements += model ? statementsOf(model, doc.report).length : 0;
    const alarms = doc.findings.filter((f) => f.rule === 'text-vs-table');
    if (alarms.length) {
      m.falseAlarms += alarms.length;
      if (m.problems.length < 5) m.problems.push(`false alarm, seed ${seed} ${file.name}: ${alarms.map((a) => a.message).join('; ')}`);
    }
    const planted = plantContradiction(base, seed);
    if (!planted) continue;
    const pf = render(planted.report, i);
    const out = await processBytes({ bytes: pf.bytes, name: pf.name, contentType: pf.contentType });
    m.documents++;
    // Only where the reader got the cell right and sure can the rule be asked to find it.
    const cell = out.doc.fields[planted.key];
    if (!cell || cell.value !== planted.table || cell.confidence < 0.8) continue;
    m.planted++;
    const got = out.doc.findings.filter((f) => f.rule === 'text-vs-table');
    if (got.length === 1 && got[0].keys[0] === planted.key && got[0].actual === planted.stated) m.found++;
    else if (m.problems.length < 5)
      m.problems.push(
        `planted ${planted.key} ${planted.table} → ${planted.stated}, seed ${seed} ${pf.name}: got ${JSON.stringify(got.map((g) => g.message))}`,
      );
  }
  return m;
}

/** npm run bench module: thousands of generated reports (OGI_BENCH_TEXT_N, default 2,000 clean + as many planted). */
export async function benchTextVsTable(): Promise<Record<string, unknown>> {
  const n = Number(process.env.OGI_BENCH_TEXT_N ?? 2000);
  const t0 = performance.now();
  const m = await measureTextVsTable(n, 100_000);
  const seconds = (performance.now() - t0) / 1000;
  return {
    name: 'text-vs-table over generated reports',
    docs: m.documents,
    seconds,
    target: '0 false alarms, every planted one found',
    pass: m.falseAlarms === 0 && m.found === m.planted,
    note: `${m.statements} statements read, ${m.falseAlarms} false alarms on ${n} clean reports, ${m.found}/${m.planted} planted contradictions found${m.problems.length ? `; ${m.problems[0]}` : ''}`,
  };
}
