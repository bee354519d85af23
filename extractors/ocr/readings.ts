/**
 * Recogniser output → a cell's text and its Reading (confidence and
 * plausible alternatives). Number cells are read twice: by the Chinese model
 * with the rest of the cell, and by a digits-only pass; agreement between the
 * two is what makes a number sure.
 */
import type { Reading } from '../../src/model.js';
import { isCjk, joinLines } from '../../src/text/cjk.js';
import type { OcrChar, OcrPage } from './hocr.js';

/** Glyphs the Chinese model gives for digits in table cells (a "1" often comes back as 工 or |). */
const DIGIT_LOOKALIKES: Record<string, string> = {
  工: '1',
  '|': '1',
  l: '1',
  I: '1',
  ']': '1',
  '[': '1',
  '!': '1',
  丨: '1',
  O: '0',
  o: '0',
  D: '0',
  Q: '0',
  〇: '0',
  S: '5',
  s: '5',
  B: '8',
  Z: '2',
  z: '2',
  g: '9',
  q: '9',
  '，': ',',
  '。': '.',
  '．': '.',
  '－': '-',
  '—': '-',
  '】': '1',
  '【': '1',
  '」': '1',
  '「': '1',
  '）': '1',
  '（': '1',
};

const NUMBER = /^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;
/** Chinese characters proper (not punctuation or full-width forms). */
const IDEOGRAPH = /[\u3400-\u9fff\uf900-\ufaff]/;

/**
 * A cell worth the digits-only pass: the Chinese model found no Chinese
 * character in it except those it makes of digits (a "1" read as 工), or
 * nothing at all. Labels never go through the digits pass: it would turn
 * 总计 into a number.
 */
export function digitCandidate(chiText: string): boolean {
  const t = chiText.replace(/\s+/g, '');
  if (t.length > 16) return false;
  return !Array.from(t).some((c) => IDEOGRAPH.test(c) && !(c in DIGIT_LOOKALIKES));
}

/**
 * Two digit readings of a number-shaped cell (alone, and in its row's strip)
 * that agree on a number with one character per printed glyph, both sure:
 * the Chinese pass would add nothing but time.
 */
export function digitsSure(digits: OcrPage | undefined, row: OcrPage | undefined, glyphs: number): boolean {
  const read = (p: OcrPage | undefined) => {
    const cs = chars(p);
    return { text: cs.map((c) => c.text).join(''), conf: minConf(cs) };
  };
  const a = read(digits);
  const b = read(row);
  return NUMBER.test(a.text) && a.text === b.text && Array.from(a.text).length === glyphs && Math.min(a.conf, b.conf) >= SURE_DIGITS;
}

/** Both digit readings at least this sure skip the Chinese pass. */
const SURE_DIGITS = 0.9;

function asNumber(text: string): string | null {
  const t = Array.from(text.replace(/\s+/g, ''))
    .map((c) => DIGIT_LOOKALIKES[c] ?? c)
    .join('');
  return NUMBER.test(t) ? t : null;
}

/** Words joined as printed: no space next to Chinese, one between Latin words. */
function lineText(words: { chars: OcrChar[] }[]): string {
  let out = '';
  for (const w of words) {
    const t = w.chars.map((c) => c.text).join('');
    if (out && !isCjk(Array.from(out).pop()) && !isCjk(Array.from(t)[0])) out += ' ';
    out += t;
  }
  return out;
}

/** The text of a recognised picture: lines joined as wrapped lines are (no break inside Chinese). */
export function pageText(p: OcrPage | undefined, sep = '\n'): string {
  return joinLines(
    (p?.lines ?? []).map((l) => lineText(l.words)).filter((l) => l.trim()),
    sep,
  );
}

function chars(p: OcrPage | undefined): OcrChar[] {
  return (p?.lines ?? []).flatMap((l) => l.words.flatMap((w) => w.chars));
}

function minConf(cs: OcrChar[]): number {
  return cs.length ? Math.min(...cs.map((c) => c.conf)) : 0;
}

/** Variants with one character replaced by one of the recogniser's own second choices. */
function choiceVariants(cs: OcrChar[], floor: number): string[] {
  const out: string[] = [];
  cs.forEach((c, i) => {
    for (const a of c.alts) {
      if (a.conf < floor) continue;
      out.push(
        cs
          .map((x, j) => (j === i ? a.text : x.text))
          .join('')
          .replace(/\s+/g, ''),
      );
    }
  });
  return out;
}

/** A dash drawn in a value cell; the Chinese model reads it as 一 (one). */
const DASHES = /^[一—–―\-_~～]+$/;

export interface CellInk {
  /** Ink components kept in the crop. */
  components: number;
  /** Width / height of the ink. */
  aspect: number;
  /** Glyphs side by side on one line. */
  glyphs: number;
  /** One line of narrow glyphs, as numbers are. */
  digitShaped: boolean;
}

/**
 * The cell's text and reading from the Chinese pass (`chi`) and, for cells
 * that may hold a number, the digits pass (`digits`).
 */
export function composeReading(
  chi: OcrPage | undefined,
  digits: OcrPage | undefined,
  ink: CellInk,
  rowDigits?: OcrPage,
): { text: string; reading: Reading } {
  const chiChars = chars(chi);
  const chiText = pageText(chi);
  const flat = chiText.replace(/\s+/g, '');
  // A single wide stroke: a dash (a blank value), whatever the models made of it.
  if (ink.components === 1 && ink.aspect > 2.5 && (DASHES.test(flat) || flat === '' || digitCandidate(flat))) {
    return { text: '—', reading: { confidence: 0.9 } };
  }
  const chiNumber = asNumber(flat);
  const readers = [digits, rowDigits]
    .filter((p): p is OcrPage => !!p)
    .map((p) => {
      const cs = chars(p);
      // A separator at either end is a speck read as punctuation: no number starts or ends with one.
      const t = cs
        .map((c) => c.text)
        .join('')
        .replace(/\s+/g, '')
        .replace(/^[.,]+|[.,-]+$/g, '');
      return { text: NUMBER.test(t) ? t : null, conf: minConf(cs), chars: cs };
    });
  const votes = [...readers.map((r) => ({ text: r.text, conf: r.conf })), { text: chiNumber, conf: minConf(chiChars) }].filter(
    (v): v is { text: string; conf: number } => v.text !== null,
  );
  const bestDigits = Math.max(0, ...readers.filter((r) => r.text).map((r) => r.conf));
  const fewIdeographs = Array.from(flat).filter((c) => IDEOGRAPH.test(c) && !(c in DIGIT_LOOKALIKES)).length <= 1 && flat.length <= 2;
  // The Chinese model makes short digit strings into characters ("11" → 了弄): a sure digit reading with one
  // character per printed glyph of a one-line, narrow-glyph cell outweighs it.
  const digitsFit = ink.digitShaped && readers.some((r) => r.text !== null && Array.from(r.text).length === ink.glyphs && r.conf >= 0.9);
  const numeric =
    readers.some((r) => r.text) &&
    (chiNumber !== null || digitCandidate(flat) || (ink.digitShaped && fewIdeographs && bestDigits >= 0.6) || digitsFit);
  if (numeric) {
    // Three readings and a glyph count (every printed glyph of a number is one character): the most supported reading that fits.
    const fits = (t: string) => Array.from(t).length === ink.glyphs;
    const tally = new Map<string, { support: number; conf: number }>();
    for (const v of votes) {
      const e = tally.get(v.text) ?? { support: 0, conf: 0 };
      e.support++;
      e.conf = Math.max(e.conf, v.conf);
      tally.set(v.text, e);
    }
    const ranked = [...tally.entries()].sort(
      (a, b) => Number(fits(b[0])) - Number(fits(a[0])) || b[1].support - a[1].support || b[1].conf - a[1].conf,
    );
    const [text, best] = ranked[0];
    const rivals = ranked.slice(1).filter(([t]) => fits(t));
    let confidence = best.conf;
    if (!fits(text)) confidence = Math.min(confidence, best.support > 1 ? 0.4 : 0.3);
    else if (rivals.some(([, r]) => r.support >= best.support)) confidence = Math.min(confidence, 0.45);
    else if (best.support < votes.length) confidence = Math.min(confidence, best.support > 1 ? 0.8 : 0.6);
    // The Chinese pass saw no number at all: the digits alone speak for it.
    if (chiNumber === null && !digitCandidate(flat)) confidence = Math.min(confidence, 0.8);
    const alternatives = new Set([
      ...ranked.map(([t]) => t),
      ...readers.flatMap((r) => choiceVariants(r.chars, 0.05)).filter((v) => NUMBER.test(v)),
    ]);
    alternatives.delete(text);
    return { text, reading: { confidence: round(confidence), ...(alternatives.size ? { alternatives: [...alternatives] } : {}) } };
  }
  if (chiNumber !== null) {
    // Only the Chinese pass found a number.
    return { text: chiNumber, reading: { confidence: round(Math.min(minConf(chiChars), 0.5)) } };
  }
  if (!flat) {
    // Ink the recogniser could not read: an unreadable cell, never a blank one.
    return { text: '?', reading: { confidence: 0 } };
  }
  // Text (labels, notes, annotated numbers): the weakest characters matter less than for numbers.
  const mean = chiChars.length ? chiChars.reduce((s, c) => s + c.conf, 0) / chiChars.length : 0;
  return { text: chiText, reading: { confidence: round(Math.min(mean, minConf(chiChars) + 0.3)) } };
}

function round(x: number): number {
  return Math.round(Math.max(0, Math.min(1, x)) * 1000) / 1000;
}
