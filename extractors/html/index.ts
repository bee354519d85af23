/**
 * HTML backend: bytes → DocumentModel.
 *
 * decode (charset.ts) → strip scripts/styles/comments/base64 (preclean.ts) →
 * parse5 via cheerio → drop non-content and hidden elements → find the article
 * (body.ts) → title (title.ts) → prune chrome → blocks and tables (blocks.ts,
 * tables.ts). Knows nothing about report templates beyond the few words that
 * keep a report table from being cut as chrome (stats.ts).
 */
import type { DocumentModel, Message } from '../../src/model.js';
import { ExtractError, type ExtractInput, type ExtractOptions, type Extractor, throwIfAborted } from '../../src/contract/extractor.js';
import { decodePage } from './charset.js';
import { findBody, pruneChrome } from './body.js';
import { contains, parseHtml, findFirst, type HParent } from './dom.js';
import { preclean } from './preclean.js';
import { computeStats, removeJunk, statsOf } from './stats.js';
import { documentTitle, findHeading } from './title.js';
import { toBlocks } from './blocks.js';
import { pagePictures, reportPictures } from './pictures.js';
import { readPicturesInto } from '../ocr/pictures.js';

/**
 * Markup left after preclean that is still parsed without an explicit
 * options.maxBytes. parse5 needs about 70 bytes of memory per byte of dense
 * table markup (measured: 50 MB → 3.4 GB RSS, 24 s), so 8 MiB keeps a worst
 * case near 600 MB. Real report pages are well under 1 MiB once cleaned.
 */
export const DEFAULT_MAX_MARKUP_BYTES = 8 * 1024 * 1024;

/** Below this many visible characters in the chosen body, say so: the report may be in an iframe or attachment. */
const LITTLE_CONTENT = 200;

/** No <html> or <body> tag anywhere before the first content: a bare fragment. */
function isFragment(html: string): boolean {
  return !/<(html|body|head)[\s>]/i.test(html);
}

export async function extractHtml(input: ExtractInput, options: ExtractOptions = {}): Promise<DocumentModel> {
  const { bytes, name } = input;
  if (bytes.length === 0) throw new ExtractError('empty-file', `${name}: the file is empty`);
  throwIfAborted(options.signal, name);

  const page = decodePage(bytes, name, input.contentType);
  if (!/\S/.test(page.text)) throw new ExtractError('empty-file', `${name}: the file holds only whitespace`);
  const warnings: Message[] = [...page.warnings];

  const limit = options.maxBytes ?? DEFAULT_MAX_MARKUP_BYTES;
  // A character is at least one UTF-8 byte, so more kept characters than the limit is already too much.
  const { html, exceeded } = preclean(page.text, limit);
  if (exceeded || Buffer.byteLength(html, 'utf8') > limit) {
    throw new ExtractError(
      'file-too-large',
      `${name}: more than ${(limit / 1048576).toFixed(1)} MiB of markup is left after removing scripts, styles, comments and inline data (raise options.maxBytes to parse it; parse5 needs about 70 bytes of memory per byte of markup)`,
    );
  }
  throwIfAborted(options.signal, name);

  const root = parseHtml(html);
  const docTitle = documentTitle(root);
  const { hiddenReportTables } = removeJunk(root);
  if (hiddenReportTables) {
    warnings.push({ code: 'hidden-report-table', message: `${hiddenReportTables} report table(s) sit in hidden elements; kept` });
  }
  const stats = computeStats(root);
  const choice = findBody(root, stats, isFragment(html));
  if (choice.climbed) {
    warnings.push({
      code: 'body-widened',
      message: `${choice.climbed} report table(s) lay outside the detected article; the body was widened to include them`,
    });
  }
  const pageEl: HParent = findFirst(root, 'body') ?? root;
  const heading = findHeading(pageEl, choice.body, stats);
  pruneChrome(choice.body, stats, heading && contains(choice.body, heading.el) ? heading.el : undefined);
  throwIfAborted(options.signal, name);

  // A heading found just before the body (h1 beside #zoom) opens the block list.
  const prepend = heading && !contains(choice.body, heading.el) ? heading : undefined;
  const built = toBlocks(choice.body, prepend);
  let blocks = built.blocks;
  warnings.push(...built.warnings);
  const title = heading?.text ?? docTitle;
  const bodyStats = statsOf(stats, choice.body);

  // 图片版: no table of the form, pictures instead. They are asked for (meta.resources) and read when supplied.
  let pictures = bodyStats.reportTables === 0 ? reportPictures(built.pictures, name) : [];
  // An article of nothing but pictures weighs nothing: the text-chosen body may have missed it. Look at the whole page.
  if (!pictures.length && bodyStats.reportTables === 0 && bodyStats.chars < 5 * LITTLE_CONTENT) {
    pictures = reportPictures(
      pagePictures(pageEl).map((el) => ({ el, at: blocks.length })),
      name,
    );
  }
  let ocr = false;
  if (pictures.length) {
    const read = await readPicturesInto(
      blocks,
      pictures,
      (ref) => input.resources?.get(ref),
      options,
      { name, wantText: !/报告/.test(title ?? ''), required: bodyStats.chars < LITTLE_CONTENT },
      warnings,
    );
    blocks = read.blocks;
    ocr = read.read;
  }
  // A page of pictures not (yet) supplied is still a page: its model lists them (meta.resources).
  if (!pictures.length && !blocks.some((b) => b.kind === 'table' || b.text.length > 0)) {
    throw new ExtractError('no-content', `${name}: the page has no text or tables (frameset, iframe or script-rendered page?)`);
  }
  if (bodyStats.chars < LITTLE_CONTENT && !ocr) {
    warnings.push({
      code: 'little-content',
      message: `the article holds only ${bodyStats.chars} characters; the report may be in an iframe, attachment or image`,
    });
  }

  return {
    format: 'html',
    meta: {
      ...(title ? { title } : {}),
      encoding: page.encoding,
      encodingSource: page.encodingSource,
      extractor: ocr ? 'html:ocr' : `html:${choice.how}`,
      warnings,
      ...(pictures.length ? { resources: pictures.map((p) => p.ref) } : {}),
    },
    blocks,
  };
}

export const extractor: Extractor = {
  format: 'html',
  extract: extractHtml,
};
