/**
 * The fuzzer's oracle for values: no wrong value at confidence ≥ 0.8.
 *
 * The truth for a mutated file is what it prints. The unmutated seed's
 * values (read through the same path) are the truth for every cell the
 * mutation left alone; a mutation can only change what a cell prints by
 * changing the digits there. So a confident value is judged like this:
 *
 * 1. equal to the seed's value for that key (or, for a splice of two files,
 *    to either file's value): right;
 * 2. otherwise it must be a number the mutation created: the mutated file
 *    prints that number more often than the seed (and the spliced-in file)
 *    did. Counting numbers needs the printed text, read independently of
 *    ogi's readers: the decoded bytes (TXT, HTML), the text of every XML
 *    part (DOCX, fflate), pdftotext (PDF, poppler). A number that was
 *    already printed the same number of times was moved from another cell:
 *    that is a confident wrong value, the failure this oracle exists for;
 * 3. a confident blank where the seed had a number must likewise come
 *    with that number printed fewer times (the mutation removed it);
 * 4. when the text cannot be read independently (.doc, pdftotext missing,
 *    a zip fflate cannot open) a changed confident value is counted as
 *    unverified, never silently passed;
 * 5. when the mutation duplicated content (a repeated range or structure, a
 *    splice) the file can print one table twice, one copy broken; which copy
 *    is "the" value is then not decidable from the seed, so a changed value
 *    that is not a created number is counted as unverified too. (ogi takes
 *    the first table 3 it finds at full confidence; a conflicting second
 *    copy is a mapping question, noted in the README.)
 *
 * The printed text of HTML is what the HTML parsing algorithm renders
 * (parse5 through cheerio), not the raw bytes: a digit swallowed into a
 * broken tag is no longer printed.
 *
 * A number is its digits, half- or full-width, with an optional sign and
 * decimal point, separators dropped ("1,234" = "1234").
 */
import { spawnSync } from 'node:child_process';
import * as cheerio from 'cheerio';
import { strFromU8, unzipSync } from 'fflate';
import type { ExtractedDocument } from '../../src/contract/document.js';
import { decodeBytes } from '../../src/text/decode.js';

export type Fields = ExtractedDocument['fields'];

const NUMBER = /[-−]?[0-9０-９](?:[0-9０-９,，]*[0-9０-９])?(?:[.．][0-9０-９]+)?/g;

export function normaliseNumber(s: string): string {
  return s
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[．]/g, '.')
    .replace(/[−]/g, '-')
    .replace(/[,，]/g, '');
}

export function numberCounts(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(NUMBER)) {
    const n = normaliseNumber(m[0]);
    out.set(n, (out.get(n) ?? 0) + 1);
  }
  return out;
}

interface DomNode {
  type: string;
  name?: string;
  data?: string;
  children?: DomNode[];
}

/** Elements a browser breaks lines at: cells and blocks. Inline elements join (`<span>1</span><span>2</span>` prints 12). */
const BREAKS = new Set([
  'td',
  'th',
  'tr',
  'table',
  'p',
  'div',
  'br',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'caption',
  'body',
  'section',
  'article',
]);

/** The text as rendered: cells and blocks on lines of their own, so the numbers of two cells never run together. */
function renderedText(root: DomNode): string {
  const out: string[] = [];
  const stack: (DomNode | '\n')[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n === '\n') {
      out.push('\n');
      continue;
    }
    if (n.type === 'text') out.push(n.data ?? '');
    const breaks = n.name !== undefined && BREAKS.has(n.name);
    if (breaks) out.push('\n');
    if (breaks) stack.push('\n');
    for (let i = (n.children?.length ?? 0) - 1; i >= 0; i--) stack.push(n.children![i]);
  }
  return out.join('');
}

let pdftotext: boolean | undefined;

/** The printed text of a file, read without ogi's readers; undefined when that is not possible. */
export function independentText(bytes: Uint8Array, name: string): string | undefined {
  const ext = name.toLowerCase().match(/\.[a-z]+$/)?.[0] ?? '';
  if (ext === '.pdf') {
    pdftotext ??= spawnSync('pdftotext', ['-v']).status === 0;
    if (!pdftotext) return undefined;
    const r = spawnSync('pdftotext', ['-q', '-', '-'], { input: bytes, maxBuffer: 256 * 1024 * 1024, timeout: 20_000 });
    return r.status === 0 ? r.stdout.toString('utf8') : '';
  }
  if (ext === '.docx') {
    try {
      const files = unzipSync(bytes, { filter: (f) => f.name.endsWith('.xml') && f.originalSize < 64 * 1024 * 1024 });
      return Object.values(files)
        .map((b) => strFromU8(b))
        .join('\n');
    } catch {
      return undefined;
    }
  }
  if (ext === '.doc') return undefined;
  const text = decodeBytes(bytes).text;
  // HTML prints what the HTML parsing algorithm renders, not its raw bytes: a digit swallowed into a
  // broken tag is no longer printed. parse5 (through cheerio) is that algorithm; ogi's reader is the
  // code around it.
  if (ext === '.html' || ext === '.htm' || /<(html|body|table|div|p)[\s>]/i.test(text.slice(0, 4096))) {
    try {
      // Lone surrogates make parse5 throw (ogi's reader replaces them the same way).
      const $ = cheerio.load(text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
      $('script, style, noscript, template').remove();
      return renderedText($.root()[0] as unknown as DomNode);
    } catch {
      return undefined;
    }
  }
  return text;
}

function numberOf(raw: string): string | undefined {
  const m = raw.match(NUMBER);
  return m ? normaliseNumber(m[0]) : undefined;
}

export interface Verdict {
  key: string;
  value: number | null;
  raw: string;
  confidence: number;
  seedValue: number | null | undefined;
  /** 'wrong': a number moved from another cell; 'unverified': no independent text to check against. */
  kind: 'wrong' | 'unverified';
}

export interface JudgeInput {
  fields: Fields;
  seedFields: Fields;
  otherFields?: Fields;
  /**
   * The mutation duplicated content (a repeated range or structure, a splice): the file may now
   * print the same table twice, one copy broken, and a key's truth is whichever copy a reader
   * takes. A changed value is then unverified, never passed as right (see rule 5).
   */
  duplicated?: boolean;
  /** Printed numbers of the mutated file, the seed and (splice) the other seed; undefined when unreadable. */
  counts?: Map<string, number>;
  seedCounts?: Map<string, number>;
  otherCounts?: Map<string, number>;
}

export function judge(input: JudgeInput): Verdict[] {
  const out: Verdict[] = [];
  const before = (n: string) => (input.seedCounts?.get(n) ?? 0) + (input.otherCounts?.get(n) ?? 0);
  const after = (n: string) => input.counts?.get(n) ?? 0;
  for (const [key, f] of Object.entries(input.fields)) {
    if (f.confidence < 0.8) continue;
    const seed = input.seedFields[key];
    const other = input.otherFields?.[key];
    if ((seed && seed.value === f.value) || (other && other.value === f.value)) continue;
    if (f.value === null && !seed) continue;
    const verdict = (kind: Verdict['kind']): Verdict => ({
      key,
      value: f.value,
      raw: f.raw,
      confidence: f.confidence,
      seedValue: seed?.value,
      kind,
    });
    if (!input.counts || !input.seedCounts) {
      out.push(verdict('unverified'));
      continue;
    }
    const created = f.value !== null && ((n) => n !== undefined && after(n) > before(n))(numberOf(f.raw));
    if (input.duplicated && !created) {
      out.push(verdict('unverified'));
      continue;
    }
    if (f.value === null) {
      // Rule 3: a number became a blank; the mutation must have removed that number.
      const n = seed?.raw ? numberOf(seed.raw) : undefined;
      if (n !== undefined && after(n) >= before(n)) out.push(verdict('wrong'));
      continue;
    }
    const n = numberOf(f.raw);
    if (n === undefined || after(n) <= before(n)) out.push(verdict('wrong'));
  }
  return out;
}
