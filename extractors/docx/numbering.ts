/**
 * Automatic list numbering (numbering.xml). Word does not store the label of
 * a numbered paragraph ("一、", "（二）", "3.") in the text, yet report
 * headings and table row labels are often numbered this way, so we render it.
 */
import { attr, child, intVal, kids, parseXml, slimXml, tagOf } from './xml.js';
import type { Limits } from '../../src/contract/limits.js';

interface Level {
  start: number;
  fmt: string;
  text: string;
  suff: string;
  legal: boolean;
}

const NUM_KEEP = new Set(['w:start', 'w:numFmt', 'w:lvlText', 'w:suff', 'w:isLgl', 'w:abstractNumId', 'w:startOverride']);

export class Numbering {
  private readonly abstracts = new Map<number, Map<number, Level>>();
  private readonly nums = new Map<number, { abstractId: number; overrides: Map<number, number> }>();
  /** Counters per abstract list and level: lists that share an abstract definition continue each other. */
  private readonly counters = new Map<number, (number | undefined)[]>();
  private readonly started = new Set<number>();

  constructor(xml?: string, limits?: Limits) {
    if (!xml) return;
    const root = parseXml(slimXml(xml, NUM_KEEP), 'word/numbering.xml', limits).find((n) => tagOf(n) === 'w:numbering');
    if (!root) return;
    for (const n of kids(root)) {
      const tag = tagOf(n);
      if (tag === 'w:abstractNum') {
        const levels = new Map<number, Level>();
        for (const l of kids(n)) {
          if (tagOf(l) !== 'w:lvl') continue;
          const ilvl = parseInt(attr(l, 'w:ilvl') ?? '0', 10);
          levels.set(ilvl, {
            start: intVal(child(l, 'w:start'), 1),
            fmt: attr(child(l, 'w:numFmt') ?? {}, 'w:val') ?? 'decimal',
            text: attr(child(l, 'w:lvlText') ?? {}, 'w:val') ?? '',
            suff: attr(child(l, 'w:suff') ?? {}, 'w:val') ?? 'tab',
            legal: !!child(l, 'w:isLgl'),
          });
        }
        this.abstracts.set(parseInt(attr(n, 'w:abstractNumId') ?? '-1', 10), levels);
      } else if (tag === 'w:num') {
        const overrides = new Map<number, number>();
        for (const o of kids(n)) {
          if (tagOf(o) !== 'w:lvlOverride') continue;
          const so = child(o, 'w:startOverride');
          if (so) overrides.set(parseInt(attr(o, 'w:ilvl') ?? '0', 10), intVal(so, 1));
        }
        this.nums.set(parseInt(attr(n, 'w:numId') ?? '-1', 10), {
          abstractId: intVal(child(n, 'w:abstractNumId'), -1),
          overrides,
        });
      }
    }
  }

  /** The label of the next paragraph in list numId at level ilvl ('' for bullets and unknown lists). */
  next(numId: number, ilvl: number): string {
    const num = this.nums.get(numId);
    const levels = num && this.abstracts.get(num.abstractId);
    const lvl = levels?.get(ilvl);
    if (!num || !levels || !lvl) return '';
    const counts = this.counters.get(num.abstractId) ?? [];
    this.counters.set(num.abstractId, counts);
    if (!this.started.has(numId)) {
      // A list instance with a start override restarts its levels the first time it is used.
      this.started.add(numId);
      for (const [l, v] of num.overrides) counts[l] = v - 1;
    }
    counts[ilvl] = (counts[ilvl] ?? lvl.start - 1) + 1;
    for (let d = ilvl + 1; d < 9; d++) counts[d] = undefined;
    if (lvl.fmt === 'bullet' || lvl.fmt === 'none') return '';
    const label = lvl.text.replace(/%([1-9])/g, (_, k: string) => {
      const li = Number(k) - 1;
      const l = levels.get(li);
      const v = counts[li] ?? l?.start ?? 1;
      return formatNumber(v, lvl.legal ? 'decimal' : (l?.fmt ?? 'decimal'));
    });
    return lvl.suff === 'space' ? label + ' ' : label;
  }
}

const CN_DIGITS = '零一二三四五六七八九';
const CN_LEGAL = '零壹贰叁肆伍陆柒捌玖';

function chinese(n: number, digits: string, ten: string, hundred: string): string {
  if (n <= 0 || n >= 1000) return String(n);
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  let s = '';
  if (h) s += digits[h] + hundred;
  if (t) s += (t === 1 && !h ? '' : digits[t]) + ten;
  else if (h && u) s += digits[0];
  if (u) s += digits[u];
  return s;
}

function letters(n: number, base: string): string {
  let s = '';
  for (let m = n; m > 0; m = Math.floor((m - 1) / 26)) s = base[(m - 1) % 26] + s;
  return s;
}

function roman(n: number): string {
  const table: [number, string][] = [
    [1000, 'M'],
    [900, 'CM'],
    [500, 'D'],
    [400, 'CD'],
    [100, 'C'],
    [90, 'XC'],
    [50, 'L'],
    [40, 'XL'],
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I'],
  ];
  let s = '';
  for (const [v, r] of table) while (n >= v) ((s += r), (n -= v));
  return s;
}

export function formatNumber(n: number, fmt: string): string {
  switch (fmt) {
    case 'chineseCounting':
    case 'chineseCountingThousand':
    case 'taiwaneseCounting':
    case 'taiwaneseCountingThousand':
    case 'japaneseCounting':
      return chinese(n, CN_DIGITS, '十', '百');
    case 'chineseLegalSimplified':
      return chinese(n, CN_LEGAL, '拾', '佰');
    case 'ideographTraditional':
      return '甲乙丙丁戊己庚辛壬癸'[n - 1] ?? String(n);
    case 'ideographZodiac':
      return '子丑寅卯辰巳午未申酉戌亥'[n - 1] ?? String(n);
    case 'decimalEnclosedCircle':
    case 'decimalEnclosedCircleChinese':
      return n >= 1 && n <= 20 ? String.fromCodePoint(0x2460 + n - 1) : String(n);
    case 'decimalFullWidth':
    case 'decimalFullWidth2':
      return String(n).replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    case 'decimalZero':
      return n < 10 ? '0' + n : String(n);
    case 'upperLetter':
      return letters(n, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    case 'lowerLetter':
      return letters(n, 'abcdefghijklmnopqrstuvwxyz');
    case 'upperRoman':
      return roman(n);
    case 'lowerRoman':
      return roman(n).toLowerCase();
    default:
      return String(n);
  }
}
