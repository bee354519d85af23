/**
 * DOCX (Office Open XML) → document model, read straight from the package:
 * our own zip reader (with zip-bomb guards) + fast-xml-parser. Merged table
 * cells come from w:gridSpan / w:vMerge, so spans are exact.
 */
import type { DocumentModel, Message } from '../../src/model.js';
import { ExtractError, type ExtractInput, type ExtractOptions, type Extractor, throwIfAborted } from '../../src/contract/extractor.js';
import { readBody, type BodyPicture } from './body.js';
import { REPORT_TABLE_WORDS } from '../html/stats.js';
import { readPicturesInto, type FoundPicture } from '../ocr/pictures.js';
import { Numbering } from './numbering.js';
import { Styles } from './styles.js';
import { find, kids, parseXml, slimXml, tagOf, textOf, DOCUMENT_KEEP, attr } from './xml.js';
import {
  hasEndRecord,
  inflateBudget,
  isZip,
  readCentralDirectory,
  readEntry,
  zipKind,
  type InflateBudget,
  type ZipEntry,
} from '../zip/reader.js';
import { type Limits, LIMIT_SPECS, limitsOf } from '../../src/contract/limits.js';
import { checkLineLengths } from '../../src/text/limits.js';

/** Codes that mean a budget was spent: never swallowed as an unreadable optional part. */
const BUDGET_CODES = new Set([...LIMIT_SPECS.flatMap((s) => s.codes), 'docx-xml-dtd']);

const notDocx = (msg: string) => new ExtractError('docx-not-docx', msg);

/** What a non-zip input probably is, for the error message. */
function describe(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 512));
  if (head.length === 0) return 'an empty file';
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0)
    return 'an OLE2 file (Word 97-2003 .doc, or an encrypted Office file)';
  const text = head.toString('latin1');
  if (text.includes('%PDF-')) return 'a PDF';
  if (text.startsWith('{\\rtf')) return 'an RTF document';
  if (/<(!doctype\s+html|html|head|body|table|div|p)[\s>]/i.test(text)) return 'an HTML page';
  return 'not a zip package';
}

class Package {
  private readonly entries = new Map<string, ZipEntry>();

  constructor(
    private readonly bytes: Uint8Array,
    private readonly budget: InflateBudget,
  ) {
    for (const e of readCentralDirectory(bytes, budget.limits)) this.entries.set(e.name.replace(/\\/g, '/').replace(/^\//, ''), e);
  }

  has(path: string): boolean {
    return this.entries.has(path);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  text(path: string): string | undefined {
    const e = this.entries.get(path);
    if (!e) return undefined;
    return decodePart(readEntry(this.bytes, e, this.budget));
  }

  /** A part's raw bytes (pictures). */
  raw(path: string): Uint8Array | undefined {
    const e = this.entries.get(path);
    return e ? readEntry(this.bytes, e, this.budget) : undefined;
  }

  /** Targets of a part's relationships by type suffix ('officeDocument', 'styles', …), resolved to package paths. */
  relationships(relsPath: string, baseDir: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const r of this.relationList(relsPath, baseDir)) if (r.type && !out.has(r.type)) out.set(r.type, r.target);
    return out;
  }

  /** Targets of a part's relationships by id (r:embed of a picture), resolved to package paths. */
  relationshipIds(relsPath: string, baseDir: string): Map<string, string> {
    return new Map(this.relationList(relsPath, baseDir).map((r) => [r.id, r.target]));
  }

  private relationList(relsPath: string, baseDir: string): { id: string; type: string; target: string }[] {
    const xml = this.text(relsPath);
    if (!xml) return [];
    const root = parseXml(xml, relsPath, this.budget.limits).find((n) => tagOf(n) === 'Relationships');
    const out: { id: string; type: string; target: string }[] = [];
    for (const r of root ? kids(root) : []) {
      if (tagOf(r) !== 'Relationship' || attr(r, 'TargetMode') === 'External') continue;
      const target = attr(r, 'Target');
      if (target)
        out.push({ id: attr(r, 'Id') ?? '', type: (attr(r, 'Type') ?? '').split('/').pop() ?? '', target: resolvePath(baseDir, target) });
    }
    return out;
  }
}

function resolvePath(baseDir: string, target: string): string {
  const parts = target.startsWith('/') ? [] : baseDir.split('/').filter(Boolean);
  for (const seg of target.split('/')) {
    if (!seg || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}

/** OOXML parts are UTF-8, or UTF-16 with a BOM. */
function decodePart(b: Uint8Array): string {
  if (b[0] === 0xff && b[1] === 0xfe) return new TextDecoder('utf-16le').decode(b.subarray(2));
  if (b[0] === 0xfe && b[1] === 0xff) return new TextDecoder('utf-16be').decode(b.subarray(2));
  const start = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  return Buffer.from(b.buffer, b.byteOffset + start, b.length - start).toString('utf8');
}

/** Optional parts (styles, numbering) that fail to parse cost formatting, not the document. */
function optional<T>(warnings: Message[], part: string, read: () => T, fallback: T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof ExtractError && BUDGET_CODES.has(e.code)) throw e;
    warnings.push({ code: 'docx-part-unreadable', message: `${part} ignored: ${(e as Error).message}` });
    return fallback;
  }
}

export async function extractDocx(bytes: Uint8Array, options: ExtractOptions = {}, name = '.docx'): Promise<DocumentModel> {
  throwIfAborted(options.signal, '.docx');
  // A package with damaged first bytes still has its directory at the end: read on, and call the damage corrupt.
  if (!isZip(bytes) && !(bytes.length > 22 && hasEndRecord(bytes))) throw notDocx(`not a DOCX package: the content is ${describe(bytes)}`);
  const limits = limitsOf(options);
  const pkg = new Package(bytes, inflateBudget(limits));
  const warnings: Message[] = [];

  const rootRels = optional(warnings, '_rels/.rels', () => pkg.relationships('_rels/.rels', ''), new Map<string, string>());
  let main = rootRels.get('officeDocument');
  if (!main || !pkg.has(main)) main = pkg.has('word/document.xml') ? 'word/document.xml' : undefined;
  if (!main) throw notDocx(`no word/document.xml: the package is ${zipKind(pkg.names()).what}`);
  const dir = main.includes('/') ? main.slice(0, main.lastIndexOf('/')) : '';
  const relsPath = `${dir ? dir + '/' : ''}_rels/${main.slice(dir ? dir.length + 1 : 0)}.rels`;
  const docRels = optional(warnings, relsPath, () => pkg.relationships(relsPath, dir), new Map<string, string>());
  const relIds = optional(warnings, relsPath, () => pkg.relationshipIds(relsPath, dir), new Map<string, string>());
  const partPath = (type: string, fallback: string) => docRels.get(type) ?? `${dir ? dir + '/' : ''}${fallback}`;

  const styles = optional(warnings, 'styles', () => new Styles(pkg.text(partPath('styles', 'styles.xml')), limits), new Styles());
  const numbering = optional(
    warnings,
    'numbering',
    () => new Numbering(pkg.text(partPath('numbering', 'numbering.xml')), limits),
    new Numbering(),
  );
  const title = optional(
    warnings,
    'docProps/core.xml',
    () => coreTitle(pkg.text(rootRels.get('core-properties') ?? 'docProps/core.xml'), limits),
    undefined,
  );

  const xml = pkg.text(main)!;
  throwIfAborted(options.signal, '.docx');
  // The parser is lenient with unclosed elements, so a cut-off part would pass silently.
  if (!/<\/w:document>\s*$/.test(xml.slice(-200))) {
    warnings.push({ code: 'docx-truncated-xml', message: `${main} ends before </w:document>: text after the cut is missing` });
  }
  const root = parseXml(slimXml(xml, DOCUMENT_KEEP), main, limits).find((n) => tagOf(n) === 'w:document');
  if (!root) throw notDocx(`${main} is not a WordprocessingML document`);
  const body = kids(root).find((n) => tagOf(n) === 'w:body');
  const read = body ? readBody(body, { styles, numbering, limits }) : { blocks: [], pictures: [] };
  let blocks = read.blocks;
  checkLineLengths(blocks, limits);
  if (!body) warnings.push({ code: 'docx-no-body', message: `${main} has no w:body` });

  // Tables pasted as pictures: no table of the form in the text, pictures instead. Read like scanned pages.
  let ocr = false;
  const hasFormTable = blocks.some((b) => b.kind === 'table' && REPORT_TABLE_WORDS.test(b.cells.map((c) => c.text).join(' ')));
  const pictures = hasFormTable ? [] : bodyPictures(read.pictures, relIds);
  if (pictures.length) {
    const text = blocks.map((b) => (b.kind === 'table' ? '' : b.text)).join('');
    const r = await readPicturesInto(
      blocks,
      pictures,
      (ref) => optional(warnings, ref, () => pkg.raw(ref), undefined),
      options,
      {
        name,
        wantText: !/报告/.test(title ?? '') && !blocks.some((b) => b.kind !== 'table' && /报告/.test(b.text)),
        required: text.length < 200,
      },
      warnings,
    );
    blocks = r.blocks;
    ocr = r.read;
  }

  return {
    format: 'docx',
    meta: { ...(title ? { title } : {}), extractor: ocr ? 'docx:ocr' : 'docx', warnings },
    blocks,
  };
}

/** Body pictures printed at least an inch wide, by package path, each once. */
function bodyPictures(found: BodyPicture[], rels: Map<string, string>): FoundPicture[] {
  const out: FoundPicture[] = [];
  for (const p of found) {
    const ref = rels.get(p.rel);
    if (!ref || out.some((o) => o.ref === ref) || (p.inches !== undefined && p.inches < 1)) continue;
    out.push({ ref, at: p.at, ...(p.inches ? { inches: p.inches } : {}) });
  }
  return out;
}

function coreTitle(xml: string | undefined, limits: Limits): string | undefined {
  if (!xml) return undefined;
  const root = parseXml(xml, 'docProps/core.xml', limits);
  for (const n of root) {
    const t = find(n, 'dc:title');
    if (t) return textOf(t).trim() || undefined;
  }
  return undefined;
}

export const extractor: Extractor = {
  format: 'docx',
  extract(input: ExtractInput, options: ExtractOptions): Promise<DocumentModel> {
    return extractDocx(input.bytes, options, input.name);
  },
};
