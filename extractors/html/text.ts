/**
 * Text normalisation shared by paragraphs, headings and table cells.
 *
 * &nbsp; and ideographic spaces become ordinary spaces, runs of whitespace
 * collapse to one, and a source line break between two CJK characters (an
 * editor's hard wrap, "政府信息\n公开") disappears instead of becoming a space
 * that was never printed. A space right after full-width punctuation goes
 * too ("一、 总体情况" from Word's list spacer). Other explicit spaces between
 * CJK characters are kept ("第二十条 第（一）项").
 */
import { isCjk } from '../../src/text/cjk.js';

const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
const WS_RUN = /\s+/g; // \s covers \u00a0 and \u3000
/** Full-width punctuation carries its own spacing; a space after it is an artefact (Word's list-number spacer). */
const CJK_PUNCT = /[\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]/;

/** One line of text: collapsed whitespace, trimmed, CJK wraps joined. */
export function normaliseLine(raw: string): string {
  const s = raw.replace(ZERO_WIDTH, '');
  return s
    .replace(WS_RUN, (run, offset: number) => {
      const before = s[offset - 1];
      if (before !== undefined && CJK_PUNCT.test(before)) return '';
      if (/[\r\n]/.test(run) && isCjk(before) && isCjk(s[offset + run.length])) return '';
      return ' ';
    })
    .trim();
}

/**
 * Collects text with hard breaks (<br>, block boundaries). Consecutive breaks
 * collapse: empty lines carry nothing in this model.
 */
export class LineBuilder {
  private readonly lines: string[] = [];
  private current: string[] = [];

  text(s: string): void {
    if (s) this.current.push(s);
  }

  /** Ends the current line. */
  br(): void {
    if (this.current.length === 0) return;
    const line = normaliseLine(this.current.join(''));
    this.current = [];
    if (line) this.lines.push(line);
  }

  /** True when the current line has visible text. */
  hasText(): boolean {
    return this.current.some((s) => /\S/.test(s.replace(ZERO_WIDTH, '')));
  }

  finish(): string[] {
    this.br();
    return this.lines;
  }
}
