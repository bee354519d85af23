/**
 * Every platform adapter of this folder: a module that exports `platform`.
 * Adding a platform means adding one file here; nothing else lists them.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Platform } from './types.js';

async function load(): Promise<Platform[]> {
  const here = dirname(fileURLToPath(import.meta.url));
  const files = readdirSync(here)
    .filter((f) => /\.(js|ts)$/.test(f) && !/\.d\.ts$/.test(f) && !/^(index|types)\./.test(f))
    .sort();
  const out: Platform[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    const stem = f.replace(/\.(js|ts)$/, '');
    if (seen.has(stem)) continue;
    seen.add(stem);
    const mod = (await import(pathToFileURL(`${here}/${f}`).href)) as { platform?: Platform };
    if (mod.platform) out.push(mod.platform);
  }
  return out;
}

export const PLATFORMS: readonly Platform[] = await load();

export function platformNamed(name: string | undefined): Platform | undefined {
  return PLATFORMS.find((p) => p.name === name);
}
