/**
 * Label normalisation and fuzzy matching. Printed labels vary: 1. vs 1、,
 * straight/curly/no quotes, full-width punctuation, line breaks and spaces
 * inside labels, and small typos (其他法律行政止公开).
 */

/** Full-width ASCII → half-width, ideographic space → space. */
const FULL_WIDTH = /[\uff01-\uff5e\u3000]/;

export function toHalfWidth(s: string): string {
  // Most text has no full-width ASCII: skip the per-character replace (a hot path in mapping).
  if (!FULL_WIDTH.test(s)) return s;
  return s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

const QUOTES = /["'“”‘’「」『』〝〞]/g;
const SPACES = /[\s\u00a0\u200b\u200c\u200d\ufeff]+/g;
/** Leading enumerators: 一、 二、 (一) （七） 1. 1、 1． (1) ①; possibly several in a row. */
const ENUMERATOR = /^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|\d{1,2}[.、,]|\(\d{1,2}\)|[①②③④⑤⑥⑦⑧⑨⑩])+/;

/** Comparable form of a label: half-width, no whitespace, no quotes, unified enumerator punctuation. */
export function normLabel(s: string): string {
  return toHalfWidth(s)
    .replace(SPACES, '')
    .replace(QUOTES, '')
    .replace(/(^|[^\d])(\d{1,2})[、.．,](?!\d)/g, '$1$2.')
    .replace(/：/g, ':');
}

/** normLabel without leading enumerators: "（三）不予公开" → "不予公开". */
export function labelCore(s: string): string {
  const n = normLabel(s);
  return n.replace(ENUMERATOR, '');
}

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** 1 for identical strings, falling towards 0 with edit distance relative to the longer one. */
export function similarity(a: string, b: string): number {
  const m = Math.max(a.length, b.length);
  return m === 0 ? 1 : 1 - levenshtein(a, b) / m;
}

/** Upper bound of similarity() from the lengths alone: edits are at least the length difference. */
function maxSimilarity(a: number, b: number): number {
  const m = Math.max(a, b);
  return m === 0 ? 1 : 1 - Math.abs(a - b) / m;
}

/**
 * How well `label` (normalised, enumerators stripped) matches `candidate`.
 * A label that ends with the candidate matches fully: merged label cells such as
 * "三、本年度办理结果（一）予以公开" carry their parents in front.
 * Scores below `floor` are not computed exactly (they come back as 0).
 */
export function labelScore(label: string, candidate: string, floor = 0): number {
  if (!label || !candidate) return 0;
  if (label === candidate || label.endsWith(candidate)) return 1;
  let best = 0;
  if (maxSimilarity(label.length, candidate.length) >= floor) best = similarity(label, candidate);
  // Compare the tail too, so a parent prefix does not hide a typo in the item.
  if (label.length > candidate.length) {
    for (const extra of [-2, -1, 0, 1, 2]) {
      const n = candidate.length + extra;
      if (n > 1 && n < label.length && maxSimilarity(n, candidate.length) > Math.max(best, floor)) {
        best = Math.max(best, similarity(label.slice(-n), candidate));
      }
    }
  }
  return best;
}

export interface Match<T> {
  item: T;
  score: number;
}

/**
 * Best candidate for a label with its score, or undefined when nothing is close
 * enough or two candidates are too close to call. Two full matches go to the
 * longer label: "其他处理" beats "其他" for "（六）其他处理".
 */
export function bestMatch<T>(
  label: string,
  candidates: readonly T[],
  labelsOf: (c: T) => readonly string[],
  minScore = 0.7,
  minMargin = 0.1,
): Match<T> | undefined {
  let exact: { item: T; len: number } | undefined;
  for (const item of candidates) {
    for (const l of labelsOf(item)) {
      if ((label === l || label.endsWith(l)) && (!exact || l.length > exact.len)) exact = { item, len: l.length };
    }
  }
  if (exact) return { item: exact.item, score: 1 };
  const floor = minScore - minMargin;
  const scored: Match<T>[] = [];
  for (const item of candidates) {
    let s = 0;
    for (const l of labelsOf(item)) s = Math.max(s, labelScore(label, l, floor));
    scored.push({ item, score: s });
  }
  scored.sort((a, b) => b.score - a.score);
  const [first, second] = scored;
  if (!first || first.score < minScore) return undefined;
  if (second && first.score - second.score < minMargin) return undefined;
  return first;
}

/** Memoises a label matcher: a batch sees the same few hundred labels thousands of times. */
export function memoise<R>(fn: (label: string) => R, max = 20_000): (label: string) => R {
  const cache = new Map<string, R>();
  return (label) => {
    let r = cache.get(label);
    if (r === undefined && !cache.has(label)) {
      if (cache.size >= max) cache.clear();
      r = fn(label);
      cache.set(label, r);
    }
    return r as R;
  };
}
