/**
 * LibreOffice as a converter: finding soffice, and running one headless
 * conversion in a private temp dir with its own profile (concurrent runs
 * sharing a profile fail silently), under a timeout that kills the whole
 * process group, always cleaning up.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { throwIfAborted } from '../../src/contract/extractor.js';

export interface SofficeLookup {
  /** Path of the soffice binary, or null when the exact path is unavailable. */
  path: string | null;
  /** Why it is unavailable (or where it came from), for warnings. */
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

const WELL_KNOWN = [
  '/usr/bin/soffice',
  '/usr/lib/libreoffice/program/soffice',
  '/usr/local/bin/soffice',
  '/opt/homebrew/bin/soffice',
  '/Applications/LibreOffice.app/Contents/MacOS/soffice',
];

/** OGI_SOFFICE=0 disables LibreOffice; OGI_SOFFICE=/path picks the binary; otherwise PATH and the usual install places. */
export function findSoffice(env: NodeJS.ProcessEnv = process.env): SofficeLookup {
  const setting = env.OGI_SOFFICE?.trim();
  if (setting === '0') return { path: null, reason: 'disabled by OGI_SOFFICE=0' };
  if (setting) {
    return executable(setting)
      ? { path: setting, reason: 'OGI_SOFFICE' }
      : { path: null, reason: `OGI_SOFFICE=${setting} is not an executable file` };
  }
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of ['soffice', 'libreoffice']) {
      const p = join(dir, name);
      if (executable(p)) return { path: p, reason: 'PATH' };
    }
  }
  for (const p of WELL_KNOWN) if (executable(p)) return { path: p, reason: 'install location' };
  for (const base of ['/opt']) {
    if (!existsSync(base)) continue;
    for (const d of readdirSync(base)) {
      const p = join(base, d, 'program', 'soffice');
      if (/^libreoffice/i.test(d) && executable(p)) return { path: p, reason: 'install location' };
    }
  }
  return { path: null, reason: 'soffice (LibreOffice) was not found on PATH' };
}

const TIMED_OUT = 'timed out';

/** LibreOffice ran past its time limit and was killed. */
export class ConvertTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`LibreOffice timed out after ${timeoutMs} ms and was killed`);
    this.name = 'ConvertTimeout';
  }
}

export interface ConvertOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Converts a Word 97-2003 file to DOCX bytes. Throws an Error saying why when LibreOffice fails. */
export async function convertToDocx(soffice: string, bytes: Uint8Array, options: ConvertOptions): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'ogi-soffice-'));
  try {
    const input = join(dir, 'in.doc');
    const outDir = join(dir, 'out');
    writeFileSync(input, bytes);
    const args = [
      `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`,
      '--headless',
      '--invisible',
      '--nologo',
      '--nodefault',
      '--norestore',
      '--nolockcheck',
      '--convert-to',
      'docx:MS Word 2007 XML',
      '--outdir',
      outDir,
      input,
    ];
    await run(soffice, args, options);
    const out = join(outDir, 'in.docx');
    if (!existsSync(out)) throw new Error('LibreOffice finished without writing a DOCX (it could not load the file)');
    return new Uint8Array(readFileSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[], { timeoutMs, signal }: ConvertOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    throwIfAborted(signal, 'soffice');
    // Its own process group, so a timeout can kill soffice.bin and any helpers it started.
    const child = spawn(cmd, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 2000) stderr += d.toString();
    });
    let stopped: string | undefined;
    const kill = (why: string) => {
      stopped = why;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => kill(TIMED_OUT), timeoutMs);
    const onAbort = () => kill('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (e) => {
      done();
      reject(new Error(`could not start ${cmd}: ${e.message}`));
    });
    child.on('close', (code, sig) => {
      done();
      if (stopped === TIMED_OUT) reject(new ConvertTimeout(timeoutMs));
      else if (stopped) reject(new Error(`LibreOffice ${stopped}`));
      else if (code !== 0)
        reject(new Error(`LibreOffice exited with ${code ?? sig}${stderr.trim() ? `: ${stderr.trim().slice(0, 300)}` : ''}`));
      else resolve();
    });
  });
}
