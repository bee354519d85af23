/**
 * Minimal WordprocessingML editing for fixture generation: parse a part with
 * fast-xml-parser (preserveOrder, raw text kept escaped), edit the node tree,
 * build it back. Only what the fixture generator needs.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { escapeXml } from '../../../src/text/xml.js';

export { escapeXml };

export type Node = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  jPath: false,
});
const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
  processEntities: false,
});

export function parse(xml: string): Node[] {
  return parser.parse(xml) as Node[];
}

export function build(nodes: Node[]): string {
  return builder.build(nodes) as string;
}

export function tag(n: Node): string | undefined {
  for (const k in n) if (k !== ':@' && k !== '#text') return k;
  return undefined;
}

export function kids(n: Node): Node[] {
  const t = tag(n);
  if (!t) return [];
  if (!Array.isArray(n[t])) n[t] = [];
  return n[t] as Node[];
}

export function el(name: string, attrs: Record<string, string> = {}, children: Node[] = []): Node {
  const n: Node = { [name]: children };
  if (Object.keys(attrs).length) n[':@'] = Object.fromEntries(Object.entries(attrs).map(([k, v]) => ['@_' + k, v]));
  return n;
}

export function getAttr(n: Node, name: string): string | undefined {
  return (n[':@'] as Record<string, string> | undefined)?.['@_' + name];
}

export function setAttr(n: Node, name: string, value: string): void {
  const a = (n[':@'] as Record<string, string> | undefined) ?? {};
  a['@_' + name] = value;
  n[':@'] = a;
}

export function child(n: Node, name: string): Node | undefined {
  return kids(n).find((c) => tag(c) === name);
}

export function children(n: Node, name: string): Node[] {
  return kids(n).filter((c) => tag(c) === name);
}

export function clone<T>(n: T): T {
  return structuredClone(n);
}

/** Schema order of the property elements we touch; Word rejects properties out of order. */
const ORDER: Record<string, string[]> = {
  'w:tcPr': [
    'w:cnfStyle',
    'w:tcW',
    'w:gridSpan',
    'w:hMerge',
    'w:vMerge',
    'w:tcBorders',
    'w:shd',
    'w:noWrap',
    'w:tcMar',
    'w:textDirection',
    'w:tcFitText',
    'w:vAlign',
    'w:hideMark',
  ],
  'w:trPr': [
    'w:cnfStyle',
    'w:divId',
    'w:gridBefore',
    'w:gridAfter',
    'w:wBefore',
    'w:wAfter',
    'w:cantSplit',
    'w:trHeight',
    'w:tblHeader',
    'w:tblCellSpacing',
    'w:jc',
    'w:hidden',
  ],
  'w:pPr': [
    'w:pStyle',
    'w:keepNext',
    'w:keepLines',
    'w:pageBreakBefore',
    'w:framePr',
    'w:widowControl',
    'w:numPr',
    'w:suppressLineNumbers',
    'w:pBdr',
    'w:shd',
    'w:tabs',
    'w:suppressAutoHyphens',
    'w:kinsoku',
    'w:wordWrap',
    'w:overflowPunct',
    'w:topLinePunct',
    'w:autoSpaceDE',
    'w:autoSpaceDN',
    'w:bidi',
    'w:adjustRightInd',
    'w:snapToGrid',
    'w:spacing',
    'w:ind',
    'w:contextualSpacing',
    'w:mirrorIndents',
    'w:suppressOverlap',
    'w:jc',
    'w:textDirection',
    'w:textAlignment',
    'w:textboxTightWrap',
    'w:outlineLvl',
    'w:divId',
    'w:cnfStyle',
    'w:rPr',
    'w:sectPr',
    'w:pPrChange',
  ],
  'w:rPr': [
    'w:rStyle',
    'w:rFonts',
    'w:b',
    'w:bCs',
    'w:i',
    'w:iCs',
    'w:caps',
    'w:smallCaps',
    'w:strike',
    'w:dstrike',
    'w:outline',
    'w:shadow',
    'w:emboss',
    'w:imprint',
    'w:noProof',
    'w:snapToGrid',
    'w:vanish',
    'w:webHidden',
    'w:color',
    'w:spacing',
    'w:w',
    'w:kern',
    'w:position',
    'w:sz',
    'w:szCs',
    'w:highlight',
    'w:u',
    'w:effect',
    'w:bdr',
    'w:shd',
    'w:fitText',
    'w:vertAlign',
    'w:rtl',
    'w:cs',
    'w:em',
    'w:lang',
    'w:eastAsianLayout',
    'w:specVanish',
    'w:oMath',
  ],
};

/** Sets, replaces (or with null removes) the property element `name` inside a properties node, in schema order. */
export function setProp(props: Node, name: string, attrs: Record<string, string> | null, content: Node[] = []): void {
  const list = kids(props);
  const i = list.findIndex((c) => tag(c) === name);
  if (attrs === null) {
    if (i >= 0) list.splice(i, 1);
    return;
  }
  const node = el(name, attrs, content);
  if (i >= 0) {
    list[i] = node;
    return;
  }
  const order = ORDER[tag(props) ?? ''] ?? [];
  const rank = order.indexOf(name);
  const at = rank < 0 ? -1 : list.findIndex((c) => order.indexOf(tag(c) ?? '') > rank);
  if (at < 0) list.push(node);
  else list.splice(at, 0, node);
}

/** The properties child (w:pPr, w:rPr, w:tcPr, w:trPr) of a node, created first in its children if missing. */
export function props(n: Node, name: string): Node {
  let p = child(n, name);
  if (!p) {
    p = el(name);
    kids(n).unshift(p);
  }
  return p;
}

/** The w:document root and its w:body. */
export function body(doc: Node[]): Node {
  const root = doc.find((n) => tag(n) === 'w:document');
  if (!root) throw new Error('no w:document');
  const b = child(root, 'w:body');
  if (!b) throw new Error('no w:body');
  return b;
}

export function tables(doc: Node[]): Node[] {
  return children(body(doc), 'w:tbl');
}

export function rows(tbl: Node): Node[] {
  return children(tbl, 'w:tr');
}

export function cells(tr: Node): Node[] {
  return children(tr, 'w:tc');
}

export function paragraphText(p: Node): string {
  let s = '';
  for (const r of children(p, 'w:r'))
    for (const t of children(r, 'w:t')) for (const x of kids(t)) if ('#text' in x) s += String(x['#text']);
  return s;
}

/** Run properties for new text: the first run's, else the paragraph mark's (what Word applies to typed text). */
function runProps(p: Node): Node | undefined {
  const r = child(p, 'w:r');
  const rPr = r && child(r, 'w:rPr');
  if (rPr) return clone(rPr);
  const pPr = child(p, 'w:pPr');
  const markRPr = pPr && child(pPr, 'w:rPr');
  return markRPr ? clone(markRPr) : undefined;
}

export function run(text: string, rPr?: Node): Node {
  const t = el('w:t', /^\s|\s$/.test(text) ? { 'xml:space': 'preserve' } : {}, text ? [{ '#text': escapeXml(text) }] : []);
  return el('w:r', {}, rPr ? [clone(rPr), t] : [t]);
}

/** Replaces a paragraph's runs with one run of text, keeping its properties. */
export function setParagraphText(p: Node, text: string, rPr?: Node): void {
  const props = rPr ?? runProps(p);
  const pPr = child(p, 'w:pPr');
  const list = kids(p);
  list.length = 0;
  if (pPr) list.push(pPr);
  if (text) list.push(run(text, props));
}

/** Replaces a cell's paragraphs with one paragraph per line, formatted like its first paragraph. */
export function setCellText(tc: Node, text: string, rPr?: Node): void {
  const list = kids(tc);
  const first = list.find((c) => tag(c) === 'w:p') ?? el('w:p');
  const props = rPr ?? runProps(first);
  const kept = list.filter((c) => tag(c) === 'w:tcPr');
  list.length = 0;
  list.push(...kept);
  for (const line of text.split('\n')) {
    const p = clone(first);
    setParagraphText(p, line, props);
    list.push(p);
  }
}

/** Drops Word's paragraph/text ids: clones would duplicate them. */
export function stripIds(nodes: Node[]): void {
  for (const n of nodes) {
    const a = n[':@'] as Record<string, string> | undefined;
    if (a) {
      delete a['@_w14:paraId'];
      delete a['@_w14:textId'];
    }
    const t = tag(n);
    if (t && Array.isArray(n[t])) stripIds(n[t] as Node[]);
  }
}

/** Visits every node depth-first. */
export function walk(nodes: Node[], visit: (n: Node) => void): void {
  for (const n of nodes) {
    visit(n);
    const t = tag(n);
    if (t && Array.isArray(n[t])) walk(n[t] as Node[], visit);
  }
}

export function readPackage(bytes: Uint8Array): Record<string, Uint8Array> {
  return unzipSync(bytes);
}

/** Writes a package with fixed timestamps so regenerated fixtures are byte-identical. */
export function writePackage(files: Record<string, Uint8Array | string>): Uint8Array {
  const z: Zippable = {};
  // [Content_Types].xml first, as Word writes it.
  const names = Object.keys(files).sort((a, b) => (a === '[Content_Types].xml' ? -1 : b === '[Content_Types].xml' ? 1 : 0));
  for (const name of names) {
    const v = files[name];
    z[name] = [typeof v === 'string' ? strToU8(v) : v, { level: 9, mtime: new Date('2024-01-01T00:00:00Z') }];
  }
  return zipSync(z);
}
