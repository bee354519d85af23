/**
 * Plain-text renderings of a synthetic report: the shapes that web copies,
 * PDF converters and crawlers leave behind.
 */
import { fileBase } from './names.js';
import { narrative, type Narrative } from './narrative.js';
import { createRng } from './prng.js';
import { Labeler, slotRows, t2Official, t3Table, t4Table, visualRows, type GridCell, type GridTable } from './tables.js';
import type { RenderedFile, SynthReport, TextLayout } from './types.js';
import { reportSeed } from './values.js';

/** A printed line break inside a cell, flattened: a vertical label (one character per line) closes up, others get a space. */
export function flatText(text: string): string {
  const parts = text.split('\n');
  return parts.every((p) => [...p].length <= 1) ? parts.join('') : parts.join(' ');
}

function officialTables(r: SynthReport): GridTable[] {
  const L = new Labeler(r);
  return [t2Official(r, L), t3Table(r, L), t4Table(r, L)];
}

/** Section index (0-based) → the table printed in it. */
const TABLE_SECTION: Record<number, number> = { 1: 0, 2: 1, 3: 2 };

function walk(
  n: Narrative,
  tables: GridTable[],
  emit: { heading(h: string, i: number): void; paragraph(p: string): void; table(t: GridTable): void },
): void {
  n.sections.forEach((s, i) => {
    emit.heading(s.heading, i);
    s.paragraphs.forEach((p) => emit.paragraph(p));
    const ti = TABLE_SECTION[i];
    if (ti !== undefined) emit.table(tables[ti]);
  });
}

// ---- cells-per-line: the shape of 000_97b5ed2afefa8716.txt ----

function cellsPerLine(r: SynthReport): string {
  const n = narrative(r);
  const out: string[] = [n.title.slice(0, -4), '', n.title.slice(-4), '', ...n.preamble];
  walk(n, officialTables(r), {
    // That copy lost the list numbering of the two headings right before Tables 3 and 4.
    heading: (h, i) => out.push(i === 2 || i === 3 ? h.slice(2) : h),
    paragraph: (p) => out.push(p),
    table: (t) => {
      const rows = visualRows(t).map((row) => row.map((c) => `\t${c ? flatText(c.text) : ''}`).join('\n'));
      out.push(rows.join('\n\n'), '', '');
    },
  });
  return out.join('\n') + '\n';
}

// ---- tabs: one row per line, cells separated by tabs ----

function tabs(r: SynthReport): string {
  const n = narrative(r);
  const out: string[] = [n.title, ...n.preamble];
  walk(n, officialTables(r), {
    heading: (h) => out.push(h),
    paragraph: (p) => out.push(p),
    table: (t) => {
      out.push(...visualRows(t).map((row) => row.map((c) => (c ? flatText(c.text) : '')).join('\t')), '');
    },
  });
  return out.join('\n') + '\n';
}

// ---- spaces: aligned columns like `pdftotext -layout` ----

/** Display width: CJK and full-width characters take two columns. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += (ch.codePointAt(0) ?? 0) >= 0x2e80 ? 2 : 1;
  return w;
}

const padEnd = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - displayWidth(s)));
const padStart = (s: string, w: number): string => ' '.repeat(Math.max(0, w - displayWidth(s))) + s;

/** The mark a blank cell prints as in the spaces layout: a dash keeps the columns countable, and is never mistaken for a 0. */
export const SPACES_BLANK = '—';

function spaces(r: SynthReport): string {
  const n = narrative(r);
  const out: string[] = [`            ${n.title}`, '', ...n.preamble];
  walk(n, officialTables(r), {
    heading: (h) => out.push('', h),
    paragraph: (p) => out.push(`    ${p}`),
    table: (t) => {
      const rows = visualRows(t).map((row) => row.filter((c): c is GridCell => c !== null));
      const labelText = (row: GridCell[]): string =>
        row
          .filter((c) => c.role !== 'value')
          .map((c) => flatText(c.text))
          .filter((s) => s !== '')
          .join('  ');
      const values = (row: GridCell[]): string[] =>
        row.filter((c) => c.role === 'value').map((c) => (c.text === '' ? SPACES_BLANK : flatText(c.text)));
      const labelW = Math.max(...rows.map((row) => (row.some((c) => c.role === 'value') ? displayWidth(labelText(row)) : 0))) + 2;
      const valueW = Math.max(6, ...rows.flatMap((row) => values(row).map(displayWidth))) + 2;
      out.push('');
      for (const row of rows) {
        const vals = values(row);
        if (vals.length === 0) out.push(labelText(row));
        else out.push((padEnd(labelText(row), labelW) + vals.map((v) => padStart(v, valueW)).join('')).trimEnd());
      }
      out.push('');
    },
  });
  return out.join('\n') + '\n';
}

// ---- markdown: pipe tables, one column per grid slot ----

function markdown(r: SynthReport): string {
  const n = narrative(r);
  const out: string[] = [`# ${n.title}`, '', ...n.preamble.flatMap((p) => [p, ''])];
  walk(n, officialTables(r), {
    heading: (h) => out.push(`## ${h}`, ''),
    paragraph: (p) => out.push(p, ''),
    table: (t) => {
      const rows = slotRows(t).map((row) => `| ${row.map((c) => (c ? flatText(c.text).replace(/\|/g, '\\|') : '')).join(' | ')} |`);
      out.push(rows[0], `|${'---|'.repeat(t.width)}`, ...rows.slice(1), '');
    },
  });
  return out.join('\n') + '\n';
}

export function renderText(r: SynthReport, layout: TextLayout): RenderedFile {
  const name = `${fileBase(r, layout)}.${layout === 'markdown' ? 'md' : 'txt'}`;
  const text = layout === 'cells-per-line' ? cellsPerLine(r) : layout === 'tabs' ? tabs(r) : layout === 'spaces' ? spaces(r) : markdown(r);
  return { bytes: new TextEncoder().encode(text), name };
}

// ---- run-together: the crawler page.txt shape ----

/**
 * The whole report on one line after a crawler's header, with table cells run
 * together into digit runs ("规范性文件7777166"), as in
 * corpus/pingtan_2020_80595_page.txt. Blank cells vanish; a few cells keep a
 * space before them. Only the identities can split such runs, so a careful
 * reader reports these values with low confidence or not at all.
 */
export function renderRunTogether(r: SynthReport): RenderedFile {
  const n = narrative(r);
  const rng = createRng(reportSeed(r)).fork(51);
  const parts: string[] = [`${n.title} ${n.preamble.join('')}`];
  walk(n, officialTables(r), {
    heading: (h) => parts.push(h),
    paragraph: (p) => parts.push(p),
    table: (t) => {
      const cells = visualRows(t).flatMap((row) => row.filter((c): c is GridCell => c !== null && c.text !== ''));
      parts.push(
        cells.map((c) => (rng.chance(0.15) ? ' ' : '') + flatText(c.text).replace(/ /g, '')).join('') + (rng.chance(0.5) ? ' ' : ''),
      );
    },
  });
  const id = rng.int(10000, 99999);
  const month = String(rng.int(1, 3)).padStart(2, '0');
  const day = String(rng.int(10, 28));
  const header = [
    `标题: ${n.title}`,
    `发布时间: ${r.year + 1}-${month}-${day} 08:58`,
    '文号: ',
    '发布机构: ',
    '栏目: 政府信息公开年报',
    `原文链接: https://www.example.gov.cn/zwgk/zfxxgk/zfxxgknb/${r.year + 1}${month}/t${r.year + 1}${month}${day}_${id}.htm`,
    `本地目录: zwgk/zfxxgk/zfxxgknb/${r.year + 1}${month}/${id}_${n.title}`,
    '页面链接与图片详见 links.tsv(同目录)',
    '==================== 正文 ====================',
  ];
  return { bytes: new TextEncoder().encode(`${header.join('\n')}\n${parts.join('')}`), name: `${fileBase(r, 'run-together')}_page.txt` };
}
