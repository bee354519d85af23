/**
 * Budgets: how much time and memory one document may cost each reader.
 *
 * A crawler and a bulk importer read files from strangers. Every reader
 * spends in proportion to what a real report needs and gives up early with
 * its own error code, never with a timeout. This table is the one place that
 * names each limit, its default, the CLI option that raises it and the codes
 * it gives; the CLI builds its options from it and the README lists it.
 *
 * Defaults are generous: every real report and fixture is far below each one
 * (the measured real maxima are in the comments).
 */
import { ExtractError, type ExtractOptions } from './extractor.js';

export interface Limits {
  /** Size of the file itself. */
  fileBytes: number;
  /** HTML markup left after scripts, styles, comments and inline data are removed. */
  htmlMarkupBytes: number;
  /** How deep HTML elements may nest. */
  htmlDepth: number;
  /** Elements, text and comment nodes of one HTML page. */
  htmlNodes: number;
  /** Parser steps of one HTML page: every tag costs the depth it is parsed at. */
  htmlParseSteps: number;
  /** Grid slots (rows × columns, spans included) of one table (HTML, Word). */
  tableCells: number;
  /** Bytes inflated from one zip package (.docx), all parts together. */
  zipInflatedBytes: number;
  /** Expansion ratio (inflated / compressed) that marks a part as a bomb once past 1 MiB. */
  zipRatio: number;
  /** Entries in one zip's central directory. */
  zipEntries: number;
  /** One XML part of a package (document.xml, styles.xml …), inflated. */
  xmlPartBytes: number;
  /** How deep XML elements may nest. */
  xmlDepth: number;
  /** Pages a PDF may have at all (pdf.js walks a flat page tree once per page read). */
  pdfPages: number;
  /** PDF pages read; later pages are skipped with a warning. */
  pdfPagesRead: number;
  /** Operators (drawing and text instructions) on one PDF page. */
  pdfPageOperators: number;
  /** Operators of one PDF, all pages together; later pages are skipped with a warning. */
  pdfOperators: number;
  /** Nesting of graphics states (q … Q) on one PDF page. */
  pdfNesting: number;
  /** Decoded size of one PDF stream (page content, fonts, object streams). */
  pdfStreamBytes: number;
  /** Pixels of one image in a PDF (width × height as declared), for readers that decode images. */
  pdfImagePixels: number;
  /** Time LibreOffice may take to convert one .doc. */
  docConvertMs: number;
  /** Characters in one line of text (a text line, an HTML or Word paragraph, a table cell). */
  textLineChars: number;
  /** Lines of one text file. */
  textLines: number;
}

export type LimitKey = keyof Limits;

export interface LimitSpec {
  key: LimitKey;
  default: number;
  /** The CLI option of `ogi extract` / `ogi ingest` that sets it. */
  flag: string;
  unit: 'bytes' | 'count' | 'ms' | 'ratio';
  /** Error (or warning) codes it gives when exceeded. */
  codes: string[];
  what: string;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/** Every limit, in the order the README lists them. */
export const LIMIT_SPECS: readonly LimitSpec[] = [
  { key: 'fileBytes', default: 100 * MiB, flag: '--max-bytes', unit: 'bytes', codes: ['file-too-large'], what: 'size of the file' },
  {
    // parse5 needs about 70 bytes of memory per byte of dense table markup (50 MB → 3.4 GB RSS):
    // 8 MiB keeps the worst case near 600 MB. Real report pages: under 1 MiB once cleaned.
    key: 'htmlMarkupBytes',
    default: 8 * MiB,
    flag: '--max-html-bytes',
    unit: 'bytes',
    codes: ['html-too-large'],
    what: 'HTML markup left after removing scripts, styles, comments and inline data',
  },
  {
    // Real pages: 8–25 deep (corpus, fixtures); broken pages with unclosed <div>/<font> a few thousand.
    // parse5 walks its stack of open elements on most tags: depth d costs d²/2 steps.
    key: 'htmlDepth',
    default: 4096,
    flag: '--max-html-depth',
    unit: 'count',
    codes: ['html-too-deep'],
    what: 'depth of nested HTML elements',
  },
  {
    // Real pages: under 2,000 nodes; a 6 MiB page of paragraphs about 90,000. Each node costs about
    // 1 KB and 9 µs through parsing, body detection and pruning (1 million: 1.2 GB, 9 s).
    key: 'htmlNodes',
    default: 200_000,
    flag: '--max-html-nodes',
    unit: 'count',
    codes: ['html-too-many-nodes'],
    what: 'HTML elements and text nodes',
  },
  {
    // Real pages: under 1 million steps; 100 million take about 1.3 s.
    key: 'htmlParseSteps',
    default: 100_000_000,
    flag: '--max-html-parse-steps',
    unit: 'count',
    codes: ['html-too-complex'],
    what: 'HTML parser steps (each tag costs the depth it is parsed at)',
  },
  {
    // Real report tables: under 1,000 slots.
    key: 'tableCells',
    default: 1_000_000,
    flag: '--max-table-cells',
    unit: 'count',
    codes: ['html-table-too-large', 'docx-table-too-large'],
    what: 'grid slots (rows × columns) of one table',
  },
  {
    key: 'zipInflatedBytes',
    default: 100 * MiB,
    flag: '--max-inflated-bytes',
    unit: 'bytes',
    codes: ['docx-zip-bomb'],
    what: 'bytes inflated from one .docx package',
  },
  {
    // Real XML compresses 5–20:1 (repetitive tables up to about 100:1); deflate's ceiling is about 1032:1.
    key: 'zipRatio',
    default: 500,
    flag: '--max-zip-ratio',
    unit: 'ratio',
    codes: ['docx-zip-bomb'],
    what: 'expansion ratio of one zip entry (checked once it passes 1 MiB)',
  },
  {
    // Real .docx: 10–40 entries, a few hundred with many images.
    key: 'zipEntries',
    default: 10_000,
    flag: '--max-zip-entries',
    unit: 'count',
    codes: ['docx-too-many-entries'],
    what: 'entries in one zip archive',
  },
  {
    // Real document.xml: 50 KB – 2 MB. fast-xml-parser takes about 0.25 s per MiB of dense markup.
    key: 'xmlPartBytes',
    default: 16 * MiB,
    flag: '--max-xml-part-bytes',
    unit: 'bytes',
    codes: ['docx-part-too-large'],
    what: 'size of one XML part of a .docx, inflated',
  },
  {
    // Real document.xml: about 12 deep, 3 more per nested table.
    key: 'xmlDepth',
    default: 1000,
    flag: '--max-xml-depth',
    unit: 'count',
    codes: ['docx-xml-too-deep'],
    what: 'depth of nested XML elements',
  },
  {
    // Real reports: 5–40 pages; a compilation of a city's reports a few hundred. Reading page n of a
    // flat page tree costs pdf.js n steps: 300 pages of a 100,000-page PDF took 29 s.
    key: 'pdfPages',
    default: 2000,
    flag: '--max-pdf-pages',
    unit: 'count',
    codes: ['pdf-too-many-pages'],
    what: 'pages of one PDF',
  },
  {
    key: 'pdfPagesRead',
    default: 300,
    flag: '--max-pdf-pages-read',
    unit: 'count',
    codes: ['pdf-pages-truncated'],
    what: 'PDF pages read; the rest is skipped with a warning',
  },
  {
    // Fixture and corpus pages: at most 4,715 operators (912 on average). Path operators cost pdf.js
    // and the table finder about 11 µs each (500,000: 5.7 s, 630 MB).
    key: 'pdfPageOperators',
    default: 200_000,
    flag: '--max-pdf-page-operators',
    unit: 'count',
    codes: ['pdf-too-many-operators'],
    what: 'operators on one PDF page',
  },
  {
    key: 'pdfOperators',
    default: 600_000,
    flag: '--max-pdf-operators',
    unit: 'count',
    codes: ['pdf-too-many-operators'],
    what: 'operators of one PDF, all pages together',
  },
  {
    // Real pages: under 20. pdf.js pays the depth on every operator after a q (40,000 nested: 7 s).
    key: 'pdfNesting',
    default: 1000,
    flag: '--max-pdf-nesting',
    unit: 'count',
    codes: ['pdf-too-deep'],
    what: 'graphics states (q … Q) nested on one PDF page',
  },
  {
    key: 'pdfStreamBytes',
    default: 64 * MiB,
    flag: '--max-pdf-stream-bytes',
    unit: 'bytes',
    codes: ['pdf-stream-too-large'],
    what: 'decoded size of one PDF stream',
  },
  {
    // A4 at 600 dpi: 35 million pixels.
    key: 'pdfImagePixels',
    default: 100_000_000,
    flag: '--max-pdf-image-pixels',
    unit: 'count',
    codes: ['pdf-image-too-large'],
    what: 'pixels of one image in a PDF',
  },
  {
    // A conversion takes about 1.5 s (3 s on a loaded machine); past the limit the text fallback reads the file.
    key: 'docConvertMs',
    default: 20_000,
    flag: '--doc-convert-ms',
    unit: 'ms',
    codes: ['doc-convert-timeout'],
    what: 'time LibreOffice may take to convert one .doc',
  },
  {
    // Real: 17,000 characters (a crawler's one-line page).
    key: 'textLineChars',
    default: 1 * MiB,
    flag: '--max-line-chars',
    unit: 'count',
    codes: ['text-line-too-long'],
    what: 'characters in one line or paragraph of text',
  },
  {
    // Real text reports: a few hundred lines. Each line costs about 5 µs and 1.3 KB through mapping.
    key: 'textLines',
    default: 100_000,
    flag: '--max-lines',
    unit: 'count',
    codes: ['text-too-many-lines'],
    what: 'lines of one text file',
  },
];

const SPECS = new Map(LIMIT_SPECS.map((s) => [s.key, s]));

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze(
  Object.fromEntries(LIMIT_SPECS.map((s) => [s.key, s.default])) as unknown as Limits,
);

/** The defaults with the given overrides (undefined entries keep the default). */
export function resolveLimits(overrides: Partial<Limits> | undefined): Limits {
  const out = { ...DEFAULT_LIMITS };
  for (const [k, v] of Object.entries(overrides ?? {})) {
    if (v !== undefined && SPECS.has(k as LimitKey)) out[k as LimitKey] = v;
  }
  return out;
}

/** The limits an extraction runs under: defaults, then the older single options, then `limits`. */
export function limitsOf(options: Pick<ExtractOptions, 'maxBytes' | 'timeoutMs' | 'limits'> | undefined): Limits {
  return resolveLimits({ fileBytes: options?.maxBytes, docConvertMs: options?.timeoutMs, ...options?.limits });
}

export function formatLimit(key: LimitKey, value: number): string {
  const unit = SPECS.get(key)?.unit;
  if (unit === 'bytes') {
    if (value >= MiB && value % (MiB / 16) === 0) return `${(value / MiB).toLocaleString('en')} MiB`;
    if (value >= KiB && value % KiB === 0) return `${(value / KiB).toLocaleString('en')} KiB`;
    return `${value.toLocaleString('en')} bytes`;
  }
  if (unit === 'ms') return `${value.toLocaleString('en')} ms`;
  if (unit === 'ratio') return `${value}:1`;
  return value.toLocaleString('en');
}

/** "limits.htmlDepth = 4,096; raise it with --max-html-depth" */
export function limitPhrase(key: LimitKey, value: number): string {
  return `limits.${key} = ${formatLimit(key, value)}; raise it with ${SPECS.get(key)?.flag ?? key}`;
}

/**
 * The error a reader throws when a budget is exceeded. `what` says what was
 * found against the limit ("elements nest more than 4,096 deep"); the
 * message adds the limit's name and the option that raises it.
 */
export function overLimit(code: string, key: LimitKey, limits: Limits, what: string): ExtractError {
  return new ExtractError(code, `${what} (${limitPhrase(key, limits[key])})`);
}
