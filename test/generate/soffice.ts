/**
 * LibreOffice conversion for the fixture generators (never used by tests).
 * Each run gets its own profile: concurrent runs sharing one fail silently.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export function sofficeBinary(): string {
  const env = process.env.OGI_SOFFICE;
  return env && env !== '0' ? env : 'soffice';
}

/**
 * Converts `input` to `filter` ('pdf', 'pdf:writer_pdf_Export', 'doc:MS Word 97', …) and moves the
 * result into `outDir`. HTML input needs `infilter: 'HTML (StarWriter)'` to be read as a document.
 */
export async function sofficeConvert(input: string, filter: string, outDir: string, options: { infilter?: string } = {}): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'ogi-gen-lo-'));
  const work = mkdtempSync(join(tmpdir(), 'ogi-gen-out-'));
  try {
    await run(
      sofficeBinary(),
      [
        `-env:UserInstallation=${pathToFileURL(profile).href}`,
        '--headless',
        '--norestore',
        ...(options.infilter ? [`--infilter=${options.infilter}`] : []),
        '--convert-to',
        filter,
        '--outdir',
        work,
        input,
      ],
      { timeout: 180_000 },
    );
    const ext = filter.split(':')[0];
    const name = basename(input).replace(/\.[^.]+$/, `.${ext}`);
    const out = join(work, name);
    if (!existsSync(out)) throw new Error(`soffice produced no ${ext} for ${input}`);
    const dest = join(outDir, name);
    renameSync(out, dest);
    return dest;
  } finally {
    rmSync(profile, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}
