/**
 * A minimal PDF writer for hostile test files: numbered objects, an xref
 * table and a trailer, with the freedom to lie (loops, bombs, absurd sizes).
 */
import { deflateSync } from 'node:zlib';

export type PdfObject = string | { dict: string; stream: Uint8Array | string; deflate?: boolean };

/** Objects are numbered from 1 in order; object 1 must be the catalog. */
export function buildPdf(objects: PdfObject[], options: { trailerExtra?: string; xref?: boolean } = {}): Uint8Array {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = parts[0].length;
  const offsets: number[] = [];
  const push = (b: Buffer) => {
    parts.push(b);
    length += b.length;
  };
  objects.forEach((o, i) => {
    offsets.push(length);
    if (typeof o === 'string') {
      push(Buffer.from(`${i + 1} 0 obj\n${o}\nendobj\n`, 'latin1'));
    } else {
      const raw = typeof o.stream === 'string' ? Buffer.from(o.stream, 'latin1') : Buffer.from(o.stream);
      const data = o.deflate ? deflateSync(raw, { level: 9 }) : raw;
      const filter = o.deflate ? ' /Filter /FlateDecode' : '';
      push(Buffer.from(`${i + 1} 0 obj\n<< ${o.dict} /Length ${data.length}${filter} >>\nstream\n`, 'latin1'));
      push(data);
      push(Buffer.from('\nendstream\nendobj\n', 'latin1'));
    }
  });
  const xrefAt = length;
  if (options.xref !== false) {
    const rows = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
    push(Buffer.from(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${rows}`, 'latin1'));
  }
  push(
    Buffer.from(
      `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${options.trailerExtra ?? ''} >>\nstartxref\n${xrefAt}\n%%EOF\n`,
      'latin1',
    ),
  );
  return new Uint8Array(Buffer.concat(parts));
}

/** A font resource every text page below uses (a standard font: no embedding needed). */
export const HELVETICA = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';

/** A one-page PDF with the given content stream; objects: catalog, pages, page, font, content. */
export function onePage(content: string | Uint8Array, extra: PdfObject[] = [], resources = '/Font << /F1 4 0 R >>'): Uint8Array {
  return buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << ${resources} >> /Contents 5 0 R >>`,
    HELVETICA,
    { dict: '', stream: content, deflate: true },
    ...extra,
  ]);
}
