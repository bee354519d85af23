/**
 * What a file really is, from its first bytes. Portals serve attachments as
 * application/octet-stream and save error pages under .pdf names, so the
 * extension is only a hint.
 */
import { unzipSync } from 'fflate';
import type { Format } from '../model.js';

export type Sniffed = Format | 'zip' | 'binary' | 'empty';

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(bytes: Uint8Array, sig: number[], at = 0): boolean {
  return sig.every((b, i) => bytes[at + i] === b);
}

/** True when the zip's central directory names word/document.xml (read without inflating anything). */
export function zipHasWordDocument(bytes: Uint8Array): boolean {
  try {
    let found = false;
    unzipSync(bytes, {
      filter: (f) => {
        if (f.name === 'word/document.xml') found = true;
        return false;
      },
    });
    return found;
  } catch {
    // Truncated or corrupt: fall back to a raw scan of the local headers.
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).includes('word/document.xml');
  }
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
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return zipHasWordDocument(bytes) ? 'docx' : 'zip';
  if (startsWith(bytes, OLE2)) return 'doc';
  // UTF-16 text carries NULs; check its BOM before the binary test.
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (!utf16 && controlByteRatio(bytes) > 0.02) return 'binary';
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 4096)).toString('latin1').toLowerCase();
  if (/<(!doctype\s+html|html|head|body|meta|table|div|p|span|br)[\s>/]/.test(head)) return 'html';
  if (utf16) return 'txt';
  if (/^\s*$/.test(Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 65536)).toString('latin1'))) return 'empty';
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
