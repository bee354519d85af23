/**
 * tesseract's hOCR output (with hocr_char_boxes=1 and lstm_choice_mode=2) →
 * per image: lines of words of characters, each character with its confidence
 * and the other glyphs the recogniser considered for it.
 */

export interface OcrChar {
  text: string;
  /** 0..1 */
  conf: number;
  /** Other glyphs for this position with their confidence (0..1), best first. */
  alts: { text: string; conf: number }[];
  /** [x0, y0, x1, y1] in the image's pixels. */
  bbox: [number, number, number, number];
}

export interface OcrWord {
  chars: OcrChar[];
  /** [x0, y0, x1, y1] in the image's pixels. */
  bbox: [number, number, number, number];
  /** 0..1, tesseract's word confidence. */
  conf: number;
}

export interface OcrLine {
  words: OcrWord[];
  bbox: [number, number, number, number];
  /** Index of the paragraph (ocr_par) the line belongs to, within its page. */
  par: number;
}

export interface OcrPage {
  /** 0-based position in the input list. */
  index: number;
  lines: OcrLine[];
}

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#39;': "'", '&apos;': "'" };

function unescape(s: string): string {
  return s
    .replace(/&(?:lt|gt|amp|quot|apos|#39);/g, (m) => ENTITIES[m] ?? m)
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));
}

function bboxOf(title: string): [number, number, number, number] {
  const m = /bbox (\d+) (\d+) (\d+) (\d+)/.exec(title);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] : [0, 0, 0, 0];
}

function numberAfter(title: string, key: string): number | undefined {
  const m = new RegExp(`${key} (-?[\\d.]+)`).exec(title);
  return m ? Number(m[1]) : undefined;
}

const TAG = /<(?:div|span|p)\s+class='([^']+)'(?:\s+id='([^']*)')?(?:\s+lang='[^']*')?(?:\s+title=(?:'([^']*)'|"([^"]*)"))?[^>]*>([^<]*)/g;

export function parseHocr(hocr: string): OcrPage[] {
  const pages: OcrPage[] = [];
  let page: OcrPage | undefined;
  let line: OcrLine | undefined;
  let word: OcrWord | undefined;
  let char: OcrChar | undefined;
  let par = -1;
  for (const m of hocr.matchAll(TAG)) {
    const cls = m[1];
    const id = m[2] ?? '';
    const title = m[3] ?? m[4] ?? '';
    const body = unescape(m[5] ?? '');
    if (cls === 'ocr_page') {
      const n = numberAfter(title, 'ppageno');
      page = { index: n ?? pages.length, lines: [] };
      pages.push(page);
      par = -1;
      line = word = char = undefined;
    } else if (cls === 'ocr_par') {
      par++;
    } else if (/^ocr_(line|textfloat|header|caption)$/.test(cls) && page) {
      line = { words: [], bbox: bboxOf(title), par: Math.max(0, par) };
      page.lines.push(line);
      word = char = undefined;
    } else if (cls === 'ocrx_word' && line) {
      word = { chars: [], bbox: bboxOf(title), conf: (numberAfter(title, 'x_wconf') ?? 0) / 100 };
      line.words.push(word);
      char = undefined;
    } else if (cls === 'ocrx_cinfo' && word) {
      if (title.includes('x_bboxes')) {
        const b = /x_bboxes (\d+) (\d+) (\d+) (\d+)/.exec(title);
        const bbox: [number, number, number, number] = b ? [Number(b[1]), Number(b[2]), Number(b[3]), Number(b[4])] : word.bbox;
        char = { text: body, conf: (numberAfter(title, 'x_conf') ?? 0) / 100, alts: [], bbox };
        word.chars.push(char);
      } else if (id.startsWith('choice_') && char) {
        if (body && body !== char.text) char.alts.push({ text: body, conf: (numberAfter(title, 'x_confs') ?? 0) / 100 });
      }
    }
  }
  for (const p of pages) for (const l of p.lines) l.words = l.words.filter((w) => w.chars.some((c) => c.text.trim()));
  return pages;
}
