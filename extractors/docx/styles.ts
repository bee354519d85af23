/**
 * Paragraph styles: which ones are headings, and which carry list numbering.
 * Headings are recognised by the style's name ("heading 2", "标题 2", "Title")
 * or by an outline level, looked up through the basedOn chain.
 */
import { attr, child, intVal, kids, parseXml, slimXml, tagOf, type XNode } from './xml.js';
import type { Limits } from '../../src/contract/limits.js';

interface StyleDef {
  name: string;
  basedOn?: string;
  outlineLvl?: number;
  numId?: number;
  ilvl?: number;
}

export interface NumRef {
  numId: number;
  ilvl: number;
}

const STYLE_KEEP = new Set(['w:name', 'w:basedOn', 'w:outlineLvl', 'w:numId', 'w:ilvl']);

export class Styles {
  private readonly defs = new Map<string, StyleDef>();
  private defaultParagraph?: string;

  constructor(xml?: string, limits?: Limits) {
    if (!xml) return;
    const root = parseXml(slimXml(xml, STYLE_KEEP), 'word/styles.xml', limits).find((n) => tagOf(n) === 'w:styles');
    if (!root) return;
    for (const s of kids(root)) {
      if (tagOf(s) !== 'w:style' || attr(s, 'w:type') !== 'paragraph') continue;
      const id = attr(s, 'w:styleId');
      if (!id) continue;
      if (attr(s, 'w:default') === '1' || attr(s, 'w:default') === 'true') this.defaultParagraph = id;
      const pPr = child(s, 'w:pPr');
      const numPr = pPr && child(pPr, 'w:numPr');
      const def: StyleDef = {
        name: attr(child(s, 'w:name') ?? {}, 'w:val') ?? id,
        basedOn: attr(child(s, 'w:basedOn') ?? {}, 'w:val'),
        outlineLvl: pPr && child(pPr, 'w:outlineLvl') ? intVal(child(pPr, 'w:outlineLvl'), 9) : undefined,
      };
      if (numPr && child(numPr, 'w:numId')) {
        def.numId = intVal(child(numPr, 'w:numId'), 0);
        def.ilvl = intVal(child(numPr, 'w:ilvl'), 0);
      }
      this.defs.set(id, def);
    }
  }

  /** Walks the style and its ancestors, nearest first (guards against basedOn cycles). */
  private *chain(id: string | undefined): Generator<StyleDef> {
    const seen = new Set<string>();
    let cur = id ?? this.defaultParagraph;
    while (cur && !seen.has(cur)) {
      seen.add(cur);
      const d = this.defs.get(cur);
      if (!d) return;
      yield d;
      cur = d.basedOn;
    }
  }

  /** Heading level 1..9 for a paragraph with this style and direct outline level, or undefined. */
  headingLevel(styleId: string | undefined, directOutline: number | undefined): number | undefined {
    if (directOutline !== undefined) return directOutline >= 0 && directOutline < 9 ? directOutline + 1 : undefined;
    for (const d of this.chain(styleId)) {
      const byName = levelFromName(d.name);
      if (byName !== undefined) return byName;
      if (d.outlineLvl !== undefined) return d.outlineLvl >= 0 && d.outlineLvl < 9 ? d.outlineLvl + 1 : undefined;
    }
    return undefined;
  }

  /** List numbering a paragraph inherits from its style. */
  numbering(styleId: string | undefined): NumRef | undefined {
    for (const d of this.chain(styleId)) {
      if (d.numId !== undefined) return { numId: d.numId, ilvl: d.ilvl ?? 0 };
    }
    return undefined;
  }
}

function levelFromName(name: string): number | undefined {
  const n = name.trim().toLowerCase();
  const m = n.match(/^(?:heading|标题)\s*([1-9])$/);
  if (m) return Number(m[1]);
  if (n === 'title' || n === '标题') return 1;
  return undefined;
}

export function styleIdOf(pPr: XNode | undefined): string | undefined {
  const s = pPr && child(pPr, 'w:pStyle');
  return s ? attr(s, 'w:val') : undefined;
}
