/**
 * The table finder's tolerances in one place, like pdfplumber's
 * `table_settings`. Lengths are in the units of the geometry they are applied
 * to: PDF points for vector pages, pixels for scanned images (see
 * `scaleTableSettings`). The vector defaults were tuned on the corpus and the
 * generated fixtures; the image defaults (extractors/ocr/grid.ts) start from
 * them and widen what scanning blurs.
 */
export interface TableSettings {
  /** Drawn segments this close across their direction are one line (double strokes, thick borders). */
  snapTolerance: number;
  /** Gaps along a line up to this size are closed (lines drawn cell by cell, broken scan lines). */
  joinTolerance: number;
  /** Rulings shorter than this are ticks or glyph parts, not table borders. */
  minRulingLength: number;
  /** How far a ruling may stop short of another and still meet it. */
  touchTolerance: number;
  /** Ruling positions closer than this are one cell boundary (double borders, line caps). */
  boundaryTolerance: number;
  /** A cell border counts when rulings cover at least this share of the slot side (else the slots merge). */
  edgeCoverage: number;
  /** More grid slots than this is a drawing (grid paper, hatching), not a table. */
  maxSlots: number;
  /** Filled rectangles at most this thick are drawn lines; thicker ones are shading. */
  thinFill: number;
  /** Column boundaries of a table continued on the next page match within this distance. */
  continuationTolerance: number;
  /** Largest sideways shift between the two parts of a continued table (mirrored margins). */
  continuationMaxShift: number;
  /** A table is cut by the page break only when it ends in (and the next starts in) this share of the page at the edge. */
  continuationEdgeShare: number;
  /** Borderless tables: at least this many lines with two or more pieces. */
  alignedMinRows: number;
  /** Borderless tables: lines further apart than this many ems end a run. */
  alignedMaxLineGap: number;
  /** Borderless tables: single-piece lines (wrapped labels) tolerated in a row inside a run. */
  alignedMaxSingles: number;
  /** Gaps wider than this many ems split a text line into pieces (column candidates). */
  pieceGap: number;
}

/** Vector PDF pages, in points. */
export const PDF_TABLE_SETTINGS: Readonly<TableSettings> = Object.freeze({
  snapTolerance: 1.5,
  joinTolerance: 2.0,
  minRulingLength: 4,
  touchTolerance: 3,
  boundaryTolerance: 3.5,
  edgeCoverage: 0.5,
  maxSlots: 20000,
  thinFill: 2.5,
  continuationTolerance: 3,
  continuationMaxShift: 36,
  continuationEdgeShare: 0.3,
  alignedMinRows: 3,
  alignedMaxLineGap: 2.5,
  alignedMaxSingles: 2,
  pieceGap: 1.0,
});

/** The settings whose values are lengths (scaled when the geometry is in other units). */
const LENGTHS = [
  'snapTolerance',
  'joinTolerance',
  'minRulingLength',
  'touchTolerance',
  'boundaryTolerance',
  'thinFill',
  'continuationTolerance',
  'continuationMaxShift',
] as const satisfies readonly (keyof TableSettings)[];

/** The same settings for geometry measured in units `k` times smaller than points (pixels at dpi: k = dpi / 72). */
export function scaleTableSettings(s: Readonly<TableSettings>, k: number): TableSettings {
  const out = { ...s };
  for (const key of LENGTHS) out[key] = s[key] * k;
  return out;
}

/**
 * Scanned pages, in points (the image grid scales them by dpi / 72). Scanning
 * thickens and breaks lines and leaves a little skew after deskewing: wider
 * snap and join, longer minimum rulings (CJK strokes at 300 dpi are long runs
 * of ink), and looser matching of continued tables (two scans never line up
 * to the point).
 */
export const SCAN_TABLE_SETTINGS: Readonly<TableSettings> = Object.freeze({
  ...PDF_TABLE_SETTINGS,
  snapTolerance: 2.5,
  joinTolerance: 4,
  minRulingLength: 14,
  touchTolerance: 5,
  boundaryTolerance: 4,
  continuationTolerance: 6,
});

/** The settings for a table read by `method` ('pdf-ruled', 'ocr-ruled', …). */
export function settingsFor(method: string): Readonly<TableSettings> {
  return method.startsWith('ocr-') ? SCAN_TABLE_SETTINGS : PDF_TABLE_SETTINGS;
}
