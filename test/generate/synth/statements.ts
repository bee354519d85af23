/**
 * Sentences that restate a report's numbers in its text, for the
 * text-vs-table rule: true restatements in the phrasings real reports use,
 * traps that look alike but name another quantity (a channel, a subunit,
 * last year, 信息处理费, the agency as reviewer, approximate counts), and a
 * planted contradiction with exactly one known finding.
 */
import { createRng, hashString, type Rng } from './prng.js';
import type { SynthReport } from './types.js';
import { formatNumber, printedValue } from './values.js';

function shuffle<T>(rng: Rng, items: T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** A number the table prints (not blank), or undefined. */
function printed(r: SynthReport, key: string): number | undefined {
  const p = printedValue(r, key);
  if (p === '' || r.annotations?.[key] !== undefined) return undefined;
  const v = r.values[key];
  return typeof v === 'number' ? v : undefined;
}

/** A restatement of `key` that the rule reads, with the number it states. */
interface Restatement {
  key: string;
  /** Builds the sentence for a stated number. */
  say: (n: number) => string;
  /** Numbers that would also fit (with 上年结转). */
  alsoFits: number[];
}

function restatements(r: SynthReport, rng: Rng): Restatement[] {
  const out: Restatement[] = [];
  const y = r.year;
  const newTotal = printed(r, 't3.new.total');
  const over = printed(r, 't3.carried_over.total') ?? 0;
  if (newTotal !== undefined) {
    const verb = rng.pick(['收到', '受理', '接收', '新收']);
    const subject = rng.pick(['', '我单位', `${r.agency}`, '本机关', '全年共', `${y}年，`]);
    out.push({
      key: 't3.new.total',
      say: (n) => `${subject}${verb}政府信息公开申请${formatNumber(n)}件，均已按时办结。`,
      alsoFits: verb === '新收' ? [] : [newTotal + over],
    });
  }
  const review = printed(r, 't4.review.total');
  if (review !== undefined) {
    const form = rng.pick([
      (n: number) => `${y}年，因政府信息公开被申请行政复议${formatNumber(n)}件。`,
      (n: number) => `本年度发生政府信息公开行政复议案件${formatNumber(n)}件。`,
      (n: number) => `政府信息公开工作方面共有行政诉讼案件0件、行政复议案件${formatNumber(n)}件。`,
    ]);
    out.push({ key: 't4.review.total', say: form, alsoFits: [] });
  }
  if (r.template === '2021') {
    const fees = printed(r, 't2.fees.amount');
    if (fees !== undefined) out.push({ key: 't2.fees.amount', say: (n) => `全年行政事业性收费金额${formatNumber(n)}万元。`, alsoFits: [] });
    const issued = printed(r, 't2.normative.issued');
    if (issued !== undefined)
      out.push({ key: 't2.normative.issued', say: (n) => `本年制发行政规范性文件${formatNumber(n)}件。`, alsoFits: [] });
    const inForce = printed(r, 't2.normative.in_force');
    if (inForce !== undefined)
      out.push({ key: 't2.normative.in_force', say: (n) => `现行有效行政规范性文件${formatNumber(n)}件。`, alsoFits: [] });
  } else {
    const made = printed(r, 't2.normative.made');
    if (made !== undefined) out.push({ key: 't2.normative.made', say: (n) => `全年制定规范性文件${formatNumber(n)}件。`, alsoFits: [] });
  }
  return out;
}

/** Sentences with numbers the rule must not compare (another quantity, another year, approximate). */
function traps(r: SynthReport, rng: Rng): string[] {
  const y = r.year;
  const n = () => rng.int(1, 999);
  return shuffle(rng, [
    `其中，通过网上申请${n()}件，当面申请${n()}件，信函申请${n()}件。`,
    `申请数量较上年增加${n()}件。`,
    `${y - 1}年收到政府信息公开申请${n()}件。`,
    `区卫生健康局收到政府信息公开申请${n()}件。`,
    `全年收取信息处理费${n()}元。`,
    `清理行政规范性文件${n()}件。`,
    `作为复议机关，全年办理行政复议案件${n()}件，收到行政复议申请${n()}件。`,
    `全年收到政府信息公开申请${n()}余件，接待群众咨询${n()}人次。`,
    `自2008年以来累计收到政府信息公开申请${n() + 1000}件。`,
    `下一步，力争将行政事业性收费控制在${n()}万元以内。`,
  ]);
}

function assemble(
  r: SynthReport,
  seed: number,
  plant?: (options: Restatement[], rng: Rng) => { key: string; sentence: string } | undefined,
) {
  const rng = createRng(hashString(`statements:${seed}`));
  const options = restatements(r, rng.fork(1));
  const planted = plant?.(options, rng.fork(2));
  const agreeing = options
    .filter((s) => s.key !== planted?.key)
    .map((s) => s.say(s.alsoFits.length && rng.chance(0.3) ? s.alsoFits[0] : (printed(r, s.key) as number)));
  const sentences = shuffle(rng, [...agreeing, ...traps(r, rng.fork(3)).slice(0, rng.int(3, 10)), ...(planted ? [planted.sentence] : [])]);
  return { report: { ...r, statements: sentences }, planted };
}

/** Restatements that agree with the table (some in the 上年结转-inclusive reading) and traps. */
export function withStatements(r: SynthReport, seed: number): SynthReport {
  return assemble(r, seed).report;
}

export interface PlantedContradiction {
  report: SynthReport;
  key: string;
  stated: number;
  table: number;
}

/**
 * One restatement that contradicts the table, beside agreeing ones and traps.
 * Undefined when the report prints none of the restated cells.
 */
export function plantContradiction(r: SynthReport, seed: number): PlantedContradiction | undefined {
  let result: { key: string; stated: number; table: number } | undefined;
  const { report } = assemble(r, seed, (options, rng) => {
    if (!options.length) return undefined;
    const pick = rng.pick(options);
    const table = printed(r, pick.key) as number;
    const integer = Number.isInteger(table);
    let stated = table;
    while (stated === table || pick.alsoFits.includes(stated) || stated < 0) {
      stated = integer
        ? table + rng.pick([-1, 1]) * rng.int(1, Math.max(3, Math.round(table * 0.5)))
        : Number((table + rng.int(1, 99) / 10).toFixed(2));
    }
    result = { key: pick.key, stated, table };
    return { key: pick.key, sentence: pick.say(stated) };
  });
  return result ? { report, ...result } : undefined;
}
