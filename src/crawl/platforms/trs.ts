/**
 * TRS WCM (拓尔思) static sites: pagination written by script and lists written
 * by `document.writeln`.
 * - `createPageHTML(total, current, "index", "html")` and its 6-argument form
 *   `createPageHTML('page_div', total, current, 'name', 'ext', 1000)`, Chongqing's
 *   `createPage(total, current, "index", "html")`, the 'paging' form without a
 *   name (the page's own file name is the stem), and counts held in variables
 *   (`var countPage = 25`). Page 0 is name.ext, page N is name_N.ext.
 * - Wuhan-style items: `var url = "./202602/t…shtml"; document.writeln("<a href="+url+">"+title+"</a>")`.
 * Attachments are plain links (`P020…pdf`); a dead `OLDSRC="/protect/…"` attribute
 * beside the href is never read (links are taken by attribute name).
 */
import { load } from 'cheerio/slim';
import { assignedValue, readValue, writtenMarkup, type JsValue } from '../js-literals.js';
import { MAX_API_PAGES, type Found, type Platform, type PlatformPage } from './types.js';

const CALL = /\bcreatePage(?:HTML)?\s*\(/g;

/** The arguments of a call, literals read, identifiers looked up in the page's scripts. */
function callArgs(script: string, start: number, scripts: string): JsValue[] {
  const args: JsValue[] = [];
  let i = start;
  for (let n = 0; n < 8; n++) {
    while (/\s/.test(script[i] ?? '')) i++;
    if (script[i] === ')' || i >= script.length) break;
    const id = script.slice(i).match(/^([A-Za-z_$][\w$.]*)\s*(?=[,)])/);
    if (id) {
      const v = assignedValue(scripts, id[1]);
      args.push(v);
      i += id[0].length;
    } else {
      const v = readValue(script, i);
      args.push(v.value);
      i = v.end;
    }
    while (/\s/.test(script[i] ?? '')) i++;
    if (script[i] === ',') i++;
    else break;
  }
  return args;
}

const asNumber = (v: JsValue): number | undefined => {
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
};

function fromPage(page: PlatformPage): Found | undefined {
  const { $ } = page;
  const scripts = $('script')
    .map((_, el) => $(el).text())
    .get();
  const all = scripts.join('\n;\n');
  let recognised = false;
  for (const script of scripts) {
    for (const m of script.matchAll(CALL)) {
      const args = callArgs(script, m.index! + m[0].length, all);
      // [id?] total current [name ext] …
      const at = asNumber(args[0]) !== undefined ? 0 : 1;
      const total = asNumber(args[at]);
      if (total === undefined) continue;
      let name = typeof args[at + 2] === 'string' ? (args[at + 2] as string) : undefined;
      let ext = typeof args[at + 3] === 'string' ? (args[at + 3] as string) : undefined;
      if (!name || !ext || !/^[\w.-]+$/.test(name) || !/^\w+$/.test(ext)) {
        // No name: the stem of this page's own file (list.shtml → list_1.shtml).
        const file = new URL(page.url).pathname.split('/').pop() || 'index.html';
        const mm = file.match(/^(.*?)(?:_\d+)?\.(\w+)$/);
        if (!mm) continue;
        [name, ext] = [mm[1], mm[2]];
      }
      recognised = true;
      for (let i = 0; i < Math.min(total, MAX_API_PAGES); i++)
        page.links.add(i === 0 ? `${name}.${ext}` : `${name}_${i}.${ext}`, '', 'pagination');
    }
    const written = writtenMarkup(script);
    if (/<a\b/i.test(written)) {
      recognised = true;
      page.links.addAnchors(load(written));
    }
  }
  return recognised ? { requests: [] } : undefined;
}

export const platform: Platform = { name: 'trs', fromPage };
