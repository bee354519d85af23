/**
 * Which rows belong to tables 2, 3 and 4. Tables are found by their heading
 * and header text, never by their position: reports reorder and renumber
 * sections (the 上海市科委 report prints its tables last as 一/二/三), and
 * converters scatter a table over several blocks.
 */
import { labelCore } from './normalize.js';
import type { LogicalRow } from './rows.js';

export type SectionId = 't2' | 't3' | 't4';

/** Headings are short; a preamble that lists every section title is not a heading. */
const MAX_HEADING = 40;

function headingSection(core: string): SectionId | 'end' | undefined {
  if (core.length > MAX_HEADING) return undefined;
  if (/收到和处理政府信息公开申请/.test(core)) return 't3';
  if (/主动公开政府信息情况|主动公开政府信息$/.test(core)) return 't2';
  if (/行政复议.{0,6}行政诉讼/.test(core)) return 't4';
  if (/存在的主要问题|改进情况|其他需要报告的事项/.test(core)) return 'end';
  return undefined;
}

/** Header text inside a table that tells which table it is. */
function headerSection(core: string): SectionId | undefined {
  if (/第二十条第|^信息内容/.test(core)) return 't2';
  if (/本年新收|申请人情况|勾稽关系/.test(core)) return 't3';
  if (/结果维持|未经复议直接起诉|复议后起诉/.test(core)) return 't4';
  return undefined;
}

export type Sections = Record<SectionId, LogicalRow[]>;

export function splitSections(rows: LogicalRow[]): Sections {
  const out: Sections = { t2: [], t3: [], t4: [] };
  let state: SectionId | undefined;
  for (const row of rows) {
    const core = labelCore(row.text);
    const heading = row.headingLike ? headingSection(core) : undefined;
    if (heading) {
      state = heading === 'end' ? undefined : heading;
      // A heading row carries no values, but a single-cell table title row may start the table.
      if (row.kind === 'text') continue;
    } else if (row.kind === 'table') {
      const h = headerSection(core);
      if (h) state = h;
    }
    if (state) out[state].push(row);
  }
  return out;
}
