/**
 * Tables flattened into one line by a crawler, cells run together:
 * "规范性文件7777166", "一、本年新收政府信息公开申请数量200 000121".
 *
 * A run is split into the form's number of cells where exactly one split is
 * possible (every cell is 0 or has no leading zero; spaces are cell
 * boundaries; a minus sign starts a cell). Ambiguous runs are left out. Every
 * value found this way gets the 'digit-run' confidence (0.3) and the
 * 'digit-run-split' flag: a vanished blank cell can make a unique split wrong,
 * so these numbers are leads, never facts. Resolving ambiguous runs with the
 * table identities is later work.
 */
import type { DocumentModel, Message } from '../model.js';
import { FIELD_KEYS } from '../spec/fields.js';
import { T2_DEFAULT_COLUMNS, T2_ROWS, T3_COLUMNS, T4_COLUMNS, T4_GROUPS, t3Rows, type T3Variant } from './catalog.js';
import { makeField } from './field.js';
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

interface Ctx {
  fields: Record<string, Field>;
  warnings: Message[];
  block: number;
  /** The normalised block text and the original offset of each of its characters. */
  text: string;
  offsets: number[];
}

function emit(ctx: Ctx, keys: string[], cells: string[], segStart: number, label: string) {
  let at = segStart;
  keys.forEach((key, j) => {
    const raw = cells[j];
    at = Math.max(at, ctx.text.indexOf(raw, at));
    if (!FIELD_KEYS.has(key)) {
      at += raw.length;
      return;
    }
    const chars: [number, number] = [ctx.offsets[at] ?? at, (ctx.offsets[at + raw.length - 1] ?? at + raw.length - 1) + 1];
    ctx.fields[key] = makeField(key, { text: raw, source: { block: ctx.block, chars } }, 'digit-run', [], {
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

function splitOne(ctx: Ctx, run: string, k: number, label: string): string[] | undefined {
  if (!run.trim()) return undefined;
  const splits = splitRun(run, k);
  if (splits.length === 1) return splits[0];
  ctx.warnings.push({
    code: 'digit-run-ambiguous',
    message: `"${label}": run "${run.trim()}" has ${splits.length > MAX_SPLITS ? `more than ${MAX_SPLITS}` : splits.length} possible ${k}-cell splits; left out`,
  });
  return undefined;
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
    const cells = splitOne(ctx, run, T3_COLUMNS.length, f.label);
    if (cells)
      emit(
        ctx,
        T3_COLUMNS.map((c) => `t3.${f.id}.${c.id}`),
        cells,
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
  const cells = splitOne(ctx, run, keys.length, '行政复议、行政诉讼');
  if (cells) emit(ctx, keys, cells, start, '行政复议、行政诉讼');
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
    const cells = splitOne(ctx, run, cols.length, hit.label);
    if (cells)
      emit(
        ctx,
        cols.map((c) => `t2.${r.id}.${c}`),
        cells,
        start,
        hit.label,
      );
  }
}

export function mapDigitRuns(
  doc: DocumentModel,
  yearForm: T2Form | undefined,
): { fields: Record<string, Field>; warnings: Message[]; form?: T2Form } {
  const ctx: Ctx = { fields: {}, warnings: [], block: 0, text: '', offsets: [] };
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
  });
  return { ...ctx, form };
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
