/**
 * The document model: the one representation every extractor produces.
 *
 * Extractors turn bytes into a `DocumentModel` and know nothing about report
 * templates. Mapping reads the model and never asks which format it came from.
 *
 * Tables hold *origin cells* only: a merged cell appears once, at its top-left
 * slot, with its row/column span. Its value is never copied into the slots it
 * covers; mapping resolves slots to origin cells (gridRows in src/mapping/rows.ts).
 */

export type Format = 'html' | 'docx' | 'doc' | 'pdf' | 'txt';

/** Where a piece of content was found. Every field keeps one of these. */
export interface SourceLocation {
  /** 1-based page number (PDF). */
  page?: number;
  /** [x0, y0, x1, y1] in PDF user-space points, origin top-left of the page. */
  bbox?: [number, number, number, number];
  /** 0-based index of the table among the document's tables. */
  table?: number;
  /** 0-based row and column of the cell in its table's grid. */
  row?: number;
  col?: number;
  /** 0-based index of the block (paragraph/heading) among the document's blocks. */
  block?: number;
  /** 1-based line number in a text file. */
  line?: number;
  /** [start, end) character offsets inside the block's text (cells recovered from run-together text). */
  chars?: [number, number];
  /** The image the content was recognised in (OCR of a picture in HTML or Word: its path or URL). */
  image?: string;
  /** [x0, y0, x1, y1] in pixels of `image`, origin top-left (OCR). */
  pixels?: [number, number, number, number];
}

/**
 * How sure a reader is of a cell's text when the text was recognised rather
 * than read (OCR). Format-neutral: mapping uses it without knowing the engine.
 */
export interface Reading {
  /** 0..1: the recogniser's confidence in the text as a whole (its weakest character). */
  confidence: number;
  /** Other texts the recogniser found plausible for the cell, most likely first. */
  alternatives?: string[];
}

export interface Cell {
  /** Grid position of the top-left slot (0-based). */
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  /** Cell text; line breaks inside the cell are kept as '\n'. */
  text: string;
  source: SourceLocation;
  /** Present when the text was recognised (OCR): the reader's confidence and other plausible readings. */
  reading?: Reading;
  /**
   * The reader found this cell's bytes or markup broken the way a damaged file
   * breaks them (a stretch overwritten or cut out): its text, and the cells
   * after it in its row, may come from another row.
   */
  damaged?: boolean;
}

/**
 * How a table's structure was obtained. Mapping uses it to decide how far it
 * can trust column positions:
 * - `grid`: real spans (HTML, DOCX, ruled PDF): every row covers the same slots.
 * - `rows`: rows are reliable but columns may be ragged (text with one cell
 *   per line or separated by tabs; PDF tables rebuilt from alignment).
 */
export type TableStructure = 'grid' | 'rows';

export interface TableBlock {
  kind: 'table';
  /** 0-based index among the document's tables. */
  index: number;
  structure: TableStructure;
  nRows: number;
  nCols: number;
  cells: Cell[];
  source: SourceLocation;
  /** How the extractor read the table, e.g. 'html-table', 'txt-cells', 'pdf-ruled', 'ocr-ruled'. */
  method: string;
  /** A table continued from the previous one (e.g. a PDF table split by a page break). */
  continues?: boolean;
}

export interface TextBlock {
  kind: 'heading' | 'paragraph';
  text: string;
  /** Heading level 1..6 when known. */
  level?: number;
  source: SourceLocation;
  method: string;
}

export type Block = TextBlock | TableBlock;

export type { Message } from './contract/message.js';
import type { Message } from './contract/message.js';

export interface DocumentMeta {
  /** Title as the container declares it (HTML <title>, PDF Info, DOCX core props, "标题:" line). */
  title?: string;
  /** The character encoding the text was decoded from (html/txt). */
  encoding?: string;
  /** How the encoding was decided: 'bom', 'http', 'meta', 'utf8-valid', 'detected', 'fallback'. */
  encodingSource?: string;
  pages?: number;
  /** Which extractor and which path inside it produced the model, e.g. 'doc:soffice'. */
  extractor: string;
  /** Non-fatal problems the extractor noticed. */
  warnings: Message[];
  /**
   * Files the extractor would read if it were given them (ExtractInput.resources),
   * e.g. the page images of an image-only report, as references resolved against
   * the document's name or URL. The ingest service asks the source for them and
   * extracts again.
   */
  resources?: string[];
}

export interface DocumentModel {
  format: Format;
  meta: DocumentMeta;
  blocks: Block[];
}

/** Full text of a model, for search indexes and text rules. Tables are rendered row by row. */
export function documentText(doc: DocumentModel): string {
  const parts: string[] = [];
  for (const b of doc.blocks) {
    if (b.kind === 'table') {
      const rows = new Map<number, Cell[]>();
      for (const c of b.cells) {
        const r = rows.get(c.row) ?? [];
        r.push(c);
        rows.set(c.row, r);
      }
      for (const r of [...rows.keys()].sort((a, b) => a - b)) {
        parts.push(
          rows
            .get(r)!
            .sort((a, b) => a.col - b.col)
            .map((c) => c.text.replace(/\s+/g, ' '))
            .join('\t'),
        );
      }
    } else {
      parts.push(b.text);
    }
  }
  return parts.join('\n');
}
