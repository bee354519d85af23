/**
 * 图片版 articles: the report is a run of page pictures (<img> per page), not
 * text. Which pictures of the article may hold the report (not icons, logos,
 * QR codes), and the reference each one is asked for by: its src resolved
 * against the page's URL, or against the saved page's path.
 */
import { ancestors, descendants, isElement, type HElement, type HParent } from './dom.js';
import { hasChromeToken } from './body.js';

/** A picture declared smaller than this (CSS pixels, either side) is an icon or a button. */
const MIN_DECLARED = 120;
/** Words in a picture's file name that mark page furniture. */
const FURNITURE =
  /(^|[^a-z])(icon|ico|logo|qr|qrcode|ewm|erweima|share|print|close|arrow|btn|button|bg|banner|dot|line|blank|spacer|loading|gotop|weixin|wechat|weibo)([^a-z]|$)/i;
const NOT_PICTURE = /\.(svg|ico)(\?|#|$)/i;

/** The address a lazy-loading page keeps the real picture in, else src. */
function sourceOf(el: HElement): string | undefined {
  const a = el.attribs;
  for (const k of ['data-original', 'data-src', 'original-src', 'data-lazy-src', 'src']) {
    const v = a[k]?.trim();
    if (v && !v.startsWith('data:') && !v.startsWith('javascript:')) return v;
  }
  return undefined;
}

function declaredSmall(el: HElement): boolean {
  for (const k of ['width', 'height']) {
    const v = el.attribs[k];
    if (v && /^\d+(px)?$/.test(v.trim()) && parseInt(v, 10) < MIN_DECLARED) return true;
  }
  return false;
}

/** `src` against the document's name: a URL for a page from the web, a path beside a saved page. */
export function resolveRef(src: string, name: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(name)) {
    try {
      return new URL(src, name).href;
    } catch {
      return src;
    }
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('//')) return src.startsWith('//') ? `http:${src}` : src;
  let path = src.replace(/[?#].*$/, '');
  try {
    path = decodeURIComponent(path);
  } catch {
    // keep it as written
  }
  if (path.startsWith('/')) return path;
  const dir = name.includes('/') ? name.slice(0, name.lastIndexOf('/') + 1) : '';
  const parts: string[] = [];
  for (const seg of (dir + path).split('/')) {
    if (seg === '.' || (seg === '' && parts.length)) continue;
    if (seg === '..' && parts.length && parts[parts.length - 1] !== '..' && parts[parts.length - 1] !== '') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}

export interface ArticlePicture {
  ref: string;
  /** Block position in the article. */
  at: number;
}

/** The article's pictures that may be report pages, in order, each ref once. */
export function reportPictures(pictures: { el: HElement; at: number }[], name: string): ArticlePicture[] {
  const out: ArticlePicture[] = [];
  const seen = new Set<string>();
  for (const { el, at } of pictures) {
    const src = sourceOf(el);
    if (!src || NOT_PICTURE.test(src) || declaredSmall(el)) continue;
    const file =
      src
        .replace(/[?#].*$/, '')
        .split('/')
        .pop() ?? '';
    if (FURNITURE.test(file.replace(/\.[a-z0-9]+$/i, ''))) continue;
    const ref = resolveRef(src, name);
    if (seen.has(ref)) continue;
    seen.add(ref);
    out.push({ ref, at });
  }
  return out;
}

const CHROME_TAGS = new Set(['nav', 'header', 'footer', 'aside', 'a']);

/**
 * The page's pictures outside page furniture (nav, header, footer, links,
 * chrome classes), in document order: where the article was chosen by its
 * text, a container holding nothing but pictures weighs nothing and is missed.
 */
export function pagePictures(root: HParent): HElement[] {
  return descendants(root).filter(
    (el) => el.name === 'img' && !ancestors(el).some((a) => isElement(a) && (CHROME_TAGS.has(a.name) || hasChromeToken(a))),
  );
}
