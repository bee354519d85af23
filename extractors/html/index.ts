/**
 * HTML backend: bytes → DocumentModel.
 *
 * decode (charset.ts) → strip scripts/styles/comments/base64 (preclean.ts) →
 * parse5 via cheerio → drop non-content and hidden elements → find the article
 * (body.ts) → title (title.ts) → prune chrome → blocks and tables (blocks.ts,
 * tables.ts). Knows nothing about report templates beyond the few words that
 * keep a report table from being cut as chrome (stats.ts).
 */
import type { Block, DocumentModel, Message } from '../../src/model.js';
import { ExtractError, type ExtractInput, type ExtractOptions, type Extractor, throwIfAborted } from '../../src/contract/extractor.js';
import { decodePage } from './charset.js';
import { findBody, pruneChrome } from './body.js';
import { contains, findFirst, type HParent } from './dom.js';
import { parseBudgeted } from './parse.js';
import { preclean } from './preclean.js';
import { computeStats, removeJunk, statsOf } from './stats.js';
import { documentTitle, findHeading } from './title.js';
import { toBlocks } from './blocks.js';
import { pagePictures, reportPictures } from './pictures.js';
import { readPicturesInto } from '../ocr/pictures.js';
import { formatLimit, limitsOf, overLimit } from '../../src/contract/limits.js';
import { checkLineLengths } from '../../src/text/limits.js';

/**
 * Lone surrogates (a legacy decoder fed garbage) replaced by U+FFFD: parse5
 * pairs a lone low surrogate with the next one into a code point past
 * U+10FFFF and throws (found by the fuzzer).
 */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * True when the markup ends inside a table cell: after the last <td>/<th>
 * nothing closes it (no </td>, </th>, <tr>, </tr> or </table>). A download
 * cut there leaves a number cut short ("1000" read as "10", found by the
 * fuzzer), so that cell is not read.
 */
function endsInsideCell(html: string): boolean {
  const tail = html.slice(-65536).toLowerCase();
  const open = Math.max(tail.lastIndexOf('<td'), tail.lastIndexOf('<th'));
  return open >= 0 && !/<\/t[dhr]|<tr|<\/table|<\/tbody/.test(tail.slice(open + 3));
}

/** Removes the last cell (in reading order) of the last table; false when there is none. */
function dropLastCell(blocks: Block[]): boolean {
  for (let i = blocks.length - 1; i >= 0; i--) {
    const b = blocks[i];
    if (b.kind !== 'table' || !b.cells.length) continue;
    let last = 0;
    b.cells.forEach((c, k) => {
      const l = b.cells[last];
      if (c.row > l.row || (c.row === l.row && c.col > l.col)) last = k;
    });
    b.cells.splice(last, 1);
    return true;
  }
  return false;
}

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

  const limits = limitsOf(options);
  const limit = limits.htmlMarkupBytes;
  // A character is at least one UTF-8 byte, so more kept characters than the limit is already too much.
  const { html, exceeded, attributeSteps } = preclean(wellFormed(page.text), limit);
  if (exceeded || Buffer.byteLength(html, 'utf8') > limit) {
    // parse5 needs about 70 bytes of memory per byte of markup.
    throw overLimit(
      'html-too-large',
      'htmlMarkupBytes',
      limits,
      `${name}: more than ${formatLimit('htmlMarkupBytes', limit)} of markup is left after removing scripts, styles, comments and inline data`,
    );
  }
  throwIfAborted(options.signal, name);

  const root = parseBudgeted(html, limits, attributeSteps);
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
  const built = toBlocks(choice.body, prepend, limits);
  let blocks = built.blocks;
  warnings.push(...built.warnings);
  checkLineLengths(blocks, limits);
  if (endsInsideCell(html) && dropLastCell(blocks)) {
    warnings.push({
      code: 'html-truncated',
      message: 'the page ends inside a table cell (a cut-off download?); that cell is not read, its number may be cut short',
    });
  }
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
