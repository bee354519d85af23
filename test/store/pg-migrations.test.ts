/**
 * PostgreSQL migrations follow the SQLite ones: one file per number, the same
 * numbers and names, plain SQL, pinned once shipped. A new SQLite migration
 * without its PostgreSQL translation fails here. Against a server: a fresh
 * database is migrated once even when several processes open it together,
 * and the wide views follow the field list as on SQLite.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIELD_SPECS } from '../../src/spec/fields.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { ensurePgWideViews, inTransaction } from '../../src/store/pg/db.js';
import { PG_MIGRATIONS } from '../../src/store/pg/migrations/index.js';
import { PgStore } from '../../src/store/pg/store.js';
import { WIDE_VIEWS, wideColumnName } from '../../src/store/views.js';
import { pgRows } from '../helpers/engine-inputs.js';
import { ROOT } from '../helpers/gold.js';
import { freshDatabase, PG_URL } from '../helpers/pg.js';

/** sha256 of each shipped PostgreSQL migration's SQL. Never update a line here: add a migration instead. */
const SHIPPED: Record<number, string> = {
  1: 'ac1461c992103295e8bd327000c65df398a6712f4491a1eb035a8c308798acb8',
  2: '5acbea2d5006221cb2c04e80fd06343064691ce88a239f1964f6f668c293ccb6',
  3: '2fb1acc384e2c60f5011be3c3762c95750736ae4adfc8f3e762517bf7b177591',
  4: '059c5bb13a8bca4fbe503dcecc1ff5beabc7846f7a157b12b8f3d708ddadd917',
  5: 'a1bd79fea93945d885abb8a0bb13d02c088ce56c7f9343a90651afc8c596047d',
  6: '6b66938109faef3b8c6d533ee8284c009968fd3f06a64be4de2037f48c488575',
  7: '71e26b2ec8f9bf6d10c75180f2c276408007e1c29e98f86fe0fc56b257c26f44',
};

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('PostgreSQL migrations', () => {
  it('translate every SQLite migration: same numbers, same names', () => {
    expect(PG_MIGRATIONS.map((m) => [m.version, m.name])).toEqual(MIGRATIONS.map((m) => [m.version, m.name]));
  });

  it('never change once shipped (pinned hashes)', () => {
    for (const m of PG_MIGRATIONS) {
      if (SHIPPED[m.version] === undefined) continue;
      expect(sha(m.sql), `PostgreSQL migration ${m.version} (${m.name}) was edited: add a new migration instead`).toBe(SHIPPED[m.version]);
    }
  });

  it('are plain SQL: a migration file imports nothing but its type', () => {
    const dir = join(ROOT, 'src/store/pg/migrations');
    const files = readdirSync(dir).filter((f) => /^\d{3}-.*\.ts$/.test(f));
    expect(files).toHaveLength(PG_MIGRATIONS.length);
    for (const name of files) {
      const imports = [...readFileSync(join(dir, name), 'utf8').matchAll(/from '([^']+)'/g)].map((x) => x[1]);
      expect(imports, name).toEqual(['./types.js']);
    }
  });
});

describe.skipIf(!PG_URL)('PostgreSQL schema on a server', () => {
  it('five processes opening a fresh database at once: each migration applied once, every store usable', async () => {
    const url = await freshDatabase();
    const stores = await Promise.all(Array.from({ length: 5 }, () => PgStore.open(url)));
    try {
      const applied = await pgRows(url, 'SELECT version FROM ogi_schema ORDER BY version');
      expect(applied.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
      for (const s of stores) expect((await s.summary()).documents).toBe(0);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('wide views have one column per canonical key, and are rebuilt when the field list changed', async () => {
    const url = await freshDatabase();
    const store = await PgStore.open(url);
    try {
      const columns = async (view: string) =>
        (await pgRows(url, 'SELECT column_name FROM information_schema.columns WHERE table_name = $1', [view])).map((r) => r.column_name);
      for (const v of WIDE_VIEWS) {
        const cols = await columns(v.view);
        for (const f of FIELD_SPECS.filter((x) => x.table === v.table)) expect(cols).toContain(wideColumnName(f.key));
      }
      // As an older ogi left them: t3_requests without a key the current list has.
      const missing = FIELD_SPECS.find((f) => f.table === 't3')!;
      await pgRows(url, "DROP VIEW t3_requests; CREATE VIEW t3_requests AS SELECT 1 AS report_id; UPDATE ogi_meta SET value = 'older'");
      expect(await columns('t3_requests')).not.toContain(wideColumnName(missing.key));
      expect(await inTransaction(store.pool, ensurePgWideViews)).toBe(true);
      expect(await columns('t3_requests')).toContain(wideColumnName(missing.key));
      expect(await inTransaction(store.pool, ensurePgWideViews)).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('a database newer than this ogi is refused with a message', async () => {
    const url = await freshDatabase();
    await (await PgStore.open(url)).close();
    await pgRows(url, "INSERT INTO ogi_schema (version, name) VALUES (999, 'from the future')");
    await expect(PgStore.open(url)).rejects.toThrow(/newer than this ogi/);
  });
});
