/**
 * The layers import downwards only (README, "How it works"). Read from the
 * sources, so a new import that breaks a rule fails here, not in review.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/gold.js';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Repository-relative targets of a file's relative imports (static, dynamic and `export … from`). */
export function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map(
    (m) => m[1] ?? m[2],
  );
  return specs.filter((s) => s.startsWith('.')).map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)).replace(/\.js$/, '.ts'));
}

interface Rule {
  layer: string;
  /** Repository paths (prefixes) the layer may import; anything else relative is a violation. */
  allowed: string[];
}

const RULES: Rule[] = [
  { layer: 'extractors/', allowed: ['extractors/', 'src/model.ts', 'src/contract/', 'src/text/'] },
  { layer: 'src/contract/', allowed: ['src/contract/', 'src/model.ts', 'src/spec/'] },
  { layer: 'src/mapping/', allowed: ['src/mapping/', 'src/model.ts', 'src/contract/', 'src/spec/', 'src/text/'] },
  {
    layer: 'src/validate/',
    allowed: ['src/validate/', 'src/mapping/', 'src/model.ts', 'src/contract/', 'src/spec/', 'src/store/store.ts'],
  },
  { layer: 'src/store/', allowed: ['src/store/', 'src/contract/', 'src/model.ts', 'src/spec/'] },
  // The review site reads through the DocumentStore interface only (a PostgreSQL store serves it too).
  {
    layer: 'src/review/',
    allowed: [
      'src/review/',
      'src/store/store.ts',
      'src/contract/',
      'src/model.ts',
      'src/spec/',
      'src/mapping/',
      'src/extract/',
      'extractors/',
    ],
  },
];

describe('layers import downwards only', () => {
  for (const rule of RULES) {
    it(`${rule.layer} imports only ${rule.allowed.join(', ')}`, () => {
      const files = sources(rule.layer);
      expect(files.length).toBeGreaterThan(0);
      const violations = files.flatMap((f) =>
        importsOf(f)
          .filter((target) => !rule.allowed.some((a) => target.startsWith(a)))
          .map((target) => `${f} → ${target}`),
      );
      expect(violations).toEqual([]);
    });
  }

  it('src/review/ neither imports better-sqlite3 nor runs SQL', () => {
    const files = sources('src/review/');
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      expect(text, f).not.toMatch(/from '(better-sqlite3|pg)'/);
      expect(text, f).not.toMatch(/\.prepare\(|\bSELECT\b|\bINSERT INTO\b/);
    }
  });

  it('the import reader sees static, dynamic and re-export imports (it can fail)', () => {
    expect(importsOf('src/extract/registry.ts')).toContain('extractors/pdf/index.ts');
    expect(importsOf('src/store/store.ts')).toContain('src/store/documents.ts');
    expect(importsOf('src/model.ts')).toContain('src/contract/message.ts');
  });
});
