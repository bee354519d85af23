/**
 * The OCR engine: Debian's tesseract through its command line.
 *
 * Chosen by measurement (README "Scanned and image-only reports"): on the
 * same 133 table cells, the CLI read them in 1.05 s (chi_sim) and 0.67 s
 * (digits) against tesseract.js 7 with the same local traineddata at 2.06 s and
 * 1.29 s, with identical readings; Node bindings are either CLI wrappers or
 * unmaintained native builds. Each run reads a whole list of cell images with
 * one model load (tesseract's "list file" input) and prints hOCR with each
 * character's confidence and alternatives.
 *
 * Nothing is downloaded: the traineddata comes from the system
 * (tesseract-ocr-chi-sim). OGI_TESSERACT=/path picks the binary,
 * OGI_TESSERACT=0 turns OCR off (documents that need it get ocr-unavailable).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { abortError } from '../../src/contract/extractor.js';
import { toPgm, type GrayImage } from './image.js';
import { parseHocr, type OcrPage } from './hocr.js';

export interface ToolLookup {
  path: string | null;
  /** Why it is unavailable, or where it was found. */
  reason: string;
}

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** `NAME` on PATH, or the binary an environment variable names ('0' turns it off). */
export function findTool(name: string, envVar: string, env: NodeJS.ProcessEnv = process.env): ToolLookup {
  const setting = env[envVar]?.trim();
  if (setting === '0') return { path: null, reason: `disabled by ${envVar}=0` };
  if (setting) {
    return executable(setting)
      ? { path: setting, reason: envVar }
      : { path: null, reason: `${envVar}=${setting} is not an executable file` };
  }
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const p = join(dir, name);
    if (executable(p)) return { path: p, reason: 'PATH' };
  }
  return { path: null, reason: `${name} was not found on PATH` };
}

export interface RunResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs a tool to completion, killing it on abort or after `timeoutMs`. */
export function runTool(
  path: string,
  args: string[],
  opts: { timeoutMs: number; signal?: AbortSignal; name: string; input?: Uint8Array },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(abortError(opts.name));
    // One thread each: two workers already use both cores, and OpenMP threads fight (4.2 s instead of 1.3 s a page here).
    const child = spawn(path, args, {
      env: { ...process.env, OMP_THREAD_LIMIT: '1' },
      stdio: [opts.input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      f();
    };
    const onAbort = () => {
      child.kill('SIGKILL');
      finish(() => reject(abortError(opts.name)));
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() => reject(new Error(`${path} took longer than ${opts.timeoutMs} ms`)));
    }, opts.timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-4000);
    });
    child.on('error', (e) => finish(() => reject(e)));
    child.on('close', (code) => finish(() => resolve({ code, stdout: Buffer.concat(out), stderr: err })));
    if (opts.input && child.stdin) {
      child.stdin.on('error', () => undefined); // the tool may exit before reading everything
      child.stdin.end(opts.input);
    }
  });
}

export interface EngineStatus {
  ok: boolean;
  path?: string;
  /** The models installed (chi_sim, eng, …). */
  langs?: Set<string>;
  /** What is missing and how to get it, when not ok. */
  reason: string;
}

/** The language every report needs. */
export const LANG = 'chi_sim';

let status: { key: string; value: Promise<EngineStatus> } | undefined;

/** Whether tesseract and its Chinese model can be used (checked once per binary). */
export function engineStatus(): Promise<EngineStatus> {
  const tool = findTool('tesseract', 'OGI_TESSERACT');
  const key = `${tool.path}|${tool.reason}|${process.env.TESSDATA_PREFIX ?? ''}`;
  if (status?.key === key) return status.value;
  const value = (async (): Promise<EngineStatus> => {
    if (!tool.path)
      return { ok: false, reason: `OCR needs tesseract (apt-get install tesseract-ocr tesseract-ocr-chi-sim): ${tool.reason}` };
    try {
      const r = await runTool(tool.path, ['--list-langs'], { timeoutMs: 30_000, name: 'tesseract' });
      const langs = new Set(
        (r.stdout.toString('utf8') + r.stderr)
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter((l) => /^[\w-]+$/.test(l)),
      );
      if (!langs.has(LANG)) {
        return { ok: false, path: tool.path, reason: `tesseract has no ${LANG} model (apt-get install tesseract-ocr-chi-sim)` };
      }
      return { ok: true, path: tool.path, langs, reason: tool.reason };
    } catch (e) {
      return { ok: false, reason: `tesseract at ${tool.path} does not run: ${(e as Error).message}` };
    }
  })();
  status = { key, value };
  return value;
}

export interface RecogniseOptions {
  lang: string;
  /** Page segmentation mode: 6 a block of text, 7 one line, 4 a column of lines, 3 a page. */
  psm: number;
  /** Characters the recogniser may output (digits for number cells). */
  whitelist?: string;
  /** Also report each character's other candidates (lstm_choice_mode=2). */
  alternatives?: boolean;
  /** Resolution of the images, for tesseract's size heuristics. */
  dpi: number;
  timeoutMs: number;
  signal?: AbortSignal;
  name: string;
}

/**
 * Recognises every image in one tesseract run (one model load). Returns one
 * page per image, in input order (an image tesseract found nothing in has no lines).
 */
export async function recognise(path: string, images: GrayImage[], o: RecogniseOptions): Promise<OcrPage[]> {
  if (!images.length) return [];
  const dir = mkdtempSync(join(tmpdir(), 'ogi-ocr-'));
  try {
    const files = images.map((img, i) => {
      const f = join(dir, `${i}.pgm`);
      writeFileSync(f, toPgm(img));
      return f;
    });
    writeFileSync(join(dir, 'list.txt'), `${files.join('\n')}\n`);
    const args = [join(dir, 'list.txt'), 'stdout', '-l', o.lang, '--psm', String(o.psm), '--dpi', String(Math.round(o.dpi))];
    // tessedit_do_invert=0: no second try of every unsure line as white-on-black (cells are never inverted; it costs up to double).
    args.push('-c', 'hocr_char_boxes=1', '-c', 'tessedit_do_invert=0');
    // Each character's other candidates (for corrections by the identities) only where they are used: number readings.
    if (o.alternatives) args.push('-c', 'lstm_choice_mode=2');
    if (o.whitelist) args.push('-c', `tessedit_char_whitelist=${o.whitelist}`);
    args.push('hocr');
    const t0 = performance.now();
    const kids = () => {
      try {
        const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
        return (Number(f[13]) + Number(f[14])) * 10;
      } catch {
        return 0;
      }
    };
    const k0 = process.env.OGI_OCR_TIMING ? kids() : 0;
    const r = await runTool(path, args, { timeoutMs: o.timeoutMs, signal: o.signal, name: o.name });
    if (process.env.OGI_OCR_TIMING)
      process.stderr.write(
        `tesseract ${o.lang} psm ${o.psm}${o.whitelist ? ' digits' : ''}: ${images.length} image(s), ${Math.round(performance.now() - t0)} ms, CPU ${kids() - k0} ms\n`,
      );
    if (r.code !== 0) throw new Error(`tesseract exited with ${r.code}: ${r.stderr.trim().split('\n').slice(-2).join(' ')}`);
    const pages = parseHocr(r.stdout.toString('utf8'));
    const byIndex = new Map(pages.map((p) => [p.index, p]));
    return images.map((_, i) => byIndex.get(i) ?? { index: i, lines: [] });
  } finally {
    // OGI_OCR_KEEP=1 keeps the pictures and the list for a look (development aid).
    if (process.env.OGI_OCR_KEEP) process.stderr.write(`ogi: OCR input kept in ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
