/**
 * The budgets table (src/contract/limits.ts): one place for names, defaults,
 * options and codes; the README lists it; the CLI builds its options from it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, formatLimit, LIMIT_SPECS, limitsOf, overLimit, resolveLimits } from '../../src/contract/limits.js';
import { limitsFromFlags, withProcessOptions } from '../../src/cli/exit.js';
import { ROOT } from '../helpers/gold.js';

describe('limits', () => {
  it('gives every limit its own name, option and code', () => {
    const keys = LIMIT_SPECS.map((s) => s.key);
    const flags = LIMIT_SPECS.map((s) => s.flag);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(flags).size).toBe(flags.length);
    for (const s of LIMIT_SPECS) {
      expect(s.default).toBeGreaterThan(0);
      expect(s.codes.length).toBeGreaterThan(0);
      expect(DEFAULT_LIMITS[s.key]).toBe(s.default);
    }
    // --max-bytes keeps meaning the file size (contract, README).
    expect(LIMIT_SPECS.find((s) => s.flag === '--max-bytes')?.key).toBe('fileBytes');
  });

  it('reads the older single options and lets `limits` win', () => {
    expect(limitsOf({ maxBytes: 10, timeoutMs: 20 })).toMatchObject({
      fileBytes: 10,
      docConvertMs: 20,
      htmlDepth: DEFAULT_LIMITS.htmlDepth,
    });
    expect(limitsOf({ maxBytes: 10, limits: { fileBytes: 30 } }).fileBytes).toBe(30);
    expect(resolveLimits({ htmlDepth: undefined }).htmlDepth).toBe(DEFAULT_LIMITS.htmlDepth);
    // The markup limit is its own: --max-bytes no longer reaches it.
    expect(limitsOf({ maxBytes: 10 }).htmlMarkupBytes).toBe(DEFAULT_LIMITS.htmlMarkupBytes);
  });

  it('says in the message which limit was passed and which option raises it', () => {
    const e = overLimit('html-too-deep', 'htmlDepth', resolveLimits({ htmlDepth: 50 }), 'elements nest more than 50 deep');
    expect(e.code).toBe('html-too-deep');
    expect(e.message).toBe('elements nest more than 50 deep (limits.htmlDepth = 50; raise it with --max-html-depth)');
    expect(formatLimit('htmlMarkupBytes', 8 * 1024 * 1024)).toBe('8 MiB');
    expect(formatLimit('zipRatio', 500)).toBe('500:1');
  });

  it('is listed in the README with its option, default and codes', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const s of LIMIT_SPECS) {
      // Prettier pads the columns: compare the first cell trimmed.
      const row = readme.split('\n').find((l) => l.startsWith('|') && l.split('|')[1].trim() === `\`${s.flag}\``);
      expect(row, s.flag).toBeDefined();
      expect(row).toContain(`\`${s.key}\``);
      expect(row).toContain(formatLimit(s.key, s.default));
      for (const c of s.codes) expect(row).toContain(`\`${c}\``);
    }
  });

  it('gives ogi extract and ogi ingest one option per limit', () => {
    const cmd = withProcessOptions(new Command('x').exitOverride());
    cmd.parse(['--max-html-depth', '64', '--max-html-bytes', '2M', '--max-bytes', '500k', '--timeout-ms', '900'], { from: 'user' });
    expect(limitsFromFlags(cmd.opts())).toEqual({
      htmlDepth: 64,
      htmlMarkupBytes: 2 * 1024 * 1024,
      fileBytes: 500 * 1024,
      docConvertMs: 900,
    });
    expect(() => cmd.parse(['--max-html-depth', '1k'], { from: 'user' })).toThrow(/--max-html-depth must be a positive whole number/);
  });
});
