/**
 * Strips what can never be report content before the page is parsed:
 * comments (Word's `<!--[if gte mso 9]><xml>…</xml><![endif]-->` blocks),
 * raw-text elements (script, style, …), giant attribute values (base64
 * `data:` images) and all inline CSS but display/visibility/text-align/
 * font-weight. Huge portal pages are mostly these, and parse5 spends time
 * and memory on every node, so removing them first is what keeps a 50 MB page
 * cheap. One linear scan with indexOf; no backtracking regex over the page.
 *
 * The content between Word's conditional markers (`<!--[if !supportLists]-->1.
 * <!--[endif]-->`) is kept: browsers render it, and it carries list numbers.
 */

/** Elements whose whole content is dropped. */
const DROP_WITH_CONTENT = new Set([
  'script',
  'style',
  'noscript',
  'noembed',
  'noframes',
  'template',
  'textarea',
  'select',
  'svg',
  'math',
  'iframe',
  'object',
  'xml',
]);
/** First letters of those names (lower case): other tags skip the name check. */
const DROP_INITIALS = new Set([...DROP_WITH_CONTENT].map((n) => n.charCodeAt(0)));

/** Attribute values longer than this inside a tag are emptied (data: URIs, inline base64). */
const MAX_ATTR_VALUE = 1024;

const CONTROL_BYTES = /[\u0000-\u0008\u000b\u000e-\u001f]/;

/**
 * Empties quoted attribute values of MAX_ATTR_VALUE characters or more. A
 * scan, not a regex: `[^"']{1024,}` overflows V8's regex stack on a 30 MB value.
 */
function emptyLongValues(tag: string): string {
  const out: string[] = [];
  let last = 0;
  for (let eq = tag.indexOf('='); eq >= 0; ) {
    let q = eq + 1;
    while (q < tag.length && (tag[q] === ' ' || tag[q] === '\t' || tag[q] === '\n' || tag[q] === '\r')) q++;
    const quote = tag[q];
    if (quote !== '"' && quote !== "'") {
      eq = tag.indexOf('=', q);
      continue;
    }
    const close = tag.indexOf(quote, q + 1);
    if (close < 0) break;
    if (close - q - 1 >= MAX_ATTR_VALUE) {
      out.push(tag.slice(last, q + 1));
      // Control bytes are damage (a zeroed stretch), not data: one NUL is kept so the parser still finds the tag broken.
      if (CONTROL_BYTES.test(tag.slice(q + 1, close))) out.push('\u0000');
      last = close;
    }
    eq = tag.indexOf('=', close + 1);
  }
  if (last === 0) return tag;
  out.push(tag.slice(last));
  return out.join('');
}

const TAG_NAME = /<([a-zA-Z][\w:-]*)/y;
const closeRe = new Map<string, RegExp>();

function closingTag(name: string): RegExp {
  let re = closeRe.get(name);
  if (!re) {
    re = new RegExp(`</${name}[\\s>/]`, 'gi');
    closeRe.set(name, re);
  }
  return re;
}

/** The only CSS the extractor reads (hidden elements, centered bold titles). */
const KEPT_CSS = /(?:^|;)\s*((?:display|visibility|text-align|font-weight)\s*:[^;]*)/gi;
const STYLE_ATTR = /\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;

/**
 * Word and WPS put hundreds of characters of mso-* CSS on every cell; parse5
 * tokenises each character and keeps each string. Keep only KEPT_CSS.
 */
const NOT_CSS = /[\u0000-\u0008\u000b\u000e-\u001f<>]/;

function slimStyles(html: string): string {
  return html.replace(STYLE_ATTR, (m, dq: string | undefined, sq: string | undefined) => {
    const css = dq ?? sq ?? '';
    // Not CSS: control bytes or markup in the value (a damaged file). Kept as printed, for the parser to find broken.
    if (NOT_CSS.test(css)) return m;
    const kept: string[] = [];
    for (const m of css.matchAll(KEPT_CSS)) kept.push(m[1].trim());
    return kept.length ? ` style="${kept.join(';').replace(/"/g, "'")}"` : '';
  });
}

export interface Precleaned {
  html: string;
  /** Characters removed, for the record. */
  removed: number;
  /** True when the kept markup passed `maxChars`: scanning stopped and `html` is incomplete. */
  exceeded: boolean;
  /**
   * What the tags' attributes will cost parse5: n²/2 for a tag with n
   * attributes (each new one is compared with those before it). Counted on
   * long tags only; short ones cannot hold enough attributes to matter.
   */
  attributeSteps: number;
}

const QUOTED = /"[^"]*"|'[^']*'/g;
const ATTR_NAME = /\s[^\s"'>\/=]/g;

/** Attributes in one tag, roughly: whitespace followed by a name character, outside quoted values. */
function attributeCount(tag: string): number {
  return tag.replace(QUOTED, '""').match(ATTR_NAME)?.length ?? 0;
}

/**
 * @param maxChars stop as soon as more than this many characters are kept
 *   (the caller refuses the page anyway; no need to scan 50 MB of it).
 */
export function preclean(html: string, maxChars = Infinity): Precleaned {
  const out: string[] = [];
  let kept = 0; // characters in `out`
  let attributeSteps = 0;
  let last = 0; // start of the pending, unemitted slice
  const emit = (s: string): void => {
    out.push(s);
    kept += s.length;
  };
  /** Drops html[from, to) and returns where scanning resumes. */
  const drop = (from: number, to: number): number => {
    if (from > last) emit(html.slice(last, from));
    last = to;
    return to;
  };
  const done = (exceeded: boolean): Precleaned => {
    if (!exceeded && last < html.length) emit(html.slice(last));
    const cleaned = exceeded ? out.join('') : slimStyles(out.join(''));
    return { html: cleaned, removed: html.length - cleaned.length, exceeded, attributeSteps };
  };

  /**
   * End ('>') of the first closing tag of `name` at or after `from`, or -1.
   * Remembered per name: 100,000 unclosed <svg>s would otherwise each scan
   * the rest of the page.
   */
  const closings = new Map<string, { from: number; end: number }>();
  const closingEnd = (name: string, from: number): number => {
    const known = closings.get(name);
    if (known && known.from <= from && (known.end < 0 || known.end >= from)) return known.end;
    const re = closingTag(name);
    re.lastIndex = from;
    const close = re.exec(html);
    const end = close ? html.indexOf('>', close.index) : -1;
    closings.set(name, { from, end });
    return end;
  };

  let lt = html.indexOf('<');
  while (lt >= 0) {
    if (kept + (lt - last) > maxChars) return done(true);
    const c1 = html.charCodeAt(lt + 1);
    if (c1 === 0x21 /* ! */ && html.startsWith('<!--', lt)) {
      // '<!-->' and '<!--->' are complete (empty) comments in HTML.
      const end = html.startsWith('>', lt + 4) ? lt + 2 : html.startsWith('->', lt + 4) ? lt + 3 : html.indexOf('-->', lt + 4);
      // An unterminated comment: drop only the opener rather than the rest of the page.
      lt = html.indexOf('<', drop(lt, end < 0 ? lt + 4 : end + 3));
      continue;
    }
    if ((c1 === 0x21 && html.startsWith('<![', lt)) || c1 === 0x3f /* ? */) {
      // <![if …]>, <![endif]>, CDATA and <?xml …?>: bogus comments up to the first '>'.
      const end = html.indexOf('>', lt);
      lt = html.indexOf('<', drop(lt, end < 0 ? lt + 2 : end + 1));
      continue;
    }
    if (DROP_INITIALS.has(c1 | 0x20)) {
      TAG_NAME.lastIndex = lt;
      const m = TAG_NAME.exec(html);
      const name = m?.[1].toLowerCase();
      if (name && DROP_WITH_CONTENT.has(name)) {
        const tagEnd = html.indexOf('>', lt);
        if (tagEnd < 0) break;
        let to = tagEnd + 1; // self-closed, or no closing tag: drop the opener only; the rest may be the page
        if (html[tagEnd - 1] !== '/') {
          const closeEnd = closingEnd(name, tagEnd + 1);
          if (closeEnd >= 0) to = closeEnd + 1;
        }
        lt = html.indexOf('<', drop(lt, to));
        continue;
      }
    }
    const next = html.indexOf('<', lt + 1);
    if ((next < 0 ? html.length : next) - lt > MAX_ATTR_VALUE * 2) {
      // A very long tag: empty its giant attribute values (base64 images).
      const tagEnd = html.indexOf('>', lt);
      if (tagEnd >= 0) {
        const tag = html.slice(lt, tagEnd + 1);
        const slim = emptyLongValues(tag);
        const n = attributeCount(slim);
        attributeSteps += (n * n) / 2;
        if (slim.length !== tag.length) {
          drop(lt, tagEnd + 1);
          emit(slim);
          lt = html.indexOf('<', tagEnd + 1);
          continue;
        }
      }
    }
    lt = next;
  }
  return done(kept + (html.length - last) > maxChars);
}
