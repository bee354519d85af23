/**
 * Tables flattened into one line by a crawler, cells run together:
 * "规范性文件7777166", "一、本年新收政府信息公开申请数量200 000121".
 *
 * A run is split into the form's number of cells (every cell is 0 or has no
 * leading zero; spaces are cell boundaries; a minus sign starts a cell).
 * Where several splits are possible, the identity solver chooses: the
 * combination of splits under which the fewest of the form's sums fail; a
 * row whose best splits disagree (and table 2, which no sum covers) is left
 * out with `digit-run-ambiguous`. Every value found this way starts at the
 * 'digit-run' confidence (0.3, flag 'digit-run-split'): a vanished blank cell
 * can make a split wrong. Values whose sums all hold rise to
 * SOLVED.confirmedRun (0.6): leads that add up, still below a finding's bar.
 */
import type { DocumentModel, Message } from '../model.js';
import { FIELD_KEYS } from '../spec/fields.js';
import { T2_DEFAULT_COLUMNS, T2_ROWS, T3_COLUMNS, T4_COLUMNS, T4_GROUPS, t3Rows, type T3Variant } from './catalog.js';
import { makeField } from './field.js';
import { SOLVED } from './confidence.js';
import { chooseByIdentities, confirmByIdentities, type Choice } from './identity-solver.js';
import { toHalfWidth } from './normalize.js';
import type { T2Form } from './table2.js';
import type { Field } from '../contract/document.js';

const CELL = /^(?:0|-?[1-9]\d*)(?:\.\d+)?(?:万元|元)?$/;
const RUN = /^[-\d\s.,元万]+/;
const MAX_SPLITS = 64;

/** All ways to cut `run` into `k` cells (capped). Spaces are hard boundaries. */
export function splitRun(run: string, k: number): string[][] {
  const tokens = run.trim().split(/\s+/).filter(Boolean);
  const out: string[][] = [];
  const walk = (t: number, pos: number, acc: string[]) => {
    if (out.length > MAX_SPLITS) return;
    if (t === tokens.length) {
      if (acc.length === k) out.push(acc.slice());
      return;
    }
    const tok = tokens[t];
    if (pos === tok.length) return walk(t + 1, 0, acc);
    if (acc.length >= k) return;
    for (let end = pos + 1; end <= tok.length; end++) {
      const piece = tok.slice(pos, end);
      // A unit may only close a token.
      if (/[元万]/.test(piece) && end !== tok.length) continue;
      if (!CELL.test(piece)) continue;
      acc.push(piece);
      walk(t, end, acc);
      acc.pop();
    }
  };
  walk(0, 0, []);
  return out;
}

/** A run with several possible splits, decided later by the identities. */
interface Pending {
  run: string;
  keys: string[];
  splits: string[][];
  start: number;
  label: string;
}

interface Ctx {
  fields: Record<string, Field>;
  pending: Pending[];
  warnings: Message[];
  block: number;
  /** The normalised block text and the original offset of each of its characters. */
  text: string;
  offsets: number[];
}

function emit(ctx: Ctx, keys: string[], cells: string[], segStart: number, label: string, into: Record<string, Field> = ctx.fields) {
  let at = segStart;
  keys.forEach((key, j) => {
    const raw = cells[j];
    at = Math.max(at, ctx.text.indexOf(raw, at));
    if (!FIELD_KEYS.has(key)) {
      at += raw.length;
      return;
    }
    const chars: [number, number] = [ctx.offsets[at] ?? at, (ctx.offsets[at + raw.length - 1] ?? at + raw.length - 1) + 1];
    into[key] = makeField(key, { text: raw, source: { block: ctx.block, chars } }, 'digit-run', [], {
      row: label,
      col: key.split('.').pop(),
    });
    at += raw.length;
  });
}

/** The value run right after position `from`, stopping at the next label text. */
function runAt(text: string, from: number, nextEnumerator?: string): { run: string; start: number } {
  let run = text.slice(from).match(RUN)?.[0] ?? '';
  // "00000002.其他法律…": the next label's enumerator is glued to the run.
  if (nextEnumerator && run.replace(/\s+$/, '').endsWith(nextEnumerator)) {
    run = run.replace(/\s+$/, '').slice(0, -nextEnumerator.length);
  }
  return { run: run.replace(/[\s.]+$/, ''), start: from + (run.length - run.trimStart().length) };
}

/** Splits a run into the row's cells: emitted when one split is possible, kept for the identities when several are. */
function splitRow(ctx: Ctx, run: string, keys: string[], start: number, label: string): void {
  if (!run.trim()) return;
  const splits = splitRun(run, keys.length);
  if (splits.length === 1) return emit(ctx, keys, splits[0], start, label);
  if (splits.length > 1 && splits.length <= MAX_SPLITS) {
    ctx.pending.push({ run, keys, splits, start, label });
    return;
  }
  ambiguous(ctx, run, keys.length, label, splits.length);
}

function ambiguous(ctx: Ctx, run: string, k: number, label: string, n: number): void {
  ctx.warnings.push({
    code: 'digit-run-ambiguous',
    message: `"${label}": run "${run.trim()}" has ${n > MAX_SPLITS ? `more than ${MAX_SPLITS}` : n} possible ${k}-cell splits${n > 1 ? " that the form's sums cannot tell apart" : ''}; left out`,
  });
}

/** The runs with several splits: the identities choose where they can; the rest is left out. */
function decide(ctx: Ctx): void {
  const choices: Choice[] = ctx.pending.map((p) => ({
    options: p.splits.map((cells) => {
      const into: Record<string, Field> = {};
      emit(ctx, p.keys, cells, p.start, p.label, into);
      return into;
    }),
  }));
  const chosen = chooseByIdentities(ctx.fields, choices);
  ctx.pending.forEach((p, i) => {
    const k = chosen[i];
    if (k === undefined) return ambiguous(ctx, p.run, p.keys.length, p.label, p.splits.length);
    for (const [key, f] of Object.entries(choices[i].options[k])) {
      f.flags.push('split-by-identities');
      ctx.fields[key] = f;
    }
  });
}

/** Printed enumerators of table-3 rows: "1." before 属于国家秘密, etc. */
const T3_ENUM: Record<string, string> = {
  denied_state_secret: '1.',
  denied_prohibited: '2.',
  denied_security_stability: '3.',
  denied_third_party: '4.',
  denied_internal_affairs: '5.',
  denied_process_info: '6.',
  denied_enforcement_file: '7.',
  denied_query: '8.',
  unable_not_held: '1.',
  unable_needs_creation: '2.',
  unable_unclear: '3.',
  rejected_complaint: '1.',
  rejected_duplicate: '2.',
  rejected_publication: '3.',
  rejected_excessive: '4.',
  rejected_confirmation: '5.',
  other_no_correction: '1.',
  other_unpaid_fee: '2.',
  other_misc: '3.',
};

function mapT3(ctx: Ctx, text: string) {
  const variant: T3Variant = /逾期不补正|逾期未按收费/.test(text) ? 'triple' : 'single';
  const rows = t3Rows(variant);
  // Locate each label in order.
  const found: { id: string; start: number; end: number; label: string }[] = [];
  let pos = 0;
  for (const r of rows) {
    const label = r.id === 'other' ? '其他处理' : r.labels[0];
    const i = text.indexOf(label, pos);
    if (i < 0) continue;
    found.push({ id: r.id, start: i, end: i + label.length, label });
    pos = i + label.length;
  }
  found.forEach((f, n) => {
    const next = found[n + 1];
    const { run, start } = runAt(text.slice(0, next ? next.start : text.length), f.end, next ? T3_ENUM[next.id] : undefined);
    splitRow(
      ctx,
      run,
      T3_COLUMNS.map((c) => `t3.${f.id}.${c.id}`),
      start,
      f.label,
    );
  });
}

function mapT4(ctx: Ctx, text: string) {
  const last = text.lastIndexOf('总计');
  if (last < 0) return;
  const { run, start } = runAt(text, last + 2);
  const keys = T4_GROUPS.flatMap((g) => T4_COLUMNS.map((c) => `t4.${g.id}.${c.id}`));
  splitRow(ctx, run, keys, start, '行政复议、行政诉讼');
}

function mapT2(ctx: Ctx, text: string, from: number, form: T2Form) {
  const columns = T2_DEFAULT_COLUMNS[form];
  let pos = from;
  for (const r of T2_ROWS) {
    const cols = columns[r.id];
    if (!cols) continue;
    // Longest label first so 行政规范性文件 is not read as 规范性文件 + garbage.
    let hit: { i: number; label: string } | undefined;
    for (const label of [...r.labels].sort((a, b) => b.length - a.length)) {
      const i = text.indexOf(label, pos);
      if (i >= 0 && (!hit || i < hit.i)) hit = { i, label };
    }
    if (!hit) continue;
    pos = hit.i + hit.label.length;
    const { run, start } = runAt(text, pos);
    splitRow(
      ctx,
      run,
      cols.map((c) => `t2.${r.id}.${c}`),
      start,
      hit.label,
    );
  }
}

export function mapDigitRuns(
  doc: DocumentModel,
  yearForm: T2Form | undefined,
): { fields: Record<string, Field>; warnings: Message[]; form?: T2Form } {
  const ctx: Ctx = { fields: {}, pending: [], warnings: [], block: 0, text: '', offsets: [] };
  let form: T2Form | undefined;
  doc.blocks.forEach((b, block) => {
    if (b.kind === 'table' || Object.keys(ctx.fields).length) return;
    const { text, offsets } = normaliseRunText(b.text);
    const t2At = text.indexOf('第二十条第');
    const t3At = text.indexOf('本年新收政府信息公开申请数量', Math.max(0, t2At));
    if (t3At < 0) return;
    const t4At = text.search(/结转下年度继续办理/);
    const endAt = text.indexOf('存在的主要问题', Math.max(0, t4At));
    ctx.block = block;
    ctx.text = text;
    ctx.offsets = offsets;
    if (t2At >= 0) {
      const t2 = text.slice(0, t3At);
      form = /本年新制作数量|上一年项目数量/.test(t2) ? '2019' : /本年制发件数|本年收费金额/.test(t2) ? '2021' : yearForm;
      if (form) mapT2(ctx, t2, t2At, form);
    }
    const t3End = t4At >= 0 ? text.indexOf('行政复议', t4At) : -1;
    mapT3(ctx, text.slice(0, t3End >= 0 ? t3End : endAt >= 0 ? endAt : text.length));
    if (t3End >= 0) mapT4(ctx, text.slice(0, endAt >= 0 ? endAt : text.length));
    decide(ctx);
  });
  confirmByIdentities(ctx.fields, Object.keys(ctx.fields), SOLVED.confirmedRun);
  return { fields: ctx.fields, warnings: ctx.warnings, form };
}

/**
 * Like normLabel, but keeps runs of spaces as one space (in run-together text a
 * space is a cell boundary), and remembers each character's offset in the
 * original text so that sources point at what was printed.
 */
export function normaliseRunText(s: string): { text: string; offsets: number[] } {
  // Parts joined once at the end, and the last character kept aside: reading the end of a
  // string built with += flattens it each time, which made a 1 MB line take 36 s.
  const parts: string[] = [];
  const offsets: number[] = [];
  let last = '';
  for (let i = 0; i < s.length; i++) {
    let c = toHalfWidth(s[i]);
    if (/["'“”‘’「」『』]/.test(c)) continue;
    if (/[\s\u00a0]/.test(c)) {
      if (last === ' ') continue;
      c = ' ';
    } else if (/[、.．,，]/.test(c) && /\d/.test(last) && !/\d/.test(s[i + 1] ?? '')) {
      c = '.';
    } else if (c === '：') c = ':';
    parts.push(c);
    last = c;
    offsets.push(i);
  }
  return { text: parts.join(''), offsets };
}
