/**
 * XML access for OOXML parts: a cheap slimming pass, then fast-xml-parser in
 * preserveOrder mode so paragraphs and tables keep their body order.
 */
import { XMLParser } from 'fast-xml-parser';
import { ExtractError } from '../../src/contract/extractor.js';

/** One node of fast-xml-parser's preserveOrder output: `{ tag: children, ':@': attrs }` or `{ '#text': s }`. */
export type XNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Numbers stay strings: "007" must not become 7.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Entities are decoded by decodeXml() only where text is used: faster, and numeric references work.
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Callbacks are unused; building path strings for them costs a fifth of the parse.
  jPath: false,
});

/**
 * Formatting subtrees that never carry text or structure we read. Dropping
 * them before parsing cuts a typical document.xml to a tenth and the parse
 * time to a third (the DOCX speed target depends on this).
 * `*Change` elements (tracked formatting changes) go first because they nest
 * rPr/pPr/tcPr inside the element of the same name.
 */
const CHANGE_SUBTREES = /<w:(rPr|pPr|tcPr|trPr|tblPr|tblPrEx|sectPr|tblGrid|numbering)Change\b[^>]*?(?:\/>|>[\s\S]*?<\/w:\1Change>)/g;
const FORMAT_SUBTREES =
  /<w:(rPr|tcBorders|tblBorders|tblPrEx|tcMar|tblCellMar|sectPr|tblPr|tblStylePr|pBdr|tabs)(?:\s[^>]*)?(?<!\/)>[\s\S]*?<\/w:\1>/g;
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

export function slimXml(xml: string, keep: Set<string>): string {
  return xml
    .replace(CHANGE_SUBTREES, '')
    .replace(FORMAT_SUBTREES, '')
    .replace(EMPTY_ELEMENT, (m, name: string) => (keep.has(name) ? m : ''))
    .replace(NOISE_ATTRIBUTES, '')
    .replace(EMPTY_PROPERTIES, '');
}

export function parseXml(xml: string, part: string): XNode[] {
  // OPC forbids DTDs; refusing them also rules out entity-expansion bombs.
  if (/<!DOCTYPE/i.test(xml.slice(0, 4096))) throw new ExtractError('docx-corrupt', `${part} declares a DTD, which OOXML does not allow`);
  try {
    return parser.parse(xml) as XNode[];
  } catch (e) {
    throw new ExtractError('docx-corrupt', `${part} is not well-formed XML: ${(e as Error).message}`);
  }
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
