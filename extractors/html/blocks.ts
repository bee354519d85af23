/**
 * The chosen body → ordered blocks.
 *
 * - h1–h6 are headings (with level); nothing else is promoted, so a section
 *   title in <p><strong> stays a paragraph and mapping matches it by text.
 * - Paragraphs: each <p>, <li>, …, and each run of loose text inside a <div>
 *   or layout cell. Every <br> ends a paragraph, as do block boundaries and
 *   Word's <o:p> marks, so a paragraph is always one line.
 * - Data tables become TableBlocks (tables.ts); layout tables are walked
 *   through like <div>s, their cells in row order.
 */
import type { Block, Message, TextBlock } from '../../src/model.js';
import { type HElement, type HNode, type HParent, HEADING_TAGS, isBlock, isElement, SKIP_TAGS } from './dom.js';
import { buildTable, captionText, isLayoutTable, tableRows } from './tables.js';
import { LineBuilder } from './text.js';
import { DEFAULT_LIMITS, type Limits } from '../../src/contract/limits.js';
import { type Heading, inlineText } from './title.js';

type Frame = HNode | { exit: HElement };

export interface BlocksResult {
  blocks: Block[];
  warnings: Message[];
  /** The article's pictures in reading order, each with the block position it stands at. */
  pictures: { el: HElement; at: number }[];
}

export function toBlocks(body: HParent, prepend?: Heading, limits: Limits = DEFAULT_LIMITS): BlocksResult {
  const blocks: Block[] = [];
  const warnings: Message[] = [];
  const pictures: BlocksResult['pictures'] = [];
  let tableIndex = 0;
  let lb = new LineBuilder();
  const owners: string[] = [isElement(body) ? body.name : 'root'];

  const pushText = (kind: 'heading' | 'paragraph', text: string, method: string, level?: number): void => {
    const b: TextBlock = { kind, text, source: { block: blocks.length }, method };
    if (level !== undefined) b.level = level;
    blocks.push(b);
  };
  const flush = (): void => {
    const method = `html-${owners[owners.length - 1]}`;
    for (const line of lb.finish()) pushText('paragraph', line, method);
    lb = new LineBuilder();
  };

  if (prepend) pushText('heading', prepend.text, 'html-title', prepend.level);

  const stack: Frame[] = [...body.children].reverse();
  while (stack.length) {
    const f = stack.pop()!;
    if ('exit' in f) {
      flush();
      owners.pop();
      continue;
    }
    if (f.type === 'text') {
      lb.text(f.data ?? '');
      continue;
    }
    if (isElement(f) && f.name === 'img') {
      flush();
      pictures.push({ el: f, at: blocks.length });
      continue;
    }
    if (!isElement(f) || SKIP_TAGS.has(f.name)) continue;
    const el = f;
    if (el.name === 'br') {
      flush();
      continue;
    }
    if (HEADING_TAGS.has(el.name)) {
      flush();
      const text = inlineText(el);
      if (text) pushText('heading', text, `html-${el.name}`, Number(el.name[1]));
      continue;
    }
    if (el.name === 'table' && !isLayoutTable(el)) {
      flush();
      const caption = captionText(el);
      if (caption) pushText('paragraph', caption, 'html-caption');
      const built = buildTable(el, tableIndex, limits);
      if (built) {
        blocks.push(built.block);
        tableIndex++;
        if (built.clamped) {
          warnings.push({
            code: 'table-span-clamped',
            message: `table ${built.block.index}: ${built.clamped} rowspan/colspan value(s) overlapped other cells or ran past the table and were cut`,
          });
        }
        if (built.damaged) {
          const first = built.block.cells.find((c) => c.damaged)!;
          warnings.push({
            code: 'html-markup-damaged',
            message: `table ${built.block.index}: the markup of ${built.damaged} cell(s) is broken the way damaged bytes break it (NUL bytes, quotes inside tag names, cut tags); their text, and the cells after them in their rows, may come from other rows`,
            place: { table: built.block.index, row: first.row },
          });
        }
      }
      continue;
    }
    if (el.name === 'table') {
      // Layout table: its cells are containers, in rendering row order.
      flush();
      const { rows } = tableRows(el);
      const cells = rows.flatMap((tr) => tr.children.filter((c): c is HElement => isElement(c) && (c.name === 'td' || c.name === 'th')));
      // Each cell is then handled as a block container (td/th are block tags).
      for (let i = cells.length - 1; i >= 0; i--) stack.push(cells[i]);
      continue;
    }
    if (isBlock(el) || el.name === 'o:p') {
      flush();
      owners.push(el.name === 'o:p' ? owners[owners.length - 1] : el.name);
      stack.push({ exit: el });
      for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]);
      continue;
    }
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]);
  }
  flush();
  return { blocks, warnings, pictures };
}
