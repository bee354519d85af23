/**
 * The slice of cheerio's node shape (domhandler) that this extractor walks.
 * Declared here so the code depends on cheerio alone, not on a transitive
 * package. Every walk is iterative: broken pages nest unclosed <div>/<font>
 * tags thousands deep, and recursion would overflow the stack.
 */
import { load } from 'cheerio';

export interface HNode {
  type: string;
  parent: HParent | null;
  /** Text and comment nodes. */
  data?: string;
}

export interface HParent extends HNode {
  children: HNode[];
}

export interface HElement extends HParent {
  name: string;
  attribs: Record<string, string>;
}

export function isElement(n: HNode): n is HElement {
  // domhandler gives <script> and <style> their own types.
  return n.type === 'tag' || n.type === 'script' || n.type === 'style';
}

/** Parses with parse5 (browser-exact table and paragraph repair) and returns the document root. */
export function parseHtml(html: string): HParent {
  const $ = load(html);
  return $.root()[0] as unknown as HParent;
}

export function childElements(n: HParent): HElement[] {
  return n.children.filter(isElement);
}

/** First descendant element (document order) with this tag name. */
export function findFirst(root: HParent, name: string): HElement | undefined {
  const stack: HNode[] = [...root.children].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (!isElement(n)) continue;
    if (n.name === name) return n;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return undefined;
}

/** All descendant elements in document order (not including root). */
export function descendants(root: HParent): HElement[] {
  const out: HElement[] = [];
  const stack: HNode[] = [...root.children].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (!isElement(n)) continue;
    out.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return out;
}

export function contains(ancestor: HNode, node: HNode): boolean {
  for (let p: HNode | null = node; p; p = p.parent) if (p === ancestor) return true;
  return false;
}

export function ancestors(node: HNode): HParent[] {
  const out: HParent[] = [];
  for (let p = node.parent; p; p = p.parent) out.push(p);
  return out;
}

/** Lowest common ancestor of two nodes in the same tree. */
export function commonAncestor(a: HNode, b: HNode): HParent | null {
  const seen = new Set<HNode>([a, ...ancestors(a)]);
  if (seen.has(b)) return b as HParent;
  for (const p of ancestors(b)) if (seen.has(p)) return p;
  return null;
}

/**
 * Removes many nodes at once: each parent's child list is filtered once.
 * (Removing 100,000 siblings one by one, each with indexOf and splice, is
 * quadratic: 100,000 <button>s took 1.6 s.)
 */
export function removeNodes(nodes: readonly HNode[]): void {
  const gone = new Set(nodes);
  const parents = new Set<HParent>();
  for (const n of nodes) if (n.parent) parents.add(n.parent);
  for (const p of parents) p.children = p.children.filter((c) => !gone.has(c));
  for (const n of nodes) n.parent = null;
}

/** Raw text of a subtree, no normalisation. */
export function rawText(root: HNode): string {
  if (!isElement(root) && root.type !== 'root') return root.type === 'text' ? (root.data ?? '') : '';
  const parts: string[] = [];
  const stack: HNode[] = [...(root as HParent).children].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'text') parts.push(n.data ?? '');
    else if (isElement(n)) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return parts.join('');
}

export function classAndId(el: HElement): string {
  return `${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`.trim();
}

/** Elements that start a new line when rendered (HTML's default block display, plus table parts). */
export const BLOCK_TAGS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'center',
  'dd',
  'details',
  'dialog',
  'dir',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'html',
  'legend',
  'li',
  'listing',
  'main',
  'menu',
  'nav',
  'ol',
  'p',
  'plaintext',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
  'xmp',
  'caption',
]);

/** Never content: dropped wherever they occur. */
export const SKIP_TAGS = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'svg',
  'math',
  'canvas',
  'video',
  'audio',
  'select',
  'option',
  'optgroup',
  'button',
  'input',
  'textarea',
  'head',
  'title',
  'meta',
  'link',
  'base',
  'map',
  'area',
  'img',
  'xml',
]);

export const HEADING_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** Word's paragraph classes (MsoNormal, MsoBodyText, MsoListParagraph, …) mark paragraphs even on <span>. */
export function isMsoParagraph(el: HElement): boolean {
  const c = el.attribs.class;
  return !!c && /\bMso(Normal|Body|List|Plain|Title|Subtitle|Heading|Toc|Caption)\w*/i.test(c);
}

export function isBlock(el: HElement): boolean {
  return BLOCK_TAGS.has(el.name) || isMsoParagraph(el);
}

/** display:none, visibility:hidden, the hidden attribute, or a framework "hidden" class. */
export function isHidden(el: HElement): boolean {
  if (el.attribs.hidden !== undefined) return true;
  const style = el.attribs.style;
  if (style && /(display\s*:\s*none|visibility\s*:\s*hidden)/i.test(style)) return true;
  const cls = el.attribs.class;
  return !!cls && /(^|\s)(hidden|hide|d-none|sr-only|visually-hidden)(\s|$)/i.test(cls);
}
