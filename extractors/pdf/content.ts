/**
 * Reads one page's operator list into glyphs and ruling segments.
 *
 * Text comes from the operator list, not from getTextContent: one parse of the
 * content stream serves both text and rulings, and getTextContent drops glyphs
 * of vertical-font text (the one-character-per-line labels of table 3). Glyph
 * placement mirrors pdf.js' canvas showText.
 */
import type { PdfPage } from './load.js';
import { IDENTITY, applyX, applyY, multiply, scaleOf, type Matrix } from './matrix.js';
import { resolveFonts, type FontInfo } from './fonts.js';
import { isWhite, pathSegments } from './paths.js';
import type { Char, Flow, PageContent, Segment } from './types.js';

/** pdf.js OPS codes (stable within the pinned pdfjs-dist version; read from the library at runtime). */
export type OpsTable = Record<string, number>;

interface Glyph {
  unicode: string;
  width: number;
  isSpace?: boolean;
  vmetric?: number[];
}

interface State {
  ctm: Matrix;
  fillVisible: boolean;
  strokeVisible: boolean;
  fillAlpha: number;
  strokeAlpha: number;
  lineWidth: number;
  font: FontInfo | null;
  fontSize: number;
  fontDirection: number;
  charSpacing: number;
  wordSpacing: number;
  hScale: number;
  leading: number;
  rise: number;
  textMatrix: Matrix;
  x: number;
  y: number;
  lineX: number;
  lineY: number;
  /** Inside a soft-mask group: nothing drawn there is visible content. */
  hidden: boolean;
}

/** Kangxi radicals, CJK compatibility ideographs and ligatures are encoding artefacts: NFKC folds them. */
const COMPAT = /[\u2e80-\u2fdf\uf900-\ufaff\ufb00-\ufb4f]/;
/** Private-use code points: a font without a usable ToUnicode map. */
const PRIVATE_USE = /[\ue000-\uf8ff]/;

function cloneState(s: State): State {
  return { ...s };
}

/** pdf.js ops this walker reads; every other op (clips, dashes, marked content…) is skipped with one array read. */
const HANDLED = [
  'save',
  'restore',
  'transform',
  'paintFormXObjectBegin',
  'paintFormXObjectEnd',
  'endGroup',
  'endAnnotation',
  'beginGroup',
  'beginAnnotation',
  'setLineWidth',
  'setStrokeRGBColor',
  'setFillRGBColor',
  'setStrokeColorN',
  'setStrokeColor',
  'setFillColorN',
  'setFillColor',
  'setStrokeTransparent',
  'setFillTransparent',
  'setGState',
  'constructPath',
  'beginText',
  'setFont',
  'setCharSpacing',
  'setWordSpacing',
  'setHScale',
  'setLeading',
  'setTextRise',
  'moveText',
  'setLeadingMoveText',
  'setTextMatrix',
  'nextLine',
  'showText',
] as const;
type Handled = (typeof HANDLED)[number];
const kindTables = new WeakMap<OpsTable, Int8Array>();

/** op code → 1 + index in HANDLED (0: ignored). */
function kinds(OPS: OpsTable): Int8Array {
  let t = kindTables.get(OPS);
  if (!t) {
    t = new Int8Array(Math.max(...Object.values(OPS)) + 1);
    HANDLED.forEach((name, i) => {
      if (OPS[name] !== undefined) t![OPS[name]] = i + 1;
    });
    kindTables.set(OPS, t);
  }
  return t;
}

const K = Object.fromEntries(HANDLED.map((n, i) => [n, i + 1])) as Record<Handled, number>;

function flowOf(m: Matrix, vertical: boolean): Flow {
  // Direction of the pen advance on the page (y grows downwards).
  const dx = vertical ? -m[2] : m[0];
  const dy = vertical ? -m[3] : m[1];
  if (Math.abs(dy) <= Math.abs(dx) * 0.1 && dx > 0) return 'h';
  if (Math.abs(dx) <= Math.abs(dy) * 0.1) return dy > 0 ? 'v' : 'u';
  return 'r';
}

/**
 * Walks the operator list. `base` maps PDF user space to the top-left page
 * space (the viewport transform at scale 1).
 */
export async function readPage(page: PdfPage, OPS: OpsTable, annotationModeDisable: number): Promise<PageContent> {
  const viewport = page.getViewport({ scale: 1 });
  const base = viewport.transform as Matrix;
  const pageW = viewport.width;
  const pageH = viewport.height;
  const list = await page.getOperatorList({ annotationMode: annotationModeDisable });
  const { fnArray, argsArray } = list;

  const fontNames = new Set<string>();
  for (let i = 0; i < fnArray.length; i++) {
    if (fnArray[i] === OPS.setFont) fontNames.add(argsArray[i][0]);
    else if (fnArray[i] === OPS.setGState) {
      for (const [k, v] of argsArray[i][0] as [string, unknown][]) if (k === 'Font' && Array.isArray(v)) fontNames.add(String(v[0]));
    }
  }
  const fonts = await resolveFonts(page, fontNames);

  const chars: Char[] = [];
  const segments: Segment[] = [];
  let unmapped = 0;
  const stack: State[] = [];
  let s: State = {
    ctm: base,
    fillVisible: true,
    strokeVisible: true,
    fillAlpha: 1,
    strokeAlpha: 1,
    lineWidth: 1,
    font: null,
    fontSize: 0,
    fontDirection: 1,
    charSpacing: 0,
    wordSpacing: 0,
    hScale: 1,
    leading: 0,
    rise: 0,
    textMatrix: IDENTITY,
    x: 0,
    y: 0,
    lineX: 0,
    lineY: 0,
    hidden: false,
  };

  const setFont = (name: string, size: number) => {
    s.font = fonts.get(name) ?? null;
    s.fontDirection = size < 0 ? -1 : 1;
    s.fontSize = Math.abs(size);
  };

  const showText = (glyphs: (Glyph | number)[]) => {
    const font = s.font;
    if (!font || s.fontSize === 0) return;
    const fontSize = s.fontSize;
    const advanceScale = fontSize * font.fontMatrix[0];
    const em = Math.abs(fontSize * (font.fontMatrix[3] || 0.001) * 1000);
    const hScale = s.hScale * s.fontDirection;
    const vertical = font.vertical;
    // Text space → page, at the current pen position.
    const m = multiply(multiply(s.ctm, s.textMatrix), [1, 0, 0, 1, s.x, s.y + s.rise]);
    const size = em * scaleOf(m);
    const flow = flowOf(m, vertical);
    const visible = !s.hidden;
    let x = 0;
    for (const g of glyphs) {
      if (typeof g === 'number') {
        x += ((vertical ? 1 : -1) * g * fontSize) / 1000;
        continue;
      }
      const spacing = (g.isSpace ? s.wordSpacing : 0) + s.charSpacing;
      let width = g.width;
      let bx0: number, bx1: number, by0: number, by1: number;
      if (vertical) {
        const vm = g.vmetric ?? font.defaultVMetrics;
        if (vm) width = -vm[0];
        // Vertical glyphs hang below the pen, centred on it.
        bx0 = -em / 2;
        bx1 = em / 2;
        by0 = -x - em;
        by1 = -x;
      } else {
        bx0 = x * hScale;
        bx1 = (x + width * advanceScale) * hScale;
        by0 = -0.15 * em;
        by1 = 0.85 * em;
      }
      const advance = vertical ? width * advanceScale - spacing * s.fontDirection : width * advanceScale + spacing * s.fontDirection;
      x += advance;
      // isSpace only says word spacing applies (byte code 32); subset fonts put real glyphs there.
      const u = g.unicode;
      if (!visible || !u || /^\s+$/.test(u)) {
        if (!u) unmapped++;
        continue;
      }
      if (PRIVATE_USE.test(u)) unmapped++;
      const xa = applyX(m, bx0, by0),
        xb = applyX(m, bx1, by1),
        xc = applyX(m, bx0, by1),
        xd = applyX(m, bx1, by0);
      const ya = applyY(m, bx0, by0),
        yb = applyY(m, bx1, by1),
        yc = applyY(m, bx0, by1),
        yd = applyY(m, bx1, by0);
      const x0 = Math.min(xa, xb, xc, xd),
        x1 = Math.max(xa, xb, xc, xd);
      const y0 = Math.min(ya, yb, yc, yd),
        y1 = Math.max(ya, yb, yc, yd);
      // Glyphs placed off the page are not printed (clipped leftovers of the producer).
      const cx = (x0 + x1) / 2,
        cy = (y0 + y1) / 2;
      if (cx < 0 || cy < 0 || cx > pageW || cy > pageH) continue;
      chars.push({ text: COMPAT.test(u) ? u.normalize('NFKC') : u, x0, y0, x1, y1, size, flow });
    }
    if (vertical) s.y -= x;
    else s.x += x * hScale;
  };

  const paintPath = (paintOp: number, buf: ArrayLike<number> | null) => {
    if (!buf || s.hidden) return;
    const stroke =
      paintOp === OPS.stroke ||
      paintOp === OPS.closeStroke ||
      paintOp === OPS.fillStroke ||
      paintOp === OPS.eoFillStroke ||
      paintOp === OPS.closeFillStroke ||
      paintOp === OPS.closeEOFillStroke;
    const fill =
      paintOp === OPS.fill ||
      paintOp === OPS.eoFill ||
      paintOp === OPS.fillStroke ||
      paintOp === OPS.eoFillStroke ||
      paintOp === OPS.closeFillStroke ||
      paintOp === OPS.closeEOFillStroke;
    const paint = {
      stroke: stroke && s.strokeVisible && s.strokeAlpha > 0,
      fill: fill && s.fillVisible && s.fillAlpha > 0,
      lineWidth: s.lineWidth,
    };
    if (paint.stroke || paint.fill) pathSegments(buf, s.ctm, paint, segments);
  };

  const kind = kinds(OPS);
  for (let i = 0; i < fnArray.length; i++) {
    const k = kind[fnArray[i]];
    if (k === 0) continue; // clips, dashes, marked content, images…
    const a = argsArray[i];
    switch (k) {
      case K.save:
        stack.push(cloneState(s));
        break;
      case K.restore:
        if (stack.length) s = stack.pop()!;
        break;
      case K.transform:
        s.ctm = multiply(s.ctm, a);
        break;
      case K.paintFormXObjectBegin:
        stack.push(cloneState(s));
        if (a[0] && typeof a[0].length === 'number' && a[0].length === 6) s.ctm = multiply(s.ctm, a[0] as ArrayLike<number>);
        break;
      case K.paintFormXObjectEnd:
      case K.endGroup:
      case K.endAnnotation:
        if (stack.length) s = stack.pop()!;
        break;
      case K.beginGroup:
        stack.push(cloneState(s));
        if (a[0]?.smask) s.hidden = true;
        break;
      case K.beginAnnotation:
        stack.push(cloneState(s));
        s.hidden = true; // annotations are disabled; anything left here is not page content
        break;
      case K.setLineWidth:
        s.lineWidth = a[0];
        break;
      case K.setStrokeRGBColor:
        s.strokeVisible = !isWhite(a[0]);
        break;
      case K.setFillRGBColor:
        s.fillVisible = !isWhite(a[0]);
        break;
      case K.setStrokeColorN:
      case K.setStrokeColor:
        s.strokeVisible = true;
        break;
      case K.setFillColorN:
      case K.setFillColor:
        s.fillVisible = true;
        break;
      case K.setStrokeTransparent:
        s.strokeVisible = false;
        break;
      case K.setFillTransparent:
        s.fillVisible = false;
        break;
      case K.setGState:
        for (const [k, v] of a[0] as [string, unknown][]) {
          if (k === 'LW' && typeof v === 'number') s.lineWidth = v;
          else if (k === 'CA' && typeof v === 'number') s.strokeAlpha = v;
          else if (k === 'ca' && typeof v === 'number') s.fillAlpha = v;
          else if (k === 'Font' && Array.isArray(v)) setFont(String(v[0]), Number(v[1]));
        }
        break;
      case K.constructPath:
        paintPath(a[0], a[1]?.[0] ?? null);
        break;
      case K.beginText:
        s.textMatrix = IDENTITY;
        s.x = s.lineX = 0;
        s.y = s.lineY = 0;
        break;
      case K.setFont:
        setFont(a[0], a[1]);
        break;
      case K.setCharSpacing:
        s.charSpacing = a[0];
        break;
      case K.setWordSpacing:
        s.wordSpacing = a[0];
        break;
      case K.setHScale:
        s.hScale = a[0] / 100;
        break;
      case K.setLeading:
        s.leading = -a[0];
        break;
      case K.setTextRise:
        s.rise = a[0];
        break;
      case K.moveText:
        s.x = s.lineX += a[0];
        s.y = s.lineY += a[1];
        break;
      case K.setLeadingMoveText:
        s.leading = a[1];
        s.x = s.lineX += a[0];
        s.y = s.lineY += a[1];
        break;
      case K.setTextMatrix:
        s.textMatrix = Array.from(a[0] as ArrayLike<number>) as Matrix;
        s.x = s.lineX = 0;
        s.y = s.lineY = 0;
        break;
      case K.nextLine:
        s.x = s.lineX;
        s.y = s.lineY += s.leading;
        break;
      case K.showText:
        showText(a[0]);
        break;
      default:
        break;
    }
  }

  const brokenFonts = [...fonts].filter(([, f]) => f.broken).map(([n]) => n);
  return {
    page: page.pageNumber,
    width: viewport.width,
    height: viewport.height,
    chars,
    segments,
    unmapped,
    brokenFonts,
  };
}
