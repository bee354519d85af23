import { deflateRawSync, constants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { extractor } from '../../extractors/docx/index.js';
import { CONTENT_TYPES, ROOT_RELS, docx, documentXml, p } from './build.js';
import { loadFixtures } from './fixtures.js';
import { errorCode as codeOf } from '../helpers/errors.js';

const extract = (bytes: Uint8Array, zipInflatedBytes?: number) =>
  extractor.extract({ bytes, name: 'bad.docx' }, zipInflatedBytes ? { limits: { zipInflatedBytes } } : {});

interface RawEntry {
  name: string;
  data: Uint8Array;
  method: 0 | 8;
  /** The uncompressed size the archive declares. */
  size: number;
}

/** Writes a zip by hand so the declared sizes can lie. CRCs are left 0: these parts are refused before any checksum. */
function rawZip(entries: RawEntry[]): Uint8Array {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(e.method, 10);
    cd.writeUInt32LE(e.data.length, 20);
    cd.writeUInt32LE(e.size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    chunks.push(local, name, Buffer.from(e.data));
    central.push(cd, name);
    offset += 30 + name.length + e.data.length;
  }
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...chunks, cdBytes, end]));
}

/**
 * A deflate stream of `mb` MiB of zeros in about 1 KB per MiB: one full-flushed
 * block repeated (a full flush byte-aligns and resets the window), then an
 * empty final stored block.
 */
function zeroBomb(mb: number): Uint8Array {
  const block = deflateRawSync(Buffer.alloc(1024 * 1024), { finishFlush: constants.Z_FULL_FLUSH });
  return new Uint8Array(Buffer.concat([...Array<Buffer>(mb).fill(block), Buffer.from([0x01, 0x00, 0x00, 0xff, 0xff])]));
}

const bombDocx = (data: Uint8Array, size: number) =>
  rawZip([
    { name: '[Content_Types].xml', data: strToU8(CONTENT_TYPES), method: 0, size: CONTENT_TYPES.length },
    { name: 'word/document.xml', data, method: 8, size },
  ]);

describe('docx guards', () => {
  it('refuses a part whose declared size is over the default 100 MB limit, before inflating it', async () => {
    const data = zeroBomb(200);
    expect(data.length).toBeLessThan(400_000);
    const t = Date.now();
    expect(await codeOf(extract(bombDocx(data, 200 * 1024 * 1024)))).toBe('docx-zip-bomb');
    expect(Date.now() - t).toBeLessThan(1000);
  });

  it('stops inflating a part that lies about its size (one-shot and streamed parts)', async () => {
    const small = zeroBomb(200);
    const large = zeroBomb(600);
    expect(small.length).toBeLessThan(256 * 1024);
    expect(large.length).toBeGreaterThan(256 * 1024);
    for (const data of [small, large]) {
      const t = Date.now();
      expect(await codeOf(extract(bombDocx(data, 4096)))).toBe('docx-zip-bomb');
      expect(Date.now() - t).toBeLessThan(3000);
    }
  });

  it('refuses an expansion ratio no document has, even under the size limit', async () => {
    const data = zeroBomb(40);
    expect(await codeOf(extract(bombDocx(data, 40 * 1024 * 1024)))).toBe('docx-zip-bomb');
  });

  it('honours limits.zipInflatedBytes for honest parts', async () => {
    const big = docx(p('x'.repeat(600_000)));
    expect(await codeOf(extract(big, 500_000))).toBe('docx-zip-bomb');
    expect((await extract(big, 2_000_000)).blocks).toHaveLength(1);
  });

  it('reads a large, poorly compressible part through the streamed path intact', async () => {
    let a = 7;
    const rand = () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const text = Array.from({ length: 300_000 }, () => String.fromCharCode(0x4e00 + Math.floor(rand() * 20000))).join('');
    const bytes = zipSync({
      '[Content_Types].xml': strToU8(CONTENT_TYPES),
      'word/document.xml': [strToU8(documentXml(p(text))), { level: 9 }],
    });
    expect(bytes.length).toBeGreaterThan(256 * 1024);
    const model = await extract(bytes);
    expect(model.blocks).toHaveLength(1);
    expect(model.blocks[0]).toMatchObject({ text });
    const cut = bytes.slice();
    const at = Buffer.from(cut).indexOf('word/document.xml') + 100_000;
    for (let i = 0; i < 64; i++) cut[at + i] ^= 0x5a;
    expect(await codeOf(extract(cut))).toBe('docx-corrupt');
  });

  it('reports a damaged zip as docx-corrupt', async () => {
    const junk = new Uint8Array(4096).map((_, i) => (i * 7919) % 251);
    junk.set([0x50, 0x4b, 0x03, 0x04]);
    expect(await codeOf(extract(junk))).toBe('docx-corrupt');
  });

  it('reports a truncated docx as docx-corrupt', async () => {
    const [fx] = loadFixtures('docx', 'docx');
    for (const share of [0.3, 0.6, 0.95, 0.999]) {
      expect(await codeOf(extract(fx.bytes.slice(0, Math.floor(fx.bytes.length * share))))).toBe('docx-corrupt');
    }
  });

  it('reports damaged deflate data inside a part as docx-corrupt', async () => {
    const good = zipSync({
      '[Content_Types].xml': strToU8(CONTENT_TYPES),
      '_rels/.rels': strToU8(ROOT_RELS),
      'word/document.xml': [strToU8(documentXml(p('hello '.repeat(2000)))), { level: 9 }],
    });
    const bad = good.slice();
    const at = Buffer.from(bad).indexOf('word/document.xml') + 'word/document.xml'.length + 10;
    for (let i = 0; i < 40; i++) bad[at + i] ^= 0x5a;
    expect(await codeOf(extract(bad))).toBe('docx-corrupt');
  });

  it('reports a zip that is not a Word document as docx-not-docx', async () => {
    const xlsx = zipSync({ '[Content_Types].xml': strToU8(CONTENT_TYPES), 'xl/workbook.xml': strToU8('<workbook/>') });
    expect(await codeOf(extract(xlsx))).toBe('docx-not-docx');
    await expect(extract(xlsx)).rejects.toThrow(/Excel workbook \(xlsx\)/);
    expect(await codeOf(extract(zipSync({ 'readme.txt': strToU8('hi') })))).toBe('docx-not-docx');
  });

  it('reports other content named .docx as docx-not-docx and says what it is', async () => {
    await expect(extract(strToU8('<!DOCTYPE html><html><body><table></table></body></html>'))).rejects.toThrow(/HTML/);
    const [doc] = loadFixtures('doc', 'doc');
    expect(await codeOf(extract(doc.bytes))).toBe('docx-not-docx');
    await expect(extract(doc.bytes)).rejects.toThrow(/\.doc/);
    expect(await codeOf(extract(new Uint8Array(0)))).toBe('docx-not-docx');
  });

  it('refuses malformed XML and DTDs in the main part, and warns about a cut-off one', async () => {
    const parts = (xml: string) => zipSync({ '[Content_Types].xml': strToU8(CONTENT_TYPES), 'word/document.xml': strToU8(xml) });
    expect(await codeOf(extract(parts('<w:document><w:body><w:p w:rsidR="1></w:body></w:document>')))).toBe('docx-corrupt');
    const cut = documentXml(p('kept') + p('also kept')).replace('<w:sectPr/></w:body></w:document>', '');
    const model = await extract(parts(cut));
    expect(model.blocks.map((b) => (b.kind === 'table' ? '' : b.text))).toEqual(['kept', 'also kept']);
    expect(model.meta.warnings.map((w) => w.code)).toEqual(['docx-truncated-xml']);
    const dtd =
      '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><w:document xmlns:w="x"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>';
    expect(await codeOf(extract(parts(dtd)))).toBe('docx-xml-dtd');
  });

  it('keeps reading when an optional part is broken, with a warning', async () => {
    const bytes = docx(p('body text'), { 'word/styles.xml': '<w:styles><w:style w:styleId="a></w:styles>' });
    const model = await extract(bytes);
    expect(model.blocks.map((b) => (b.kind === 'table' ? '' : b.text))).toEqual(['body text']);
    expect(model.meta.warnings.map((w) => w.code)).toEqual(['docx-part-unreadable']);
  });
});
