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
