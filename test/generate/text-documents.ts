/**
 * Plain documents of text lines as PDF and DOCX, for pages that carry no form
 * (notices, corrections, other reports): what the classifier must tell from a
 * report whatever the format.
 */
import { cjkText, writePdf } from './pdf-writer.js';
import { escapeXml, writePackage } from './word/ooxml.js';

const PAGE_TOP = 800;
const LINE = 16;
const SIZE = 11;
/** Characters per line at 11 pt on an A4 page with margins. */
const WRAP = 44;

function wrap(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const l of lines) {
    const chars = Array.from(l.trim());
    if (!chars.length) continue;
    for (let i = 0; i < chars.length; i += WRAP) out.push(chars.slice(i, i + WRAP).join(''));
  }
  return out;
}

/** A text PDF (Chinese in a predefined-CMap font), lines wrapped, pages filled top-down. */
export function textPdf(lines: readonly string[]): Uint8Array {
  const wrapped = wrap(lines);
  const perPage = Math.floor((PAGE_TOP - 60) / LINE);
  const pages: { content: string }[] = [];
  for (let i = 0; i < wrapped.length; i += perPage) {
    const content = wrapped
      .slice(i, i + perPage)
      .map((l, j) => cjkText(60, PAGE_TOP - j * LINE, SIZE, l))
      .join('');
    pages.push({ content });
  }
  return new Uint8Array(writePdf(pages.length ? pages : [{ content: '' }], 'text document'));
}

/** A DOCX of one paragraph per line. */
export function textDocx(lines: readonly string[]): Uint8Array {
  const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
  const paras = lines
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => `<w:p><w:r><w:t xml:space="preserve">${escapeXml(l)}</w:t></w:r></w:p>`)
    .join('');
  return writePackage({
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    'word/document.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}"><w:body>${paras}</w:body></w:document>`,
  });
}
