/**
 * A minimal PDF writer for test fixtures: pages of content streams with a
 * Latin font (/F1), a non-embedded Chinese font with a predefined CMap (/F2:
 * readable only with pdf.js' cMaps) and an optional grey JPEG image.
 */

export function writePdf(
  pages: { content: string; rotate?: number; image?: { jpeg: Buffer; w: number; h: number } }[],
  title: string,
): Buffer {
  const objs: (string | Buffer)[] = [];
  const add = (o: string | Buffer) => objs.push(o) && objs.length;
  const catalog = add('');
  const pagesObj = add('');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  // Not embedded, predefined CMap: text is only readable with pdf.js' cMaps.
  const cidFont = add(
    '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> ' +
      '/FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >> /DW 1000 >>',
  );
  const cjk = add(
    `<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light-UniGB-UCS2-H /Encoding /UniGB-UCS2-H /DescendantFonts [${cidFont} 0 R] >>`,
  );
  const info = add(`<< /Title (${title}) /Producer (ogi test/generate/pdf-fixtures.ts) >>`);
  const kids: number[] = [];
  for (const p of pages) {
    const stream = Buffer.from(p.content, 'latin1');
    const contents = add(Buffer.concat([Buffer.from(`<< /Length ${stream.length} >>\nstream\n`), stream, Buffer.from('\nendstream')]));
    let xobj = '';
    if (p.image) {
      const img = add(
        Buffer.concat([
          Buffer.from(
            `<< /Type /XObject /Subtype /Image /Width ${p.image.w} /Height ${p.image.h} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length ${p.image.jpeg.length} >>\nstream\n`,
          ),
          p.image.jpeg,
          Buffer.from('\nendstream'),
        ]),
      );
      xobj = ` /XObject << /Im1 ${img} 0 R >>`;
    }
    kids.push(
      add(
        `<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 595 842]${p.rotate ? ` /Rotate ${p.rotate}` : ''} /Resources << /Font << /F1 ${font} 0 R /F2 ${cjk} 0 R >>${xobj} >> /Contents ${contents} 0 R >>`,
      ),
    );
  }
  objs[catalog - 1] = `<< /Type /Catalog /Pages ${pagesObj} 0 R >>`;
  objs[pagesObj - 1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let pos = parts[0].length;
  objs.forEach((o, i) => {
    offsets.push(pos);
    const b = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`),
      typeof o === 'string' ? Buffer.from(o, 'latin1') : o,
      Buffer.from('\nendobj\n'),
    ]);
    parts.push(b);
    pos += b.length;
  });
  const xref = [
    `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`,
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`),
  ].join('');
  parts.push(
    Buffer.from(`${xref}trailer\n<< /Size ${objs.length + 1} /Root ${catalog} 0 R /Info ${info} 0 R >>\nstartxref\n${pos}\n%%EOF\n`),
  );
  return Buffer.concat(parts);
}

/** Chinese text in the non-embedded /F2 font: UCS-2 big-endian hex. */
export function cjkText(x: number, y: number, size: number, s: string): string {
  const hex = Array.from(s)
    .map((ch) => ch.charCodeAt(0).toString(16).padStart(4, '0'))
    .join('');
  return `BT /F2 ${size} Tf ${x} ${y} Td <${hex}> Tj ET\n`;
}

export function text(x: number, y: number, size: number, s: string): string {
  return `BT /F1 ${size} Tf ${x} ${y} Td (${s.replace(/[()\\]/g, '\\$&')}) Tj ET\n`;
}

/** Thin filled rectangle along a ruling, in the current user space. */
export function hRule(x0: number, x1: number, y: number, t = 0.8): string {
  return `${x0} ${y - t / 2} ${x1 - x0} ${t} re f\n`;
}
export function vRule(x: number, y0: number, y1: number, t = 0.8): string {
  return `${x - t / 2} ${y0} ${t} ${y1 - y0} re f\n`;
}
