/**
 * What a file really is, from its first bytes. Portals serve attachments as
 * application/octet-stream and save error pages under .pdf names, so the
 * extension is only a hint.
 */
import type { Format } from '../model.js';
import { utf16WithoutBom } from '../text/decode.js';
import { hasEndRecord, zipEntryNames, zipKind, type ZipKind } from '../../extractors/zip/reader.js';

export type Sniffed = Format | 'zip' | 'binary' | 'empty';

const HTML_START = /<(!doctype\s+html|html|head|body|meta|table|div|p|span|br)[\s>/]/;

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(bytes: Uint8Array, sig: number[], at = 0): boolean {
  return sig.every((b, i) => bytes[at + i] === b);
}

/**
 * What a zip is (docx, xlsx, pptx, OFD, ODF, EPUB or a plain archive), from
 * its entry names, read by the same zip reader the DOCX extractor uses
 * (central directory only, nothing inflated; a damaged directory falls back
 * to the local headers).
 */
export function describeZip(bytes: Uint8Array): { kind: ZipKind; what: string } {
  return zipKind(zipEntryNames(bytes));
}

/** True when every byte is ASCII whitespace (the whole file: text may start after a megabyte of tabs). */
function onlyWhitespace(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x0b) return false;
  }
  return true;
}

/** Share of bytes that cannot occur in any text encoding we accept. */
function controlByteRatio(bytes: Uint8Array): number {
  const n = Math.min(bytes.length, 8192);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0 || (b < 0x20 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27)) bad++;
  }
  return n ? bad / n : 0;
}

export function sniff(bytes: Uint8Array): Sniffed {
  if (bytes.length === 0) return 'empty';
  const pdfAt = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).indexOf('%PDF-');
  if (pdfAt >= 0) return 'pdf';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return describeZip(bytes).kind === 'docx' ? 'docx' : 'zip';
  if (startsWith(bytes, OLE2)) return 'doc';
  // A .docx whose first bytes were overwritten still ends with its zip directory.
  if (hasEndRecord(bytes) && describeZip(bytes).kind === 'docx') return 'docx';
  // UTF-16 text carries NULs; check its BOM before the binary test.
  const bomless = utf16WithoutBom(bytes);
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || bomless !== undefined;
  if (bomless) {
    // Without a BOM the markup test below would read NUL-separated bytes: look at the decoded text instead.
    const head = new TextDecoder(bomless).decode(bytes.subarray(0, Math.min(bytes.length, 8192) & ~1)).toLowerCase();
    return HTML_START.test(head) ? 'html' : 'txt';
  }
  if (!utf16 && controlByteRatio(bytes) > 0.02) return 'binary';
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 4096)).toString('latin1').toLowerCase();
  if (HTML_START.test(head)) return 'html';
  if (utf16) return 'txt';
  if (onlyWhitespace(bytes)) return 'empty';
  return 'txt';
}

const EXTENSIONS: Record<string, Format> = {
  '.html': 'html',
  '.htm': 'html',
  '.shtml': 'html',
  '.xhtml': 'html',
  '.docx': 'docx',
  '.doc': 'doc',
  '.pdf': 'pdf',
  '.txt': 'txt',
  '.text': 'txt',
  '.md': 'txt',
  '.markdown': 'txt',
};

export function formatFromName(name: string): Format | undefined {
  const clean = name.replace(/[?#].*$/, '').toLowerCase();
  const m = clean.match(/\.[a-z0-9]+$/);
  return m ? EXTENSIONS[m[0]] : undefined;
}
