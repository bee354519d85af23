/**
 * The identity solver for recognised (OCR) values: the form's arithmetic
 * decides how far a reading can be trusted, and corrects a misreading when
 * exactly one plausible other reading makes the identities hold.
 *
 * - A value whose identities all hold is trusted (SOLVED.confirmed).
 * - Correction: for each failing identity, the plausible other readings of
 *   its cells (the recogniser's own alternatives; for unsure cells also
 *   1↔7, 0↔8, 3↔8, 5↔6, a lost or a doubled digit) that make every identity
 *   of that cell hold. When exactly one such reading exists for the failing
 *   identity it is taken, flagged `ocr-corrected`.
 * - A failing identity is the filing's error, not the reading's, when it is
 *   localised: each of its cells also takes part in another identity that
 *   holds. Its cells keep a finding-worthy confidence, so validation reports it.
 * - Any other value inside a failing identity stays below 0.5
 *   (`identity-failed`): a finding never comes from a misreading.
 */
import type { Message } from '../model.js';
import type { Field } from '../contract/document.js';
import { SOLVED, round3 } from './confidence.js';
import { readingOf } from './field.js';
import { evaluate, identities, keysOf, type Identity, type IdentityState } from './identities.js';

/** Glyph pairs a recogniser confuses in printed digits. */
const CONFUSED: Record<string, string[]> = { '1': ['7'], '7': ['1'], '0': ['8'], '8': ['0', '3'], '3': ['8'], '5': ['6'], '6': ['5'] };
/** Readings at least this sure are not second-guessed with the confusion table (only the recogniser's own alternatives count). */
const SURE = 0.9;
const MAX_ROUNDS = 8;

function validNumber(s: string): boolean {
  return /^-?(0|[1-9]\d*)(\.\d+)?$/.test(s);
}

/** Plausible other values of a recognised number. */
export function plausibleValues(raw: string, alternatives: string[], unsure: boolean): Set<number> {
  const out = new Set<number>();
  const add = (s: string) => {
    const t = s.replace(/,/g, '');
    if (validNumber(t)) out.add(Number(t));
  };
  alternatives.forEach(add);
  const t = raw.replace(/,/g, '');
  if (unsure && validNumber(t)) {
    const cs = Array.from(t);
    cs.forEach((c, i) => {
      for (const d of CONFUSED[c] ?? []) add([...cs.slice(0, i), d, ...cs.slice(i + 1)].join(''));
      // A doubled digit: one of two equal neighbours dropped.
      if (i > 0 && cs[i - 1] === c) add([...cs.slice(0, i), ...cs.slice(i + 1)].join(''));
    });
    // A lost digit, anywhere.
    for (let i = 0; i <= cs.length; i++) for (let d = 0; d <= 9; d++) add([...cs.slice(0, i), String(d), ...cs.slice(i)].join(''));
  }
  out.delete(Number(t));
  return out;
}

export function solveReadings(fields: Record<string, Field>): Message[] {
  const recognised = Object.keys(fields).filter((k) => readingOf(fields[k]));
  if (!recognised.length) return [];
  const ids = identities(fields);
  const member = new Map<string, Identity[]>();
  for (const id of ids) for (const k of keysOf(id)) member.set(k, [...(member.get(k) ?? []), id]);
  const state = (id: Identity): IdentityState => evaluate(fields, id);
  const warnings: Message[] = [];
  const corrected = new Set<string>();

  for (let round = 0; round < MAX_ROUNDS; round++) {
    const failing = ids.filter((id) => state(id) === 'fails');
    if (!failing.length) break;
    const fixes: { key: string; value: number }[] = [];
    for (const key of new Set(failing.flatMap(keysOf))) {
      const f = fields[key];
      const r = f && readingOf(f);
      if (!f || !r || f.value === null || corrected.has(key)) continue;
      const was = f.value;
      for (const v of plausibleValues(f.raw, r.alternatives ?? [], r.confidence < SURE)) {
        f.value = v;
        const mine = member.get(key) ?? [];
        if (mine.every((id) => state(id) !== 'fails') && mine.some((id) => state(id) === 'holds')) fixes.push({ key, value: v });
      }
      f.value = was;
    }
    let applied = false;
    for (const id of failing) {
      if (state(id) !== 'fails') continue;
      const keys = new Set(keysOf(id));
      const mine = fixes.filter((x) => keys.has(x.key));
      if (mine.length !== 1) continue;
      const { key, value } = mine[0];
      const f = fields[key];
      warnings.push({
        code: 'ocr-corrected',
        message: `${key}: read as ${f.raw}, corrected to ${value}, the one plausible reading that makes the form's sums hold`,
        source: 'mapping:identities',
        place: f.source,
      });
      f.value = value;
      f.raw = String(value);
      f.flags.push('ocr-corrected');
      corrected.add(key);
      applied = true;
    }
    if (!applied) break;
  }

  const holdsElsewhere = (key: string, except: Identity) => (member.get(key) ?? []).some((j) => j !== except && state(j) === 'holds');
  const localised = (id: Identity) => keysOf(id).every((k) => !fields[k] || holdsElsewhere(k, id));
  for (const key of recognised) {
    const f = fields[key];
    const checked = (member.get(key) ?? []).map((id) => [id, state(id)] as const).filter(([, s]) => s !== 'skipped');
    if (!checked.length) continue; // no identity covers it (table 2) or none could be checked: the reading alone
    const failed = checked.filter(([, s]) => s === 'fails').map(([id]) => id);
    if (!failed.length) f.confidence = corrected.has(key) ? SOLVED.corrected : Math.max(f.confidence, SOLVED.confirmed);
    else if (failed.every(localised)) f.confidence = Math.max(f.confidence, SOLVED.confirmed);
    else {
      f.confidence = round3(Math.min(f.confidence, SOLVED.failedCap));
      if (!f.flags.includes('identity-failed')) f.flags.push('identity-failed');
    }
  }
  return warnings;
}

/** One undecided part of a table: several ways to read the same cells (splits of one digit run). */
export interface Choice {
  /** Each option's fields (the same keys in every option). */
  options: Record<string, Field>[];
}

/** Combinations tried at most; beyond, the choices are left undecided. */
const MAX_COMBINATIONS = 200_000;

/**
 * Chooses among alternative readings by the form's sums: every combination
 * of options is put beside the `fixed` fields and the identities evaluated;
 * the combinations with the fewest failing identities are the best. A choice
 * is decided (its option index) when every best combination agrees on it,
 * and undefined otherwise (also when none of its keys takes part in an
 * identity: nothing can tell its options apart).
 *
 * The search is depth-first with a bound. An identity that reads one open
 * choice only (a row's own sum) is evaluated once per option beforehand; the
 * others once, at the depth where the last choice they read is set. A branch
 * is cut when its failures so far, plus the fewest its remaining choices can
 * add on their own, exceed the best so far; options are tried fewest own
 * failures first, so a good bound comes early. Only combinations that cannot
 * be among the best are skipped: the result is that of trying them all.
 */
export function chooseByIdentities(fixed: Record<string, Field>, choices: Choice[]): (number | undefined)[] {
  const result: (number | undefined)[] = choices.map(() => undefined);
  const fields: Record<string, Field> = { ...fixed };
  for (const c of choices) Object.assign(fields, c.options[0]);
  const ids = identities(fields);
  const covered = new Set(ids.flatMap(keysOf));
  const open = choices.map((c, i) => i).filter((i) => Object.keys(choices[i].options[0]).some((k) => covered.has(k)));
  if (!open.length || open.reduce((n, i) => n * choices[i].options.length, 1) > MAX_COMBINATIONS) return result;
  // The depth (index in `open`) that sets each key.
  const depthOf = new Map<string, number>();
  open.forEach((ci, n) => Object.keys(choices[ci].options[0]).forEach((k) => depthOf.set(k, n)));
  const own: Identity[][] = open.map(() => []);
  const settledAt: Identity[][] = open.map(() => []);
  for (const id of ids) {
    const depths = new Set(keysOf(id).flatMap((k) => (depthOf.has(k) ? [depthOf.get(k)!] : [])));
    // Identities no open choice takes part in cannot change.
    if (depths.size === 1) own[[...depths][0]].push(id);
    else if (depths.size > 1) settledAt[Math.max(...depths)].push(id);
  }
  // Each option's own failures, and the options of each choice in the order they are tried.
  const ownFails = open.map((ci, n) =>
    choices[ci].options.map((o) => {
      Object.assign(fields, o);
      return own[n].filter((id) => evaluate(fields, id) === 'fails').length;
    }),
  );
  const order = ownFails.map((fs) => fs.map((_, k) => k).sort((x, y) => fs[x] - fs[y]));
  // fewestAfter[n]: the fewest own failures choices n.. can add.
  const fewestAfter = new Array<number>(open.length + 1).fill(0);
  for (let n = open.length - 1; n >= 0; n--) fewestAfter[n] = fewestAfter[n + 1] + Math.min(...ownFails[n]);
  let best = Infinity;
  let bestCombos: number[][] = [];
  const pick: number[] = [];
  const walk = (n: number, fails: number) => {
    if (n === open.length) {
      if (fails < best) [best, bestCombos] = [fails, [pick.slice()]];
      else bestCombos.push(pick.slice());
      return;
    }
    const c = choices[open[n]];
    for (const k of order[n]) {
      let f = fails + ownFails[n][k];
      if (f + fewestAfter[n + 1] > best) break; // options are sorted: the rest have as many own failures or more
      Object.assign(fields, c.options[k]);
      pick[n] = k;
      for (const id of settledAt[n]) if (evaluate(fields, id) === 'fails') f++;
      if (f + fewestAfter[n + 1] <= best) walk(n + 1, f);
    }
  };
  walk(0, 0);
  open.forEach((ci, n) => {
    const first = bestCombos[0][n];
    if (bestCombos.every((b) => b[n] === first)) result[ci] = first;
  });
  return result;
}

/** Values whose every checked identity holds get `confidence` (split digit runs that add up: SOLVED.confirmedRun). */
export function confirmByIdentities(fields: Record<string, Field>, keys: string[], confidence: number): void {
  const ids = identities(fields);
  const member = new Map<string, Identity[]>();
  for (const id of ids) for (const k of keysOf(id)) member.set(k, [...(member.get(k) ?? []), id]);
  for (const key of keys) {
    const f = fields[key];
    const states = (member.get(key) ?? []).map((id) => evaluate(fields, id)).filter((s) => s !== 'skipped');
    if (f && states.length && states.every((s) => s === 'holds')) f.confidence = Math.max(f.confidence, confidence);
  }
}
