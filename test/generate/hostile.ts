/**
 * Hostile files, generated (never committed: some are 100 MB inflated),
 * each with the one outcome ogi must give it, quickly and without a
 * timeout. The attacks a crawler or a stranger's folder can bring: deep
 * nesting in every format, node and attribute floods, zip bombs (honest,
 * lying, overlapping, thousands of entries), entity expansion, PDF page
 * trees, operator floods, nested graphics states, stream bombs and xref
 * loops, 10 MB lines, NUL floods, UTF-16 without a BOM, and zips that are
 * not Word documents.
 *
 * `issueBatch` is the batch of issue 12: deep.html (200,000 nested divs),
 * a .docx with a stretch zeroed, a zip bomb, and three good reports.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, constants } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { buildPdf, HELVETICA, onePage } from './pdf-builder.js';

export interface HostileFile {
  name: string;
  /** Built on demand: some are large. */
  bytes: () => Uint8Array;
  /** The error code ogi must record; 'report' for a file read into a report, 'read' for one read without an error. */
  expect: string;
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;
const documentXml = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}"><w:body>${body}<w:sectPr/></w:body></w:document>`;
const para = (t: string) => `<w:p><w:r><w:t>${t}</w:t></w:r></w:p>`;

function docx(xml: string | Uint8Array, extra: Record<string, Uint8Array> = {}): Uint8Array {
  return zipSync({
    '[Content_Types].xml': strToU8(CONTENT_TYPES),
    '_rels/.rels': strToU8(ROOT_RELS),
    'word/document.xml': typeof xml === 'string' ? strToU8(xml) : xml,
    ...extra,
  });
}

interface RawEntry {
  name: string;
  data: Uint8Array;
  method: 0 | 8;
  size: number;
  crc?: number;
  /** Point the entry at another entry's local header (overlapping entries). */
  offsetOf?: number;
}

/** A zip written by hand, so sizes, offsets and CRCs can lie. */
export function rawZip(entries: RawEntry[]): Uint8Array {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    offsets.push(offset);
    if (e.offsetOf === undefined) {
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(e.method, 8);
      local.writeUInt32LE(e.crc ?? 0, 14);
      local.writeUInt32LE(e.data.length, 18);
      local.writeUInt32LE(e.size, 22);
      local.writeUInt16LE(name.length, 26);
      chunks.push(local, name, Buffer.from(e.data));
      offset += 30 + name.length + e.data.length;
    }
  }
  entries.forEach((e, i) => {
    const name = Buffer.from(e.name);
    const target = e.offsetOf === undefined ? e : entries[e.offsetOf];
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(target.method, 10);
    cd.writeUInt32LE(target.crc ?? 0, 16);
    cd.writeUInt32LE(target.data.length, 20);
    cd.writeUInt32LE(target.size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offsets[e.offsetOf ?? i], 42);
    central.push(cd, name);
  });
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 8);
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...chunks, cdBytes, end]));
}

/** `mb` MiB of zeros deflated to about 1 KB per MiB (a full-flushed block repeated). */
export function zeroDeflate(mb: number): Uint8Array {
  const block = deflateRawSync(Buffer.alloc(1024 * 1024), { finishFlush: constants.Z_FULL_FLUSH });
  return new Uint8Array(Buffer.concat([...Array<Buffer>(mb).fill(block), Buffer.from([0x01, 0x00, 0x00, 0xff, 0xff])]));
}

/** The zip bomb of the issue: a .docx whose document.xml is 120 MiB of zeros. */
export function zipBomb(): Uint8Array {
  return zipSync({ '[Content_Types].xml': strToU8(CONTENT_TYPES), 'word/document.xml': new Uint8Array(120 * 1024 * 1024) }, { level: 9 });
}

/** A real .docx with a stretch of 4 KB overwritten with zeros in the middle (the issue's damaged file). */
export function damagedDocx(good: Uint8Array): Uint8Array {
  const out = good.slice();
  const at = Math.floor(out.length / 2);
  out.fill(0, at, Math.min(out.length, at + 4096));
  return out;
}

const deepDivs = (n: number) => `<html><body>${'<div>'.repeat(n)}本年新收政府信息公开申请数量 12</body></html>`;

function text(s: string): () => Uint8Array {
  return () => new Uint8Array(Buffer.from(s));
}

const PDF_TEXT = 'BT /F1 12 Tf 72 700 Td (2023 annual report 12) Tj ET\n';

function manyPages(n: number): Uint8Array {
  const kids = Array.from({ length: n }, (_, i) => `${i + 5} 0 R`).join(' ');
  return buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${n} >>`,
    HELVETICA,
    { dict: '', stream: PDF_TEXT, deflate: true },
    ...Array.from(
      { length: n },
      () => '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>',
    ),
  ]);
}

function xrefLoop(): Uint8Array {
  const s = Buffer.from(onePage(PDF_TEXT)).toString('latin1');
  const xref = s.lastIndexOf('xref\n');
  return new Uint8Array(Buffer.from(s.replace('trailer\n<< ', `trailer\n<< /Prev ${xref} `), 'latin1'));
}

/** Every hostile file, with the code it must get. `root` is the repository (for the good reports). */
export function hostileFiles(root: string): HostileFile[] {
  const good = (rel: string) => () => new Uint8Array(readFileSync(join(root, rel)));
  const seedTxt = readFileSync(join(root, 'corpus/000_97b5ed2afefa8716.txt'), 'utf8');
  return [
    // HTML
    { name: 'deep.html', bytes: text(deepDivs(200_000)), expect: 'html-too-deep' },
    { name: 'deep-font.html', bytes: text(`<html><body>${'<font color=red>'.repeat(100_000)}x`), expect: 'html-too-deep' },
    { name: 'deep-tables.html', bytes: text(`<html><body>${'<table><tr><td>'.repeat(50_000)}x`), expect: 'html-too-deep' },
    {
      name: 'deep-wide.html',
      bytes: text(`<html><body>${'<div>'.repeat(3000)}${'<div>x</div>'.repeat(300_000)}`),
      expect: 'html-too-complex',
    },
    {
      name: 'end-tag-flood.html',
      bytes: text(`<html><body>${'<div>'.repeat(3000)}${'</li>'.repeat(1_500_000)}`),
      expect: 'html-too-complex',
    },
    { name: 'node-flood.html', bytes: text(`<html><body>${'<b>x</b>'.repeat(1_000_000)}`), expect: 'html-too-many-nodes' },
    {
      name: 'reopened-formatting.html',
      bytes: text(`<html><body><p>${Array.from({ length: 1000 }, (_, i) => `<b c=${i}>`).join('')}x</p>${'<p>y</p>'.repeat(50_000)}`),
      expect: 'html-too-many-nodes',
    },
    {
      name: 'attributes.html',
      bytes: text(`<html><body><div ${Array.from({ length: 300_000 }, (_, i) => `a${i}`).join(' ')}>x</div>`),
      expect: 'html-too-complex',
    },
    {
      name: 'huge-attribute.html',
      bytes: text(`<html><body><div title="${'A'.repeat(30_000_000)}">本年新收</div></body></html>`),
      // Read through, without an error; one word of the form is no report (README "Reports and other documents").
      expect: 'read',
    },
    {
      name: 'span-bomb.html',
      bytes: text(
        `<html><body><table><tr>${'<td colspan=1000 rowspan=65534>x</td>'.repeat(1000)}</tr>${'<tr><td>1</td></tr>'.repeat(20_000)}</table>`,
      ),
      expect: 'html-table-too-large',
    },
    {
      name: 'long-paragraph.html',
      bytes: text(`<html><body><p>${'数'.repeat(2_500_000)}</p></body></html>`),
      expect: 'text-line-too-long',
    },
    { name: 'markup-flood.html', bytes: text(`<html><body>${'<i></i>'.repeat(2_000_000)}</body></html>`), expect: 'html-too-large' },
    {
      name: 'unclosed-svg.html',
      bytes: text(`<html><body>${'<svg>'.repeat(200_000)}<p>本年新收政府信息公开申请数量 12</p>`),
      expect: 'read',
    },
    // Text
    { name: 'one-line.txt', bytes: text('规范性文件 12 '.repeat(1_000_000)), expect: 'text-line-too-long' },
    { name: 'newlines.txt', bytes: text('\n'.repeat(20_000_000) + '正文'), expect: 'text-too-many-lines' },
    { name: 'nul-flood.txt', bytes: () => new Uint8Array(10_000_000), expect: 'binary-content' },
    { name: 'utf16-no-bom.txt', bytes: () => new Uint8Array(Buffer.from(seedTxt, 'utf16le')), expect: 'report' },
    { name: 'utf16be-no-bom.txt', bytes: () => new Uint8Array(Buffer.from(seedTxt, 'utf16le').swap16()), expect: 'report' },
    // DOCX and zips
    { name: 'bomb.docx', bytes: zipBomb, expect: 'docx-zip-bomb' },
    {
      name: 'lying-bomb.docx',
      bytes: () =>
        rawZip([
          { name: '[Content_Types].xml', data: strToU8(CONTENT_TYPES), method: 0, size: CONTENT_TYPES.length },
          { name: 'word/document.xml', data: zeroDeflate(600), method: 8, size: 4096 },
        ]),
      expect: 'docx-zip-bomb',
    },
    {
      name: 'overlapping.docx',
      bytes: () => {
        const data = zeroDeflate(60);
        const parts: RawEntry[] = [{ name: 'word/document.xml', data, method: 8, size: 60 * 1024 * 1024 }];
        for (const n of ['word/styles.xml', 'word/numbering.xml', 'docProps/core.xml', '_rels/.rels'])
          parts.push({ name: n, data, method: 8, size: 0, offsetOf: 0 });
        return rawZip(parts);
      },
      expect: 'docx-zip-bomb',
    },
    {
      name: 'entries.docx',
      bytes: () =>
        zipSync({
          'word/document.xml': strToU8(documentXml(para('x'))),
          ...Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`junk/${i}.xml`, new Uint8Array(0)])),
        }),
      expect: 'docx-too-many-entries',
    },
    {
      name: 'deep-xml.docx',
      bytes: () => docx(documentXml(`${'<w:sdt><w:sdtContent>'.repeat(100_000)}${para('x')}`)),
      expect: 'docx-xml-too-deep',
    },
    {
      name: 'billion-laughs.docx',
      bytes: () =>
        docx(
          `<?xml version="1.0"?><!-- ${'pad '.repeat(5000)} --><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 9 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`).join('')}]><w:document xmlns:w="${W}"><w:body>${para('&j;')}</w:body></w:document>`,
        ),
      expect: 'docx-xml-dtd',
    },
    {
      // 20 MB of ordinary paragraphs (about 4:1 compressed): one part over the part limit, not a bomb.
      name: 'big-part.docx',
      bytes: () =>
        docx(
          documentXml(
            Array.from({ length: 7000 }, (_, i) =>
              para(Array.from({ length: 900 }, (_, j) => String.fromCharCode(0x4e00 + ((i * 7919 + j * 104729) % 20000))).join('')),
            ).join(''),
          ),
        ),
      expect: 'docx-part-too-large',
    },
    {
      name: 'grid-span.docx',
      bytes: () =>
        docx(documentXml(`<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2000000000"/></w:tcPr>${para('x')}</w:tc></w:tr></w:tbl>`)),
      expect: 'docx-table-too-large',
    },
    {
      // Unclosed formatting elements (distinct, so the part does not compress like a bomb): nesting, not a bomb.
      name: 'unclosed-rpr.docx',
      bytes: () =>
        docx(
          documentXml(
            `${Array.from({ length: 300_000 }, (_, i) => `<w:rPr w:id="${(i * 2654435761) % 4294967296}">`).join('')}${para('本年新收 12')}`,
          ),
        ),
      expect: 'docx-xml-too-deep',
    },
    {
      name: 'spreadsheet.docx',
      bytes: () => zipSync({ '[Content_Types].xml': strToU8(CONTENT_TYPES), 'xl/workbook.xml': strToU8('<workbook/>') }),
      expect: 'unsupported-format',
    },
    {
      name: 'report.ofd',
      bytes: () => zipSync({ 'OFD.xml': strToU8('<ofd:OFD/>'), 'Doc_0/Document.xml': strToU8('<ofd:Document/>') }),
      expect: 'unsupported-format',
    },
    // PDF
    { name: 'pages.pdf', bytes: () => manyPages(100_000), expect: 'pdf-too-many-pages' },
    { name: 'operators.pdf', bytes: () => onePage(PDF_TEXT + '0 0 m 1 1 l S\n'.repeat(3_000_000)), expect: 'pdf-too-many-operators' },
    { name: 'nested-q.pdf', bytes: () => onePage(PDF_TEXT + 'q '.repeat(2_000_000)), expect: 'pdf-too-deep' },
    {
      name: 'stream-bomb.pdf',
      bytes: () => onePage(new Uint8Array(Buffer.concat([Buffer.from(PDF_TEXT), Buffer.alloc(400_000_000, 0x20)]))),
      expect: 'pdf-stream-too-large',
    },
    {
      name: 'page-tree-loop.pdf',
      bytes: () => buildPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [2 0 R] /Count 1 >>']),
      expect: 'pdf-corrupt',
    },
    // Read through (a page of text: "2023 annual report 12"), but no report: no title, section or table of one.
    { name: 'xref-loop.pdf', bytes: xrefLoop, expect: 'read' },
    { name: 'deep-array.pdf', bytes: () => onePage(PDF_TEXT + '['.repeat(500_000)), expect: 'read' },
    // Good reports beside them
    { name: 'good.txt', bytes: good('corpus/000_97b5ed2afefa8716.txt'), expect: 'report' },
    { name: 'good.html', bytes: good('corpus/shanghai_office_2019.html'), expect: 'report' },
    { name: 'good.docx', bytes: good('test/fixtures/docx/form2021-filled.docx'), expect: 'report' },
  ];
}

/** The batch of issue 12: deep.html, a damaged .docx, a zip bomb and three good reports. */
export function issueBatch(root: string): HostileFile[] {
  const read = (rel: string) => new Uint8Array(readFileSync(join(root, rel)));
  return [
    { name: 'deep.html', bytes: text(deepDivs(200_000)), expect: 'html-too-deep' },
    { name: 'damaged.docx', bytes: () => damagedDocx(read('test/fixtures/docx/form2021-filled.docx')), expect: 'docx-corrupt' },
    { name: 'bomb.docx', bytes: zipBomb, expect: 'docx-zip-bomb' },
    ...goodReports(root),
  ];
}

/** The three good reports of the batch (the bench's baseline). */
export function goodReports(root: string): HostileFile[] {
  const read = (rel: string) => () => new Uint8Array(readFileSync(join(root, rel)));
  return [
    { name: 'good.txt', bytes: read('corpus/000_97b5ed2afefa8716.txt'), expect: 'report' },
    { name: 'good.html', bytes: read('corpus/shanghai_office_2019.html'), expect: 'report' },
    { name: 'good.pdf', bytes: read('corpus/hzq2023_working.pdf'), expect: 'report' },
  ];
}
