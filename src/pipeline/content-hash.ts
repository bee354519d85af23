/**
 * A hash of what a document says, not of its bytes: the same report served
 * with another view counter, date stamp or session token in the page chrome
 * must not count as an edit. It covers the report's identity, every field's
 * printed text and the document text with its volatile tokens removed
 * (extractors already collapse whitespace). Pure: the ingest service calls it
 * on every read, the crawler compares it between versions of a URL.
 *
 * The crawler decides "changed" on this hash; the raw bytes of every version
 * are still kept (each distinct content is a document).
 */
import { createHash } from 'node:crypto';
import type { ExtractedDocument } from '../contract/document.js';

const COUNTER_WORDS =
  '访问次数|访问量|访问人次|浏览次数|浏览量|浏览人次|点击次数|点击数|点击量|点击率|阅读次数|阅读数|阅读量|查看次数|被访问';
const DATE = String.raw`\d{4}\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2}\s*日?`;
const TIME = String.raw`\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?`;
const WEEKDAY = '(?:星期|礼拜|周)[一二三四五六日天]';

/** Page noise that changes between two fetches of an unchanged report. */
const VOLATILE: RegExp[] = [
  // View counters: 访问次数：1234 / 浏览量: [56] / 点击数 78次 / 浏览：12 / 阅读(9).
  new RegExp(String.raw`(?:${COUNTER_WORDS})\s*[:：]?\s*[\[【(（]?\s*\d[\d,]*\s*[\]】)）]?\s*次?`, 'g'),
  new RegExp(String.raw`(?:浏览|阅读|点击|访问|人气|热度)\s*[:：]\s*[\[【(（]?\s*\d[\d,]*\s*[\]】)）]?\s*次?`, 'g'),
  new RegExp(String.raw`(?:浏览|阅读|点击)\s*[(（]\s*\d[\d,]*\s*[)）]`, 'g'),
  // Today's date and the time shown by the page: 今天是2026年1月2日 星期五 / 当前时间：… / 2026年1月2日 星期五 10:32.
  new RegExp(
    String.raw`(?:今天是|今日|今天|当前日期|当前时间|现在时间|系统时间)\s*[:：]?\s*(?:${DATE})?\s*(?:${WEEKDAY})?\s*(?:${TIME})?`,
    'g',
  ),
  new RegExp(String.raw`${DATE}\s*${WEEKDAY}(?:\s*${TIME})?`, 'g'),
  // Session tokens and cache busters that leak into text: jsessionid=…, token=…, long opaque ids.
  /\b(?:jsessionid|phpsessid|sessionid|session_id|sid|token|csrf[\w-]*|nonce|_t|timestamp)\s*[=:：]\s*[\w.%+/-]{6,}/gi,
  /\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{32,}\b/g,
];

/** The text with view counters, today's date and session tokens taken out, whitespace collapsed. */
export function stripVolatile(text: string): string {
  let t = text;
  for (const re of VOLATILE) t = t.replace(re, ' ');
  return t.replace(/\s+/g, ' ').trim();
}

export function contentHash(doc: ExtractedDocument, text: string | null): string | null {
  if (text === null && !doc.report) return null;
  const fields = Object.keys(doc.fields)
    .sort()
    .map((key) => `${key}=${doc.fields[key].raw}`)
    .join('\u0000');
  return createHash('sha256')
    .update(`${JSON.stringify(doc.report ?? null)}\u0001${fields}\u0001${stripVolatile(text ?? '')}`)
    .digest('hex');
}
