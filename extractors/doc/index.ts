/**
 * Word 97-2003 (.doc). Exact path: LibreOffice converts to DOCX and the DOCX
 * extractor reads real merges. Fallback: word-extractor's text, with tables
 * rebuilt from tab-separated cells (structure 'rows', approximate).
 */
import WordExtractor from 'word-extractor';
import type { DocumentModel, Message } from '../../src/model.js';
import {
  abortError,
  ExtractError,
  type ExtractInput,
  type ExtractOptions,
  type Extractor,
  throwIfAborted,
} from '../../src/contract/extractor.js';
import { extractDocx } from '../docx/index.js';
import { oleEntryNames } from './ole.js';
import { ConvertTimeout, convertToDocx, findSoffice } from './soffice.js';
import { textToBlocks } from './text.js';
import { formatLimit, limitsOf, overLimit } from '../../src/contract/limits.js';
import { checkTextLines } from '../../src/text/limits.js';

const ENABLE_EXACT = 'install LibreOffice (apt-get install libreoffice-writer-nogui) or set OGI_SOFFICE to the soffice binary';

export async function extractDoc(bytes: Uint8Array, options: ExtractOptions = {}): Promise<DocumentModel> {
  throwIfAborted(options.signal, '.doc');
  const names = oleEntryNames(bytes);
  if (names.includes('EncryptedPackage')) {
    throw new ExtractError(
      'doc-encrypted',
      'a password-protected Office document (EncryptedPackage); it cannot be read without the password',
    );
  }
  if (!names.includes('WordDocument')) {
    const what =
      names.includes('Workbook') || names.includes('Book')
        ? 'an Excel workbook'
        : names.includes('PowerPoint Document')
          ? 'a PowerPoint file'
          : 'another OLE2 file';
    throw new ExtractError('doc-not-doc', `${what}, not a Word document (no WordDocument stream)`);
  }

  // word-extractor first: it validates the OLE structure in milliseconds, and its text is the fallback.
  let body: string;
  try {
    body = (await new WordExtractor().extract(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length))).getBody({ filterUnicode: false });
  } catch (e) {
    throw new ExtractError('doc-corrupt', `the Word 97-2003 file is damaged: ${(e as Error).message}`);
  }

  const warnings: Message[] = [];
  const limits = limitsOf(options);
  const soffice = findSoffice();
  if (soffice.path) {
    try {
      const docx = await convertToDocx(soffice.path, bytes, { timeoutMs: limits.docConvertMs, signal: options.signal });
      const model = await extractDocx(docx, { limits, signal: options.signal });
      return { format: 'doc', meta: { ...model.meta, extractor: 'doc:soffice' }, blocks: model.blocks };
    } catch (e) {
      // A stop is the one `aborted` error, whatever LibreOffice said when it was killed.
      if (options.signal?.aborted) throw abortError('.doc');
      if (e instanceof ConvertTimeout) {
        const over = overLimit(
          'doc-convert-timeout',
          'docConvertMs',
          limits,
          `LibreOffice took longer than ${formatLimit('docConvertMs', limits.docConvertMs)} and was stopped; read as text instead`,
        );
        warnings.push({ code: over.code, message: over.message });
      } else {
        warnings.push({
          code: 'doc-soffice-failed',
          message: `LibreOffice conversion failed, read as text instead: ${(e as Error).message}`,
        });
      }
    }
  }
  warnings.push({
    code: 'doc-text-only',
    message:
      `read as plain text (${soffice.path ? 'LibreOffice failed' : soffice.reason}): table rows are rebuilt from tab-separated cells, ` +
      `merged cells are lost and columns may be misaligned. For exact tables, ${ENABLE_EXACT}.`,
  });
  checkTextLines(body, limitsOf(options));
  return { format: 'doc', meta: { extractor: 'doc:text', warnings }, blocks: textToBlocks(body) };
}

export const extractor: Extractor = {
  format: 'doc',
  extract(input: ExtractInput, options: ExtractOptions): Promise<DocumentModel> {
    return extractDoc(input.bytes, options);
  },
};
