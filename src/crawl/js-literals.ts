/**
 * Reading values out of inline page scripts without running them: object and
 * array literals (`var param_1 = {col:1, path:'/'}`, `.jpage({totalRecord:224, …})`,
 * `queryData="{'pageId':'abc'}"`) and string concatenations
 * (`document.writeln("<a href=" + url + ">")`). Anything that is not a literal
 * (a call, an expression) reads as undefined and is skipped, so a tolerant
 * reader gets every literal field of a config whatever else it holds.
 */

export type JsValue = string | number | boolean | null | undefined | JsValue[] | { [k: string]: JsValue };

const WS = /\s/;

function skipWs(src: string, i: number): number {
  for (;;) {
    while (i < src.length && WS.test(src[i])) i++;
    if (src.startsWith('//', i)) {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? src.length : nl + 1;
    } else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? src.length : end + 2;
    } else return i;
  }
}

/** A quoted string literal at src[i] (', " or `), with JavaScript escapes. */
export function readString(src: string, i: number): { value: string; end: number } | undefined {
  const q = src[i];
  if (q !== '"' && q !== "'" && q !== '`') return undefined;
  let out = '';
  let j = i + 1;
  while (j < src.length) {
    const c = src[j];
    if (c === q) return { value: out, end: j + 1 };
    if (c === '\\') {
      const n = src[j + 1];
      j += 2;
      switch (n) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'u': {
          const m = src.slice(j).match(/^\{([0-9a-fA-F]+)\}|^([0-9a-fA-F]{4})/);
          if (m) {
            out += String.fromCodePoint(parseInt(m[1] ?? m[2], 16));
            j += m[0].length;
          } else out += 'u';
          break;
        }
        case 'x': {
          const m = src.slice(j, j + 2).match(/^[0-9a-fA-F]{2}$/);
          if (m) {
            out += String.fromCharCode(parseInt(m[0], 16));
            j += 2;
          } else out += 'x';
          break;
        }
        case '\n':
          break;
        case undefined:
          return undefined;
        default:
          out += n;
      }
      continue;
    }
    out += c;
    j++;
  }
  return undefined;
}

/** Skips one expression that is not a literal: up to the next , } ] ) at depth 0. */
function skipExpression(src: string, i: number): number {
  let depth = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '"' || c === "'" || c === '`') {
      const s = readString(src, i);
      i = s ? s.end : src.length;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return i;
      depth--;
    } else if (c === ',' && depth === 0) return i;
    i++;
  }
  return i;
}

/** Reads a literal value at src[i]; a non-literal reads as undefined (and is skipped). */
export function readValue(src: string, i: number): { value: JsValue; end: number } {
  i = skipWs(src, i);
  const c = src[i];
  if (c === '{') return readObject(src, i);
  if (c === '[') return readArray(src, i);
  const s = readString(src, i);
  if (s) {
    // 'a' + 'b': a concatenation of literals is still a literal.
    let value = s.value;
    let end = s.end;
    for (;;) {
      const k = skipWs(src, end);
      if (src[k] !== '+') break;
      const next = readString(src, skipWs(src, k + 1));
      if (!next) break;
      value += next.value;
      end = next.end;
    }
    const after = skipWs(src, end);
    if (after < src.length && !',}])'.includes(src[after]) && src[after] !== ';') return { value: undefined, end: skipExpression(src, i) };
    return { value, end };
  }
  const m = src.slice(i).match(/^(-?(?:0x[0-9a-f]+|\d+(?:\.\d+)?(?:e[+-]?\d+)?)|true|false|null|undefined)(?=[ \t]*(?:[,}\]);\r\n/]|$))/i);
  if (m) {
    const t = m[1];
    const value = t === 'true' ? true : t === 'false' ? false : t === 'null' ? null : t === 'undefined' ? undefined : Number(t);
    return { value, end: i + t.length };
  }
  return { value: undefined, end: skipExpression(src, i) };
}

function readObject(src: string, i: number): { value: { [k: string]: JsValue }; end: number } {
  const out: { [k: string]: JsValue } = {};
  i++;
  for (;;) {
    i = skipWs(src, i);
    if (i >= src.length) return { value: out, end: i };
    if (src[i] === '}') return { value: out, end: i + 1 };
    if (src[i] === ',') {
      i++;
      continue;
    }
    let key: string | undefined;
    const s = readString(src, i);
    if (s) {
      key = s.value;
      i = s.end;
    } else {
      const m = src.slice(i).match(/^[\w$]+/);
      if (!m) {
        // Not an object literal after all (a block, a spread …): skip to the end.
        i = skipExpression(src, i);
        if (src[i] === '}') return { value: out, end: i + 1 };
        if (i >= src.length) return { value: out, end: i };
        i++;
        continue;
      }
      key = m[0];
      i += m[0].length;
    }
    i = skipWs(src, i);
    if (src[i] !== ':') {
      // Shorthand property or method: no literal value.
      i = skipExpression(src, i);
      continue;
    }
    const v = readValue(src, i + 1);
    if (v.value !== undefined) out[key] = v.value;
    i = v.end;
  }
}

function readArray(src: string, i: number): { value: JsValue[]; end: number } {
  const out: JsValue[] = [];
  i++;
  for (;;) {
    i = skipWs(src, i);
    if (i >= src.length) return { value: out, end: i };
    if (src[i] === ']') return { value: out, end: i + 1 };
    if (src[i] === ',') {
      i++;
      continue;
    }
    const v = readValue(src, i);
    out.push(v.value);
    i = v.end === i ? i + 1 : v.end;
  }
}

/** The object literal that starts at the first `{` at or after `from`. */
export function objectAt(src: string, from: number): { [k: string]: JsValue } | undefined {
  const i = src.indexOf('{', from);
  if (i < 0) return undefined;
  return readObject(src, i).value;
}

/** The value assigned to `var NAME =` / `NAME =` / `window.NAME =` in a script. */
export function assignedValue(src: string, name: string): JsValue {
  const re = new RegExp(`(?:^|[^\\w$.])(?:var\\s+|let\\s+|const\\s+|window\\.)?${name.replace(/[$.]/g, '\\$&')}\\s*=\\s*`, 'g');
  const m = re.exec(src);
  if (!m) return undefined;
  return readValue(src, m.index + m[0].length).value;
}

/** A JSON text, or a JavaScript object literal as some pages write it (single quotes, bare keys). */
export function parseLooseObject(text: string): { [k: string]: JsValue } | undefined {
  const t = text.trim();
  try {
    const v: unknown = JSON.parse(t);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as { [k: string]: JsValue };
  } catch {
    // not JSON
  }
  return t.startsWith('{') ? readObject(t, 0).value : undefined;
}

/** A concatenation of string literals and known variables at src[i]: `"<a href=" + url + ">"`. */
function concatAt(src: string, i: number, vars: Map<string, string>): { text: string; end: number; ok: boolean } {
  let text = '';
  let ok = false;
  for (;;) {
    i = skipWs(src, i);
    const s = readString(src, i);
    if (s) {
      text += s.value;
      i = s.end;
      ok = true;
    } else {
      const id = src.slice(i).match(/^[A-Za-z_$][\w$]*/);
      if (!id) break;
      const known = vars.get(id[0]);
      if (known === undefined && !ok) break;
      text += known ?? '';
      i += id[0].length;
      ok = true;
      // A method call on it (title.substring(0, 30)): its value is the variable's.
      if (src[i] === '.') {
        const call = src.slice(i).match(/^\.\w+\s*\(/);
        if (call) i = skipExpression(src, i + call[0].length) + 1;
      }
    }
    i = skipWs(src, i);
    if (src[i] === '+' && src[i + 1] !== '=') {
      i++;
      continue;
    }
    break;
  }
  return { text, end: i, ok };
}

/**
 * What `document.write(…)`/`document.writeln(…)` calls of a script write, with
 * string variables (`var url = "./a.html"`, `str += "<li>"`) substituted: the
 * list markup of TRS pages that write their items by script.
 */
export function writtenMarkup(script: string): string {
  if (!/document\.write/.test(script)) return '';
  const vars = new Map<string, string>();
  const out: string[] = [];
  const re = /(?:(?:var|let|const)\s+)?([A-Za-z_$][\w$]*)\s*(\+?)=(?!=)\s*|document\.write(?:ln)?\s*\(/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(script))) {
    const at = m.index + m[0].length;
    const v = concatAt(script, at, vars);
    if (m[1]) {
      if (v.ok) vars.set(m[1], (m[2] ? (vars.get(m[1]) ?? '') : '') + v.text);
    } else if (v.ok) out.push(v.text);
    re.lastIndex = Math.max(re.lastIndex, v.end);
  }
  return out.join('\n');
}
