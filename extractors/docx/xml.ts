/**
 * XML access for OOXML parts: a cheap slimming pass, then fast-xml-parser in
 * preserveOrder mode so paragraphs and tables keep their body order.
 */
import { XMLParser } from 'fast-xml-parser';
import { ExtractError } from '../../src/contract/extractor.js';
import { DEFAULT_LIMITS, formatLimit, type Limits, overLimit } from '../../src/contract/limits.js';

/** One node of fast-xml-parser's preserveOrder output: `{ tag: children, ':@': attrs }` or `{ '#text': s }`. */
export type XNode = Record<string, unknown>;

const PARSER_OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Numbers stay strings: "007" must not become 7.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Entities are decoded by decodeXml() only where text is used: faster, and numeric references work.
  // No entity is ever expanded: parts with a DTD are refused before parsing.
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Callbacks are unused; building path strings for them costs a fifth of the parse.
  jPath: false,
} as const;

/** One parser per depth limit (fast-xml-parser stops at maxNestedTags; its own default, 100, is too low for nested tables). */
const parsers = new Map<number, XMLParser>();

function parserFor(depth: number): XMLParser {
  let p = parsers.get(depth);
  if (!p) parsers.set(depth, (p = new XMLParser({ ...PARSER_OPTIONS, maxNestedTags: depth })));
  return p;
}

/**
 * Formatting subtrees that never carry text or structure we read. Dropping
 * them before parsing cuts a typical document.xml to a tenth and the parse
 * time to a third (the DOCX speed target depends on this).
 * `*Change` elements (tracked formatting changes) go first because they nest
 * rPr/pPr/tcPr inside the element of the same name.
 */
const CHANGE_SUBTREES = new Set(
  ['rPr', 'pPr', 'tcPr', 'trPr', 'tblPr', 'tblPrEx', 'sectPr', 'tblGrid', 'numbering'].map((n) => `${n}Change`),
);
const FORMAT_SUBTREES = new Set([
  'rPr',
  'tcBorders',
  'tblBorders',
  'tblPrEx',
  'tcMar',
  'tblCellMar',
  'sectPr',
  'tblPr',
  'tblStylePr',
  'pBdr',
  'tabs',
]);
const EMPTY_ELEMENT = /<([A-Za-z][\w.-]*:[\w.-]+)(?:\s[^<>]*)?\/>/g;
/** Revision-session and paragraph ids: on nearly every element, never read. */
const NOISE_ATTRIBUTES = / (?:w14:paraId|w14:textId|w:rsid\w*)="[^"]*"/g;
const EMPTY_PROPERTIES = /<w:(pPr|tcPr|trPr)><\/w:\1>/g;

/** Empty elements worth keeping; every other empty element is formatting. */
export const DOCUMENT_KEEP = new Set([
  'w:t',
  'w:tab',
  'w:ptab',
  'w:br',
  'w:cr',
  'w:noBreakHyphen',
  'w:softHyphen',
  'w:sym',
  'w:pStyle',
  'w:outlineLvl',
  'w:ilvl',
  'w:numId',
  'w:gridCol',
  'w:gridBefore',
  'w:gridAfter',
  'w:gridSpan',
  'w:vMerge',
  'w:hMerge',
  'w:del',
  'w:ins',
  'w:tblHeader',
  'w:p',
  'w:tc',
  'w:tr',
  // Pictures (tables pasted as pictures are read by OCR): the picture's part and its printed size.
  'a:blip',
  'v:imagedata',
  'wp:extent',
]);

/**
 * A finder for the first `needle` at or after a position, for positions that
 * only grow: each search resumes where the last one stopped, so finding the
 * ends of n unclosed elements is linear, not n scans of the rest of the part.
 */
function forwardFinder(xml: string, needle: string): (from: number) => number {
  let lastFrom = -1;
  let lastAt = -1;
  return (from) => {
    if (lastFrom >= 0 && from >= lastFrom && (lastAt < 0 || lastAt >= from)) return lastAt;
    lastFrom = from;
    lastAt = xml.indexOf(needle, from);
    return lastAt;
  };
}

const NAME_CHAR = /[A-Za-z]/;

/**
 * Drops `<w:NAME …>…</w:NAME>` for the given names (the first closing tag
 * ends the subtree, as a lazy regex would), and self-closed `<w:NAME …/>`
 * too when `selfClosed`. One forward scan: the regex this replaces was
 * quadratic on unclosed elements (40,000 unclosed <w:rPr> took 4 s).
 */
function dropSubtrees(xml: string, names: Set<string>, selfClosed: boolean): string {
  const out: string[] = [];
  const nextGt = forwardFinder(xml, '>');
  const closers = new Map<string, (from: number) => number>();
  let last = 0;
  let i = xml.indexOf('<w:');
  while (i >= 0) {
    let j = i + 3;
    while (j < xml.length && NAME_CHAR.test(xml[j])) j++;
    const name = xml.slice(i + 3, j);
    const after = xml[j];
    if (names.has(name) && (after === '>' || after === '/' || after === ' ' || after === '\t' || after === '\n' || after === '\r')) {
      const gt = nextGt(j);
      if (gt < 0) break;
      let end = -1;
      if (xml[gt - 1] === '/') {
        if (selfClosed) end = gt + 1;
      } else {
        let closer = closers.get(name);
        if (!closer) closers.set(name, (closer = forwardFinder(xml, `</w:${name}>`)));
        const close = closer(gt + 1);
        if (close >= 0) end = close + name.length + 5;
      }
      if (end > 0) {
        out.push(xml.slice(last, i));
        last = end;
        i = xml.indexOf('<w:', end);
        continue;
      }
    }
    i = xml.indexOf('<w:', j);
  }
  if (last === 0) return xml;
  out.push(xml.slice(last));
  return out.join('');
}

export function slimXml(xml: string, keep: Set<string>): string {
  return dropSubtrees(dropSubtrees(xml, CHANGE_SUBTREES, true), FORMAT_SUBTREES, false)
    .replace(EMPTY_ELEMENT, (m, name: string) => (keep.has(name) ? m : ''))
    .replace(NOISE_ATTRIBUTES, '')
    .replace(EMPTY_PROPERTIES, '');
}

/**
 * Parses one part under the XML budgets: a DTD anywhere is refused
 * (`docx-xml-dtd`: OPC forbids DTDs, and without one no entity can expand:
 * no billion laughs), and elements nested deeper than `limits.xmlDepth`
 * stop the parse (`docx-xml-too-deep`; fast-xml-parser's time grows with
 * the square of the depth).
 */
export function parseXml(xml: string, part: string, limits: Limits = DEFAULT_LIMITS): XNode[] {
  if (DOCTYPE.test(xml)) {
    throw new ExtractError(
      'docx-xml-dtd',
      `${part} declares a DTD, which OOXML does not allow (refused: its entities could expand without bound)`,
    );
  }
  const damage = notWellFormed(xml, part, limits);
  if (damage) throw new ExtractError('docx-corrupt', `${part} is not well-formed XML: ${damage}`);
  try {
    return parserFor(limits.xmlDepth).parse(xml) as XNode[];
  } catch (e) {
    const message = (e as Error).message;
    if (/Maximum nested tags exceeded/.test(message)) {
      throw overLimit(
        'docx-xml-too-deep',
        'xmlDepth',
        limits,
        `${part}: elements nest more than ${formatLimit('xmlDepth', limits.xmlDepth)} deep`,
      );
    }
    throw new ExtractError('docx-corrupt', `${part} is not well-formed XML: ${message}`);
  }
}

const DOCTYPE = /<!DOCTYPE/i;

const NAME_START = /[A-Za-z_\u0080-\uffff]/;
const NAME_END = /[\s/>]/;

/**
 * fast-xml-parser reads past markup damage: `<=:t>0</w:t>` becomes an element
 * named "=:t" and the cell's 0 silently vanishes (found by the fuzzer: a
 * confident blank). Word refuses such a part; so does this check, in one pass:
 * names must be names, every end tag must close the element that is open,
 * and no '<' may stand inside a tag. Elements still open at the end are a
 * cut-off part (docx-truncated-xml, read as far as it goes), not damage.
 * Nesting past `limits.xmlDepth` is docx-xml-too-deep, found on the way.
 * Returns what is wrong, or undefined.
 */
function notWellFormed(xml: string, part: string, limits: Limits): string | undefined {
  const stack: string[] = [];
  let i = xml.indexOf('<');
  while (i >= 0) {
    const c = xml[i + 1];
    if (c === '!' || c === '?') {
      const end = xml.startsWith('<!--', i)
        ? xml.indexOf('-->', i + 4)
        : xml.startsWith('<![CDATA[', i)
          ? xml.indexOf(']]>', i + 9)
          : xml.indexOf('>', i);
      if (end < 0) return undefined; // cut off inside a comment: truncation
      i = xml.indexOf('<', end + 1);
      continue;
    }
    const closing = c === '/';
    let j = closing ? i + 2 : i + 1;
    if (j >= xml.length) return undefined;
    if (!NAME_START.test(xml[j])) return `"<${xml.slice(i + 1, i + 12)}" at ${i} is not a tag`;
    const nameStart = j;
    while (j < xml.length && !NAME_END.test(xml[j])) {
      if (xml[j] === '<' || xml[j] === '=' || xml[j] === '"' || xml[j] === "'") return `a damaged tag name at ${i}`;
      j++;
    }
    const name = xml.slice(nameStart, j);
    // The end of the tag: '>' outside quoted attribute values.
    let quote = '';
    for (; j < xml.length; j++) {
      const ch = xml[j];
      if (quote) {
        if (ch === quote) quote = '';
        else if (ch === '<') return `'<' inside an attribute value at ${j}`;
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '>') break;
      else if (ch === '<') return `a tag is not closed before ${j}`;
    }
    if (j >= xml.length) return undefined; // cut off inside a tag: truncation
    if (closing) {
      const open = stack.pop();
      if (open !== name) return open === undefined ? `</${name}> at ${i} closes nothing` : `</${name}> at ${i} closes <${open}>`;
    } else if (xml[j - 1] !== '/' && stack.push(name) > limits.xmlDepth) {
      throw overLimit(
        'docx-xml-too-deep',
        'xmlDepth',
        limits,
        `${part}: elements nest more than ${formatLimit('xmlDepth', limits.xmlDepth)} deep`,
      );
    }
    i = xml.indexOf('<', j + 1);
  }
  return undefined;
}

/** The element name of a node, or undefined for text nodes. */
export function tagOf(n: XNode): string | undefined {
  for (const k in n) if (k !== ':@' && k !== '#text') return k;
  return undefined;
}

export function kids(n: XNode): XNode[] {
  const t = tagOf(n);
  const c = t ? n[t] : undefined;
  return Array.isArray(c) ? (c as XNode[]) : [];
}

export function attr(n: XNode, name: string): string | undefined {
  const a = n[':@'] as Record<string, string> | undefined;
  const v = a?.['@_' + name];
  return v === undefined ? undefined : decodeXml(v);
}

export function child(n: XNode, tag: string): XNode | undefined {
  return kids(n).find((c) => tag in c);
}

/** Depth-first search for the first descendant with this tag. */
export function find(n: XNode, tag: string): XNode | undefined {
  for (const c of kids(n)) {
    if (tag in c) return c;
    const f = find(c, tag);
    if (f) return f;
  }
  return undefined;
}

export function textOf(n: XNode): string {
  let s = '';
  for (const c of kids(n)) if ('#text' in c) s += String(c['#text']);
  return decodeXml(s);
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (m, e: string) => {
    if (e[0] !== '#') return NAMED[e];
    const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
}

/** w:val as an integer, or the fallback. */
export function intVal(n: XNode | undefined, fallback: number): number {
  if (!n) return fallback;
  const v = parseInt(attr(n, 'w:val') ?? '', 10);
  return Number.isFinite(v) ? v : fallback;
}
