/**
 * The evidence a finding shows on the review site, drawn from the documents
 * themselves (their kept bytes), per side (this report, the other report):
 *
 * - PDF with a text layer: the band of the page around the cells, redrawn as
 *   SVG from the page's own glyphs and lines (extractors/pdf/debug.ts);
 * - scanned PDF pages (cells read by OCR): the page image around the cells,
 *   rendered by pdftoppm (poppler-utils) as PNG;
 * - HTML, Word and text tables: the fragment of the table (the rows around the
 *   cells, with their printed text and spans) from the document model;
 * - cells recovered from run-together text: the text around them;
 * - text-vs-table: the sentence, its number marked (from the finding itself).
 *
 * When the bytes were not kept or cannot be drawn, a note says why; the
 * cell's location stays listed either way.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderPageRegionsSvg, type PageMark } from '../../extractors/pdf/debug.js';
import { findTool, runTool } from '../../extractors/ocr/tesseract.js';
import type { FieldSource } from '../contract/document.js';
import { getExtractor } from '../extract/registry.js';
import type { Block, DocumentModel, Format, TableBlock } from '../model.js';
import type { FindingRow, LocatedCell } from '../store/store.js';
import { describeSource } from './locate.js';

export type Side = 'this' | 'other';

export interface FragmentCell {
  /** Text as printed. */
  t: string;
  cs?: number;
  rs?: number;
  /** Keys of the finding printed in this cell. */
  hit?: string[];
}

export type EvidenceItem =
  | { kind: 'svg'; side: Side; caption: string; svg: string }
  | { kind: 'img'; side: Side; caption: string; src: string }
  | { kind: 'table'; side: Side; caption: string; rows: (FragmentCell | null)[][]; gapBefore?: boolean }
  | { kind: 'text'; side: Side; caption: string; text: string; marks: [number, number][] }
  | { kind: 'note'; side: Side; caption: string; text: string };

/** What the builder knows about a report's document. */
export interface EvidenceDocument {
  reportId: number;
  documentId: number;
  sha256: string;
  format: Format | null;
  name: string;
  /** "洪泽区人民政府 2023" */
  label: string;
}

export interface EvidenceSources {
  document(reportId: number): EvidenceDocument | undefined;
  bytes(documentId: number): Promise<Uint8Array | undefined>;
}

const MAX_GROUPS_PER_SIDE = 3;
const MAX_CELLS = 24;
const FRAGMENT_CONTEXT = 2;
const MAX_FRAGMENT_ROWS = 32;
const BAND = 34;
/** More room above: the column headers of the rows. */
const BAND_ABOVE = 64;
const SCAN_DPI = 110;

/** Re-reads documents into models (for table fragments), a few at a time. */
class ModelCache {
  private readonly cache = new Map<number, Promise<DocumentModel | undefined>>();
  constructor(private readonly sources: EvidenceSources) {}

  get(doc: EvidenceDocument): Promise<DocumentModel | undefined> {
    let p = this.cache.get(doc.documentId);
    if (!p) {
      p = this.read(doc);
      this.cache.set(doc.documentId, p);
      if (this.cache.size > 24) this.cache.delete(this.cache.keys().next().value as number);
    }
    return p;
  }

  private async read(doc: EvidenceDocument): Promise<DocumentModel | undefined> {
    const bytes = await this.sources.bytes(doc.documentId);
    if (!bytes || !doc.format || doc.format === 'pdf') return undefined;
    try {
      const extractor = await getExtractor(doc.format);
      return await extractor.extract({ bytes, name: doc.name }, {});
    } catch {
      return undefined;
    }
  }
}

export class EvidenceBuilder {
  private readonly models: ModelCache;
  private readonly pdftoppm = findTool('pdftoppm', 'OGI_PDFTOPPM');
  private images = 0;

  constructor(
    private readonly sources: EvidenceSources,
    /** The site folder (scanned crops are written under ev/). */
    private readonly outDir: string,
    /** Names this builder's crops apart from other builders' writing into the same folder. */
    private readonly prefix = '',
  ) {
    this.models = new ModelCache(sources);
  }

  /** Every evidence item of one finding, this report's side first. */
  async build(f: FindingRow): Promise<EvidenceItem[]> {
    const items: EvidenceItem[] = [];
    const t = f.evidence?.text;
    if (t) {
      const start = t.chars[0];
      items.push({
        kind: 'text',
        side: 'this',
        caption: `The sentence (block ${t.block}, characters ${t.chars[0]}–${t.chars[1]}${t.page !== undefined ? `, page ${t.page}` : ''}${t.line !== undefined ? `, line ${t.line}` : ''})`,
        text: t.sentence,
        marks: [[t.number[0] - start, t.number[1] - start]],
      });
    }
    for (const side of ['this', 'other'] as const) {
      const cells = f.cells.filter((c) => c.report === side).slice(0, MAX_CELLS);
      if (!cells.length) continue;
      const doc = this.sources.document(cells[0].reportId);
      if (!doc) continue;
      items.push(...(await this.cellsEvidence(side, doc, cells)));
    }
    return items;
  }

  private caption(side: Side, doc: EvidenceDocument, where: string): string {
    return `${side === 'this' ? 'This report' : `Other report (${doc.label})`}: ${where}`;
  }

  private async cellsEvidence(side: Side, doc: EvidenceDocument, cells: LocatedCell[]): Promise<EvidenceItem[]> {
    const groups = new Map<string, LocatedCell[]>();
    for (const c of cells) {
      const s = c.source;
      const g =
        s.page !== undefined && s.bbox
          ? `p${s.page}${s.method.startsWith('ocr') ? ':scan' : ''}`
          : s.table !== undefined
            ? `t${s.table}`
            : s.block !== undefined && s.chars
              ? `b${s.block}`
              : 'other';
      const list = groups.get(g) ?? [];
      list.push(c);
      groups.set(g, list);
    }
    const out: EvidenceItem[] = [];
    const bytes = await this.sources.bytes(doc.documentId);
    if (!bytes) {
      return [
        {
          kind: 'note',
          side,
          caption: this.caption(side, doc, 'the document'),
          text: 'The document’s bytes were not kept (ingested with --no-keep-bytes): only the cell locations are listed.',
        },
      ];
    }
    const entries = [...groups.entries()].slice(0, MAX_GROUPS_PER_SIDE);
    const pdfWanted = entries.filter(([g]) => g.startsWith('p') && !g.endsWith(':scan'));
    const svgs = pdfWanted.length
      ? await renderPageRegionsSvg(
          bytes,
          pdfWanted.map(([, cs]) => ({ page: cs[0].source.page!, region: band(cs.map((c) => c.source.bbox!)), marks: marks(cs) })),
        ).catch(() => pdfWanted.map(() => undefined))
      : [];
    for (const [g, cs] of entries) {
      const where = describeGroup(cs);
      if (g.startsWith('p') && !g.endsWith(':scan')) {
        const svg = svgs[pdfWanted.findIndex(([k]) => k === g)];
        out.push(
          svg
            ? { kind: 'svg', side, caption: this.caption(side, doc, where), svg }
            : this.unavailable(side, doc, where, 'the page could not be drawn'),
        );
      } else if (g.endsWith(':scan')) {
        out.push(await this.scanCrop(side, doc, bytes, cs, where));
      } else if (g.startsWith('t')) {
        out.push(await this.fragment(side, doc, cs, where));
      } else if (g.startsWith('b')) {
        out.push(await this.blockText(side, doc, cs, where));
      } else {
        out.push(this.unavailable(side, doc, where, 'no printed place is known for these cells'));
      }
    }
    return out;
  }

  private unavailable(side: Side, doc: EvidenceDocument, where: string, why: string): EvidenceItem {
    return { kind: 'note', side, caption: this.caption(side, doc, where), text: `No picture: ${why}.` };
  }

  private async scanCrop(side: Side, doc: EvidenceDocument, bytes: Uint8Array, cs: LocatedCell[], where: string): Promise<EvidenceItem> {
    if (!this.pdftoppm.path)
      return this.unavailable(side, doc, where, `the page image needs pdftoppm (apt-get install poppler-utils): ${this.pdftoppm.reason}`);
    const [x0, y0, x1, y1] = band(cs.map((c) => c.source.bbox!));
    const k = SCAN_DPI / 72;
    const page = cs[0].source.page!;
    const px = (v: number) => String(Math.max(0, Math.round(v * k)));
    try {
      const r = await runTool(
        this.pdftoppm.path,
        [
          '-png',
          '-f',
          String(page),
          '-l',
          String(page),
          '-r',
          String(SCAN_DPI),
          '-x',
          px(x0),
          '-y',
          px(y0),
          '-W',
          px(Math.min(x1, 2000) - x0),
          '-H',
          px(y1 - y0),
          '-',
        ],
        { timeoutMs: 60_000, name: doc.name, input: bytes },
      );
      if (r.code !== 0 || !r.stdout.length) return this.unavailable(side, doc, where, `pdftoppm failed: ${r.stderr.trim().slice(-160)}`);
      const src = `ev/${this.prefix}${doc.sha256.slice(0, 16)}-p${page}-${++this.images}.png`;
      await writeFile(join(this.outDir, src), r.stdout);
      const boxes = cs.map((c) => c.source.bbox!.map((v, i) => Math.round((v - (i % 2 === 0 ? x0 : y0)) * k)));
      return {
        kind: 'img',
        side,
        caption: `${this.caption(side, doc, where)} (scanned page, cells at ${boxes.map((b) => `[${b.join(',')}]`).join(' ')} px)`,
        src,
      };
    } catch (e) {
      return this.unavailable(side, doc, where, (e as Error).message);
    }
  }

  private async fragment(side: Side, doc: EvidenceDocument, cs: LocatedCell[], where: string): Promise<EvidenceItem> {
    const model = await this.models.get(doc);
    const table = model?.blocks.find((b): b is TableBlock => b.kind === 'table' && b.index === cs[0].source.table);
    if (!table) return this.unavailable(side, doc, where, 'the table could not be read again from the kept document');
    const hits = new Map<string, string[]>();
    for (const c of cs) {
      if (c.source.row === undefined || c.source.col === undefined) continue;
      const k = `${c.source.row},${c.source.col}`;
      hits.set(k, [...(hits.get(k) ?? []), c.key]);
    }
    const rowsHit = cs.map((c) => c.source.row).filter((r): r is number => r !== undefined);
    const from = Math.max(0, Math.min(...rowsHit) - FRAGMENT_CONTEXT);
    const to = Math.min(table.nRows - 1, Math.max(...rowsHit) + FRAGMENT_CONTEXT, from + MAX_FRAGMENT_ROWS - 1);
    return { kind: 'table', side, caption: this.caption(side, doc, where), rows: tableRows(table, from, to, hits), gapBefore: from > 0 };
  }

  private async blockText(side: Side, doc: EvidenceDocument, cs: LocatedCell[], where: string): Promise<EvidenceItem> {
    const model = await this.models.get(doc);
    const block = model?.blocks.find((b: Block) => b.kind !== 'table' && b.source.block === cs[0].source.block);
    if (!block || block.kind === 'table')
      return this.unavailable(side, doc, where, 'the text could not be read again from the kept document');
    const spans = cs.map((c) => c.source.chars!).filter(Boolean);
    const a = Math.max(0, Math.min(...spans.map((s) => s[0])) - 80);
    const b = Math.min(block.text.length, Math.max(...spans.map((s) => s[1])) + 80);
    return {
      kind: 'text',
      side,
      caption: this.caption(side, doc, where),
      text: `${a > 0 ? '…' : ''}${block.text.slice(a, b)}${b < block.text.length ? '…' : ''}`,
      marks: spans.map((s) => [s[0] - a + (a > 0 ? 1 : 0), s[1] - a + (a > 0 ? 1 : 0)] as [number, number]),
    };
  }
}

/** The band of the page around some boxes: full width, a little above and below. */
function band(boxes: [number, number, number, number][]): [number, number, number, number] {
  const y0 = Math.min(...boxes.map((b) => b[1]));
  const y1 = Math.max(...boxes.map((b) => b[3]));
  const x1 = Math.max(...boxes.map((b) => b[2]));
  return [0, Math.max(0, y0 - BAND_ABOVE), Math.max(x1 + 60, 595), y1 + BAND];
}

function marks(cs: LocatedCell[]): PageMark[] {
  return cs.map((c) => ({ bbox: c.source.bbox!, label: `${c.key} = ${c.raw || '(blank)'} (confidence ${c.confidence})`, kind: 'hit' }));
}

function describeGroup(cs: LocatedCell[]): string {
  const s: FieldSource = cs[0].source;
  if (s.page !== undefined) return `page ${s.page}`;
  if (s.table !== undefined)
    return `table ${s.table + 1} of the document, rows ${[...new Set(cs.map((c) => (c.source.row ?? 0) + 1))].join(', ')}`;
  return describeSource(s);
}

/** Rows from..to of a table as a grid of origin cells (null where a span covers the slot), spans clipped to the fragment. */
export function tableRows(table: TableBlock, from: number, to: number, hits: Map<string, string[]>): (FragmentCell | null)[][] {
  const rows: (FragmentCell | null)[][] = [];
  const covered = new Set<string>();
  for (const c of table.cells) {
    const r0 = Math.max(c.row, from);
    const r1 = Math.min(c.row + c.rowSpan - 1, to);
    if (r1 < r0) continue;
    for (let r = r0; r <= r1; r++) for (let k = c.col; k < c.col + c.colSpan; k++) if (r !== r0 || k !== c.col) covered.add(`${r},${k}`);
  }
  const byPos = new Map<string, (typeof table.cells)[number]>();
  for (const c of table.cells) {
    const r0 = Math.max(c.row, from);
    if (r0 <= Math.min(c.row + c.rowSpan - 1, to)) byPos.set(`${r0},${c.col}`, c);
  }
  for (let r = from; r <= to; r++) {
    const row: (FragmentCell | null)[] = [];
    for (let k = 0; k < table.nCols; k++) {
      const c = byPos.get(`${r},${k}`);
      if (c) {
        const rs = Math.min(c.row + c.rowSpan - 1, to) - Math.max(c.row, from) + 1;
        const cell: FragmentCell = { t: c.text };
        if (c.colSpan > 1) cell.cs = c.colSpan;
        if (rs > 1) cell.rs = rs;
        const hit = hits.get(`${c.row},${c.col}`);
        if (hit) cell.hit = hit;
        row.push(cell);
      } else row.push(covered.has(`${r},${k}`) ? null : { t: '' });
    }
    rows.push(row);
  }
  return rows;
}
