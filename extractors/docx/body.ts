/**
 * w:body → blocks, in body order. Paragraph text includes runs, tabs, breaks,
 * inserted revisions and content controls; deleted revisions, field codes and
 * the fallback copies of drawings are skipped.
 */
import type { Block, TableBlock } from '../../src/model.js';
import { buildGrid, type RawCell, type RawRow } from './grid.js';
import type { Limits } from '../../src/contract/limits.js';
import type { Numbering } from './numbering.js';
import { styleIdOf, type Styles } from './styles.js';
import { attr, child, intVal, kids, tagOf, textOf, type XNode } from './xml.js';

export interface BodyContext {
  styles: Styles;
  numbering: Numbering;
  limits?: Limits;
}

interface InlineText {
  s: string;
  /** Text of text boxes anchored in the paragraph, one entry per text-box paragraph. */
  floats: string[];
  /** Pictures in the paragraph: their relationship id and printed width in inches. */
  pictures?: BodyPicture[];
}

export interface BodyPicture {
  /** Relationship id of the picture's part (r:embed, r:id). */
  rel: string;
  inches?: number;
  /** Block position the picture stands at (body pictures). */
  at: number;
}

/** English Metric Units per inch (DrawingML sizes). */
const EMU_PER_INCH = 914400;

/** Elements whose children continue the same content model (body, inline or row level). */
const TRANSPARENT = new Set(['w:customXml', 'w:ins', 'w:moveTo', 'w:smartTag', 'w:sdtContent']);
const SKIPPED = new Set(['w:del', 'w:moveFrom']);

/** mc:AlternateContent: the first Choice is what Word shows; Fallback repeats it for old readers. */
function alternative(n: XNode): XNode[] {
  const c = child(n, 'mc:Choice') ?? child(n, 'mc:Fallback');
  return c ? kids(c) : [];
}

export function readBody(body: XNode, ctx: BodyContext): { blocks: Block[]; pictures: BodyPicture[] } {
  const reader = new BodyReader(ctx);
  reader.walk(kids(body));
  return { blocks: reader.blocks, pictures: reader.pictures };
}

class BodyReader {
  readonly blocks: Block[] = [];
  readonly pictures: BodyPicture[] = [];
  private tables = 0;

  constructor(private readonly ctx: BodyContext) {}

  walk(nodes: XNode[]): void {
    for (const n of nodes) {
      const tag = tagOf(n);
      if (!tag || SKIPPED.has(tag)) continue;
      if (tag === 'w:p') this.paragraph(n);
      else if (tag === 'w:tbl') this.table(n);
      else if (tag === 'w:sdt') this.walk(kids(child(n, 'w:sdtContent') ?? {}));
      else if (TRANSPARENT.has(tag)) this.walk(kids(n));
      else if (tag === 'mc:AlternateContent') this.walk(alternative(n));
    }
  }

  private paragraph(p: XNode): void {
    const { text, floats, pictures } = paragraphText(p, this.ctx);
    const pPr = child(p, 'w:pPr');
    const outline = pPr && child(pPr, 'w:outlineLvl') ? intVal(child(pPr, 'w:outlineLvl'), 9) : undefined;
    const level = this.ctx.styles.headingLevel(styleIdOf(pPr), outline);
    const t = text.trim();
    if (t) {
      const source = { block: this.blocks.length };
      this.blocks.push(
        level
          ? { kind: 'heading', level: Math.min(level, 6), text: t, source, method: 'docx-paragraph' }
          : { kind: 'paragraph', text: t, source, method: 'docx-paragraph' },
      );
    }
    for (const f of floats) {
      if (f.trim()) this.blocks.push({ kind: 'paragraph', text: f.trim(), source: { block: this.blocks.length }, method: 'docx-textbox' });
    }
    for (const pic of pictures) this.pictures.push({ ...pic, at: this.blocks.length });
  }

  private table(tbl: XNode): void {
    // A 1×1 table wrapping the report (a layout frame) holds the real tables: read its content as body.
    const { rowNodes } = tableParts(tbl);
    if (rowNodes.length === 1) {
      const tcs = cellNodes(rowNodes[0]);
      if (tcs.length === 1 && kids(tcs[0]).some((n) => tagOf(n) === 'w:tbl')) {
        this.walk(kids(tcs[0]));
        return;
      }
    }
    const rows = readRows(tbl, this.ctx);
    const index = this.tables;
    const grid = buildGrid(rows.rows, rows.gridCols, index, this.ctx.limits);
    if (!grid.cells.length) return;
    this.tables++;
    const block: TableBlock = {
      kind: 'table',
      index,
      structure: 'grid',
      nRows: grid.nRows,
      nCols: grid.nCols,
      cells: grid.cells,
      source: { table: index, block: this.blocks.length },
      method: 'docx-table',
    };
    this.blocks.push(block);
  }
}

/** The w:tr elements of a table (through content controls) and its grid width. */
function tableParts(tbl: XNode): { rowNodes: XNode[]; gridCols: number } {
  const rowNodes: XNode[] = [];
  let gridCols = 0;
  const collect = (nodes: XNode[]) => {
    for (const n of nodes) {
      const tag = tagOf(n);
      if (tag === 'w:tr') rowNodes.push(n);
      else if (tag === 'w:tblGrid') gridCols = kids(n).filter((g) => tagOf(g) === 'w:gridCol').length;
      else if (tag === 'w:sdt') collect(kids(child(n, 'w:sdtContent') ?? {}));
      else if (tag && TRANSPARENT.has(tag)) collect(kids(n));
    }
  };
  collect(kids(tbl));
  return { rowNodes, gridCols };
}

function cellNodes(tr: XNode): XNode[] {
  const tcs: XNode[] = [];
  const collect = (nodes: XNode[]) => {
    for (const n of nodes) {
      const tag = tagOf(n);
      if (tag === 'w:tc') tcs.push(n);
      else if (tag === 'w:sdt') collect(kids(child(n, 'w:sdtContent') ?? {}));
      else if (tag && TRANSPARENT.has(tag)) collect(kids(n));
    }
  };
  collect(kids(tr));
  return tcs;
}

function readRows(tbl: XNode, ctx: BodyContext): { rows: RawRow[]; gridCols: number } {
  const { rowNodes, gridCols } = tableParts(tbl);
  const rows: RawRow[] = [];
  for (const tr of rowNodes) {
    const trPr = child(tr, 'w:trPr');
    // A row deleted with tracked changes on is not part of the table as shown.
    if (trPr && child(trPr, 'w:del')) continue;
    const cells: RawCell[] = cellNodes(tr).map((tc) => {
      const tcPr = child(tc, 'w:tcPr');
      const vm = tcPr && child(tcPr, 'w:vMerge');
      const hm = tcPr && child(tcPr, 'w:hMerge');
      return {
        text: cellText(tc, ctx),
        span: intVal(tcPr && child(tcPr, 'w:gridSpan'), 1),
        vMerge: vm ? (attr(vm, 'w:val') === 'restart' ? 'restart' : 'continue') : undefined,
        hMerge: hm ? (attr(hm, 'w:val') === 'restart' ? 'restart' : 'continue') : undefined,
      };
    });
    rows.push({
      gridBefore: intVal(trPr && child(trPr, 'w:gridBefore'), 0),
      gridAfter: intVal(trPr && child(trPr, 'w:gridAfter'), 0),
      cells,
    });
  }
  return { rows, gridCols };
}

/** A cell's paragraphs joined with '\n'; nested tables flattened (cells by '\t', rows by '\n'). */
function cellText(tc: XNode, ctx: BodyContext): string {
  const lines: string[] = [];
  const walk = (nodes: XNode[]) => {
    for (const n of nodes) {
      const tag = tagOf(n);
      if (!tag || SKIPPED.has(tag)) continue;
      if (tag === 'w:p') {
        const { text, floats } = paragraphText(n, ctx);
        lines.push(text, ...floats);
      } else if (tag === 'w:tbl') {
        for (const row of readRows(n, ctx).rows) lines.push(row.cells.map((c) => c.text).join('\t'));
      } else if (tag === 'w:sdt') walk(kids(child(n, 'w:sdtContent') ?? {}));
      else if (TRANSPARENT.has(tag)) walk(kids(n));
      else if (tag === 'mc:AlternateContent') walk(alternative(n));
    }
  };
  walk(kids(tc));
  return lines.join('\n').trim();
}

/** A paragraph's text with its list label, plus the text of any text boxes anchored in it. */
export function paragraphText(p: XNode, ctx: BodyContext): { text: string; floats: string[]; pictures: BodyPicture[] } {
  const out: InlineText = { s: '', floats: [], pictures: [] };
  inline(kids(p), out, ctx);
  const pPr = child(p, 'w:pPr');
  const numPr = pPr && child(pPr, 'w:numPr');
  const styled = ctx.styles.numbering(styleIdOf(pPr));
  const numId = numPr && child(numPr, 'w:numId') ? intVal(child(numPr, 'w:numId'), 0) : styled?.numId;
  const ilvl = numPr && child(numPr, 'w:ilvl') ? intVal(child(numPr, 'w:ilvl'), 0) : (styled?.ilvl ?? 0);
  // numId 0 switches numbering off for this paragraph.
  const label = numId ? ctx.numbering.next(numId, ilvl) : '';
  return { text: label + out.s, floats: out.floats, pictures: out.pictures ?? [] };
}

function inline(nodes: XNode[], out: InlineText, ctx: BodyContext): void {
  for (const n of nodes) {
    const tag = tagOf(n);
    if (!tag || SKIPPED.has(tag)) continue;
    switch (tag) {
      case 'w:r':
        run(kids(n), out, ctx);
        break;
      case 'w:hyperlink':
      case 'w:fldSimple':
      case 'w:bdo':
      case 'w:dir':
        inline(kids(n), out, ctx);
        break;
      case 'w:sdt':
        inline(kids(child(n, 'w:sdtContent') ?? {}), out, ctx);
        break;
      case 'w:ruby':
        inline(kids(child(n, 'w:rubyBase') ?? {}), out, ctx);
        break;
      case 'mc:AlternateContent':
        inline(alternative(n), out, ctx);
        break;
      case 'm:oMath':
      case 'm:oMathPara':
        out.s += mathText(n);
        break;
      default:
        if (TRANSPARENT.has(tag)) inline(kids(n), out, ctx);
    }
  }
}

function run(nodes: XNode[], out: InlineText, ctx: BodyContext): void {
  for (const n of nodes) {
    switch (tagOf(n)) {
      case 'w:t':
        out.s += textOf(n);
        break;
      case 'w:tab':
      case 'w:ptab':
        out.s += '\t';
        break;
      case 'w:br':
      case 'w:cr':
        out.s += '\n';
        break;
      case 'w:noBreakHyphen':
        out.s += '-';
        break;
      case 'w:sym': {
        const code = parseInt(attr(n, 'w:char') ?? '', 16);
        // Symbol-font characters live in the private-use area F000–F0FF and mean nothing as text.
        if (Number.isFinite(code) && !(code >= 0xf000 && code <= 0xf0ff)) out.s += String.fromCodePoint(code);
        break;
      }
      case 'w:drawing':
      case 'w:pict':
      case 'w:object':
        textBoxes(n, out, ctx);
        if (out.pictures) pictureParts(n, out.pictures);
        break;
      case 'mc:AlternateContent':
        run(alternative(n), out, ctx);
        break;
    }
  }
}

function textBoxes(n: XNode, out: InlineText, ctx: BodyContext): void {
  for (const c of kids(n)) {
    const tag = tagOf(c);
    if (tag === 'w:txbxContent') {
      for (const p of kids(c)) if (tagOf(p) === 'w:p') out.floats.push(paragraphText(p, ctx).text);
    } else if (tag === 'mc:AlternateContent') {
      for (const a of alternative(c)) textBoxes({ x: [a] }, out, ctx);
    } else if (tag) textBoxes(c, out, ctx);
  }
}

/** The pictures of a drawing (a:blip) or VML shape (v:imagedata), with the drawing's printed width. */
function pictureParts(n: XNode, out: BodyPicture[]): void {
  let inches: number | undefined;
  const walk = (nodes: XNode[]) => {
    for (const c of nodes) {
      const tag = tagOf(c);
      if (tag === 'wp:extent') {
        const cx = Number(attr(c, 'cx'));
        if (cx > 0) inches = cx / EMU_PER_INCH;
      } else if (tag === 'a:blip' || tag === 'v:imagedata') {
        const rel = attr(c, 'r:embed') ?? attr(c, 'r:id');
        if (rel) out.push({ rel, at: 0, ...(inches ? { inches } : {}) });
      } else if (tag === 'mc:AlternateContent') walk(alternative(c));
      else if (tag) walk(kids(c));
    }
  };
  walk(kids(n));
}

function mathText(n: XNode): string {
  let s = '';
  for (const c of kids(n)) s += tagOf(c) === 'm:t' ? textOf(c) : mathText(c);
  return s;
}
