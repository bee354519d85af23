/**
 * Migrations are frozen: a shipped migration's SQL never changes (its hash is
 * pinned here), and none is computed from live data. What derives from the
 * field list (the wide views) is rebuilt on open instead, so a new key
 * reaches old databases too.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FIELD_SPECS } from '../../src/spec/fields.js';
import { openDatabase } from '../../src/store/db.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { ensureWideViews, WIDE_VIEWS, wideColumnName } from '../../src/store/views.js';
import { ROOT } from '../helpers/gold.js';

/** sha256 of each shipped migration's SQL. Never update a line here: add a migration instead. */
const SHIPPED: Record<number, string> = {
  1: '40891e6d7f1093dda34a1bc0d7aafd21e514835eb68cb673045e20cacf989376',
  2: 'a3d9d804a68e2be06e5c894faae4ad37d6ffa68e847ae1d7e03e3a7988bc41ed',
  3: '0c037656459356501f095642b0a26ef19c933d2d21b5690c56dd18ac7171051e',
  4: '7b1e2a9cb062ad5c66d031fc2afee3c991b2104ebd37538dbfff5c8a107508dc',
  5: '6f52cb78f621120634cf8fb2f78bd4acbbbe26a7b3195cd25a9c323ccd81d711',
  6: '6b66938109faef3b8c6d533ee8284c009968fd3f06a64be4de2037f48c488575',
  7: '0b36c3467721d4ed0d31995ab106f9a3c2aeb05a587fbb2db9babc0d60f10d23',
};

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('migrations', () => {
  it('are numbered 1…n without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('never change once shipped (pinned hashes)', () => {
    for (const m of MIGRATIONS) {
      if (SHIPPED[m.version] === undefined) continue; // the newest, not yet shipped, may still change
      expect(sha(m.sql), `migration ${m.version} (${m.name}) was edited: add a new migration instead`).toBe(SHIPPED[m.version]);
    }
  });

  it('are plain SQL: a migration file imports nothing but its type', () => {
    const dir = join(ROOT, 'src/store/migrations');
    const files = readdirSync(dir).filter((f) => /^\d{3}-.*\.ts$/.test(f));
    expect(files).toHaveLength(MIGRATIONS.length);
    for (const name of files) {
      const imports = [...readFileSync(join(dir, name), 'utf8').matchAll(/from '([^']+)'/g)].map((x) => x[1]);
      expect(imports, name).toEqual(['./types.js']);
    }
  });
});

const columnsOf = (db: Database.Database, view: string) =>
  (db.prepare(`PRAGMA table_info(${view})`).all() as { name: string }[]).map((c) => c.name);

describe('wide views', () => {
  it('have one column per canonical key of their table, built on open', () => {
    const db = openDatabase(':memory:');
    for (const v of WIDE_VIEWS) {
      const cols = columnsOf(db, v.view);
      for (const f of FIELD_SPECS.filter((x) => x.table === v.table)) expect(cols).toContain(wideColumnName(f.key));
    }
    db.close();
  });

  it('are rebuilt when the field list changed since they were built (an old database gets the new column)', () => {
    const db = openDatabase(':memory:');
    // As an older ogi left them: t3_requests without a key the current list has.
    const missing = FIELD_SPECS.find((f) => f.table === 't3')!;
    db.exec(`DROP VIEW t3_requests; CREATE VIEW t3_requests AS SELECT r.id AS report_id FROM reports r;`);
    db.prepare("UPDATE ogi_meta SET value = 'older' WHERE key = 'wide_views_sha256'").run();
    expect(columnsOf(db, 't3_requests')).not.toContain(wideColumnName(missing.key));
    expect(ensureWideViews(db)).toBe(true);
    expect(columnsOf(db, 't3_requests')).toContain(wideColumnName(missing.key));
    // Up to date: nothing to do, no write.
    expect(ensureWideViews(db)).toBe(false);
    db.close();
  });

  it('a database left at schema 2 by an older ogi is migrated and gets every view', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ogi-migrate-')), 'old.sqlite');
    const old = new Database(path);
    for (const m of MIGRATIONS.filter((x) => x.version <= 2)) old.exec(m.sql);
    old.pragma('user_version = 2');
    old.close();
    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
    for (const v of WIDE_VIEWS) expect(columnsOf(db, v.view).length).toBeGreaterThan(10);
    db.close();
  });
});

describe('page size', () => {
  it('a new database gets 16 KiB pages; an existing one keeps its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ogi-pages-'));
    const fresh = openDatabase(join(dir, 'new.sqlite'));
    expect(fresh.pragma('page_size', { simple: true })).toBe(16384);
    expect(fresh.pragma('journal_mode', { simple: true })).toBe('wal');
    fresh.close();
    const oldPath = join(dir, 'old.sqlite');
    const old = new Database(oldPath);
    old.pragma('page_size = 4096');
    old.exec('CREATE TABLE t (x)');
    old.close();
    const reopened = openDatabase(oldPath);
    expect(reopened.pragma('page_size', { simple: true })).toBe(4096);
    expect(reopened.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    reopened.close();
  });
});
