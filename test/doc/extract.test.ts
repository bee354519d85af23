import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { extractDoc, extractor } from '../../extractors/doc/index.js';
import { findSoffice } from '../../extractors/doc/soffice.js';
import type { DocumentModel, TableBlock } from '../../src/model.js';
import { slots, t2LabelRows, t3RowLabel, t3Rows } from '../generate/word/layout.js';
import { compareGrid, expectedText, loadFixtures, tablesOf, type Fixture } from '../docx/fixtures.js';
import { errorCode as codeOf } from '../helpers/errors.js';

const fixtures = loadFixtures('doc', 'doc');
const soffice = findSoffice();
const SOFFICE_MISSING = `LibreOffice is not available (${soffice.reason}); install libreoffice-writer-nogui to run the exact .doc path`;

/** Runs `fn` with environment overrides, restoring the previous values. */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const old = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(old)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const norm = (s: string) => s.replace(/\s+/g, '');

/** Running (not gone, not a zombie waiting for a reaper that containers often lack). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** Text-path check: each printed value appears in the row of its label, in column order. Returns mismatches and matches. */
function compareRows(model: DocumentModel, fx: Fixture): { mismatches: string[]; matched: number } {
  const mismatches: string[] = [];
  let matched = 0;
  const tables = tablesOf(model);
  if (tables.length !== 3) return { mismatches: [`expected 3 tables, got ${tables.length}`], matched };
  const rowsOf = (t: TableBlock) => {
    const rows: string[][] = Array.from({ length: t.nRows }, () => []);
    for (const c of t.cells) rows[c.row][c.col] = c.text;
    return rows;
  };
  const all = slots(fx.form);
  const check = (key: string, got: string | undefined) => {
    const want = expectedText(fx.gold, key);
    if (got === want) matched++;
    else mismatches.push(`${key}: ${JSON.stringify(got)} vs gold ${JSON.stringify(want)}`);
  };
  // Table 2: a row per label; its cells follow the label in column order.
  const t2 = rowsOf(tables[0]);
  for (const [row, label] of Object.entries(t2LabelRows(fx.form))) {
    const r = t2.find((cells) => cells[0] === label);
    const keys = all.filter((s) => s.table === 0 && s.row === Number(row)).sort((a, b) => a.col - b.col);
    keys.forEach((s, i) => check(s.key, r?.[1 + i]));
  }
  // Table 3: the seven values follow the cell holding the row's own label.
  const t3 = rowsOf(tables[1]);
  for (const id of t3Rows(fx.form)) {
    const r = t3.find((cells) => cells.some((c) => norm(c) === norm(t3RowLabel(id))));
    const at = r ? r.findIndex((c) => norm(c) === norm(t3RowLabel(id))) : -1;
    all.filter((s) => s.key.startsWith(`t3.${id}.`)).forEach((s, i) => check(s.key, r?.[at + 1 + i]));
  }
  // Table 4 has no row labels: its printed values appear in order after the headers.
  const printed = rowsOf(tables[2])
    .flat()
    .filter((c) => /^-?\d/.test(c));
  const t4 = all.filter((s) => s.table === 2).map((s) => s.key);
  const want = t4.filter((k) => expectedText(fx.gold, k) !== '');
  if (JSON.stringify(printed) === JSON.stringify(want.map((k) => expectedText(fx.gold, k)))) matched += t4.length;
  else mismatches.push(`t4: ${printed.join(' ')} vs gold ${want.map((k) => expectedText(fx.gold, k)).join(' ')}`);
  return { mismatches, matched };
}

describe('finding soffice (the skip condition)', () => {
  it('says soffice is there exactly when it is', () => {
    const env = { ...process.env };
    delete env.OGI_SOFFICE;
    const found = findSoffice(env);
    const onPath = spawnSync('sh', ['-c', 'command -v soffice || command -v libreoffice'], { encoding: 'utf8' }).status === 0;
    if (found.path) {
      const v = spawnSync(found.path, ['--version'], { encoding: 'utf8', timeout: 60_000 });
      expect(v.stdout).toMatch(/LibreOffice/);
    } else {
      expect(onPath).toBe(false);
      expect(['/usr/bin/soffice', '/usr/lib/libreoffice/program/soffice'].some((p) => existsSync(p))).toBe(false);
    }
    if (onPath) expect(found.path).not.toBeNull();
  });

  it('honours OGI_SOFFICE', () => {
    expect(findSoffice({ OGI_SOFFICE: '0', PATH: process.env.PATH })).toEqual({ path: null, reason: 'disabled by OGI_SOFFICE=0' });
    expect(findSoffice({ OGI_SOFFICE: '/nonexistent/soffice' }).path).toBeNull();
    expect(findSoffice({ OGI_SOFFICE: '/nonexistent/soffice' }).reason).toMatch(/not an executable/);
    expect(findSoffice({ OGI_SOFFICE: process.execPath }).path).toBe(process.execPath);
    expect(findSoffice({ PATH: '/nonexistent' }).path === null || WELL_KNOWN_PRESENT()).toBe(true);
  });
});

function WELL_KNOWN_PRESENT(): boolean {
  return ['/usr/bin/soffice', '/usr/lib/libreoffice/program/soffice', '/usr/local/bin/soffice'].some((p) => existsSync(p));
}

describe('.doc through LibreOffice (exact path)', () => {
  const models = new Map<string, DocumentModel>();
  let tmp = '';
  beforeAll(async () => {
    if (!soffice.path) return;
    // A private TMPDIR shows whether every conversion cleaned up after itself.
    tmp = mkdtempSync(join(tmpdir(), 'ogi-doc-test-'));
    await withEnv({ TMPDIR: tmp }, async () => {
      const queue = [...fixtures];
      const work = async () => {
        for (let fx = queue.shift(); fx; fx = queue.shift())
          models.set(fx.name, await extractor.extract({ bytes: fx.bytes, name: fx.path }, {}));
      };
      await Promise.all([work(), work(), work(), work()]);
    });
  }, 240_000);
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it.skipIf(!soffice.path)(`leaves no temp files or profiles behind ${soffice.path ? '' : `(skipped: ${SOFFICE_MISSING})`}`, () => {
    expect(readdirSync(tmp)).toEqual([]);
  });

  for (const fx of fixtures) {
    it.skipIf(!soffice.path)(
      `${fx.name}: every gold value in the right origin cell ${soffice.path ? '' : `(skipped: ${SOFFICE_MISSING})`}`,
      () => {
        const model = models.get(fx.name)!;
        expect(model.format).toBe('doc');
        expect(model.meta.extractor).toBe('doc:soffice');
        expect(model.meta.warnings).toEqual([]);
        const { mismatches, matched } = compareGrid(model, fx);
        expect(mismatches).toEqual([]);
        expect(matched).toBe(Object.keys(fx.gold.fields).length);
        const t3 = tablesOf(model)[1];
        expect(t3.cells.find((c) => c.text === '三、本年度办理结果')?.rowSpan).toBe(fx.form === '2021' ? 22 : 20);
        expect(t3.cells.find((c) => c.text === '申请人情况')?.colSpan).toBe(7);
        expect(model.blocks[0]).toMatchObject({ text: `${fx.gold.agency}${fx.gold.year}年度政府信息公开工作年度报告` });
      },
    );
  }
});

describe('.doc as text (OGI_SOFFICE=0)', () => {
  for (const fx of fixtures) {
    it(`${fx.name}: values in the rows of their labels, with a warning`, async () => {
      const model = await withEnv({ OGI_SOFFICE: '0' }, () => extractor.extract({ bytes: fx.bytes, name: fx.path }, {}));
      expect(model.meta.extractor).toBe('doc:text');
      expect(model.meta.warnings.map((w) => w.code)).toEqual(['doc-text-only']);
      expect(model.meta.warnings[0].message).toMatch(/approximate|misaligned/);
      expect(model.meta.warnings[0].message).toMatch(/apt-get install libreoffice-writer-nogui/);
      for (const t of tablesOf(model)) expect([t.structure, t.method]).toEqual(['rows', 'doc-text']);
      const { mismatches, matched } = compareRows(model, fx);
      expect(mismatches).toEqual([]);
      expect(matched).toBe(Object.keys(fx.gold.fields).length);
      const texts = model.blocks.map((b) => (b.kind === 'table' ? `T${b.index}` : b.text));
      expect(texts[0]).toBe(`${fx.gold.agency}${fx.gold.year}年度政府信息公开工作年度报告`);
      const order = [
        '一、总体情况',
        '二、主动公开政府信息情况',
        'T0',
        '三、收到和处理政府信息公开申请情况',
        'T1',
        '四、政府信息公开行政复议、行政诉讼情况',
        'T2',
        '五、存在的主要问题及改进情况',
      ].map((s) => texts.indexOf(s));
      expect(order.every((i) => i >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
    });
  }
});

describe('.doc failures', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const fakeSoffice = (script: string) => {
    const d = mkdtempSync(join(tmpdir(), 'ogi-fake-soffice-'));
    dirs.push(d);
    const p = join(d, 'soffice');
    writeFileSync(p, `#!/bin/sh\n${script}\n`);
    chmodSync(p, 0o755);
    return { dir: d, path: p };
  };
  const sample = fixtures.find((f) => f.name === 'form2021-filled')!;

  it('falls back to text, saying why, when LibreOffice fails', async () => {
    const fake = fakeSoffice('echo "source file could not be loaded" >&2; exit 1');
    const model = await withEnv({ OGI_SOFFICE: fake.path }, () => extractDoc(sample.bytes));
    expect(model.meta.extractor).toBe('doc:text');
    expect(model.meta.warnings.map((w) => w.code)).toEqual(['doc-soffice-failed', 'doc-text-only']);
    expect(model.meta.warnings[0].message).toMatch(/could not be loaded/);
    expect(compareRows(model, sample).mismatches).toEqual([]);
  });

  it('kills the whole LibreOffice process group on timeout and falls back to text', async () => {
    const fake = fakeSoffice('echo $$ > "$(dirname "$0")/pids"; sleep 30 & echo $! >> "$(dirname "$0")/pids"; wait');
    const t = Date.now();
    const model = await withEnv({ OGI_SOFFICE: fake.path }, () => extractDoc(sample.bytes, { timeoutMs: 500 }));
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(model.meta.extractor).toBe('doc:text');
    expect(model.meta.warnings.map((w) => w.code)).toEqual(['doc-convert-timeout', 'doc-text-only']);
    expect(model.meta.warnings[0].message).toMatch(
      /took longer than 500 ms .*limits\.docConvertMs = 500 ms; raise it with --doc-convert-ms/,
    );
    const pids = readFileSync(join(fake.dir, 'pids'), 'utf8').trim().split('\n').map(Number);
    expect(pids).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 200));
    for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false);
  });

  it('reports an OGI_SOFFICE that is not there in the warning', async () => {
    const model = await withEnv({ OGI_SOFFICE: '/nonexistent/soffice' }, () => extractDoc(sample.bytes));
    expect(model.meta.warnings[0].message).toMatch(/OGI_SOFFICE=\/nonexistent\/soffice is not an executable/);
  });

  it('reports damaged and foreign files', async () => {
    expect(await codeOf(extractDoc(sample.bytes.slice(0, Math.floor(sample.bytes.length * 0.6))))).toBe('doc-corrupt');
    const junk = sample.bytes.slice();
    for (let i = 512; i < junk.length; i += 3) junk[i] ^= 0xa5;
    expect(await codeOf(extractDoc(junk))).toBe('doc-corrupt');
    expect(await codeOf(extractDoc(loadFixtures('docx', 'docx')[0].bytes))).toBe('doc-corrupt');
    expect(await codeOf(extractDoc(new TextEncoder().encode('<html><body>not a doc</body></html>')))).toBe('doc-corrupt');
    // An OLE file whose Word stream is renamed is some other OLE document.
    const renamed = Buffer.from(sample.bytes);
    const at = renamed.indexOf(Buffer.from('WordDocument', 'utf16le'));
    renamed.write('X', at, 'utf16le');
    expect(await codeOf(extractDoc(new Uint8Array(renamed)))).toBe('doc-not-doc');
  });
});
