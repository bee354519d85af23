/** Page geometry shared by the pdf modules. All coordinates are PDF points, origin top-left, y down. */
import type { Reading } from '../../src/model.js';

export type Box = [number, number, number, number];

/**
 * Writing flow of a glyph on the page: 'h' left-to-right, 'v' top-to-bottom
 * (vertical fonts or text turned 90° clockwise), 'u' bottom-to-top (text
 * turned 90° counter-clockwise, as in narrow column headers), 'r' anything
 * else (slanted watermarks, upside-down text).
 */
export type Flow = 'h' | 'v' | 'u' | 'r';

/** One visible glyph with its Unicode text. */
export interface Char {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Em size on the page (font size times scale). */
  size: number;
  flow: Flow;
}

/** An axis-aligned piece of a drawn line (a ruling candidate). */
export interface Segment {
  orient: 'h' | 'v';
  /** y for horizontal, x for vertical segments. */
  pos: number;
  /** Extent along the line. */
  from: number;
  to: number;
}

/** Everything read from one page's operator list. */
export interface PageContent {
  page: number;
  width: number;
  height: number;
  chars: Char[];
  segments: Segment[];
  /** Glyphs that carried no Unicode or a private-use code point (unreadable text). */
  unmapped: number;
  /** Fonts pdf.js could not load (their text is lost). */
  brokenFonts: string[];
}

/** A line of text: chars on one baseline (or one column for vertical text). */
export interface Line {
  chars: Char[];
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  size: number;
  flow: Flow;
  text: string;
  /** Pieces of the line separated by wide gaps (column candidates). */
  pieces: Piece[];
}

export interface Piece {
  x0: number;
  x1: number;
  text: string;
}

/** A cell of a table found on one page, before document-level numbering. */
export interface PageCell {
  /** OCR: the recogniser's confidence and alternatives (absent for text read from the text layer). */
  reading?: Reading;
  /** OCR of a picture: the image ref and the cell's pixel box in it. */
  image?: string;
  pixels?: Box;
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  text: string;
  page: number;
  bbox: Box;
  /** The text runs into the cell's bottom-right corner: it may go on after a page break. */
  cut?: boolean;
}

export interface PageTable {
  kind: 'table';
  page: number;
  bbox: Box;
  /** Column boundaries (nCols + 1 values), used to match continued tables. */
  xs: number[];
  nRows: number;
  nCols: number;
  cells: PageCell[];
  method: 'pdf-ruled' | 'pdf-aligned' | 'ocr-ruled';
  continues?: boolean;
  /** OCR of a picture (HTML, Word): the image ref (cells keep their pixel boxes). */
  image?: string;
}

export interface PageText {
  kind: 'heading' | 'paragraph';
  page: number;
  bbox: Box;
  text: string;
  size: number;
  level?: number;
  /** The first line starts at the left margin (no first-line indent). */
  flushStart?: boolean;
  /** The last line runs to the right margin (the paragraph may go on). */
  fullEnd?: boolean;
  /** How the text was read when not from the text layer ('ocr-text'). */
  method?: string;
  /** OCR of a picture (HTML, Word): the image ref and the block's pixel box in it. */
  image?: string;
  pixels?: Box;
}

export type PageBlock = PageTable | PageText;
