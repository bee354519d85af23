/**
 * PostgreSQL for tests: the server test/setup/postgres.ts found or started
 * (OGI_TEST_PG_URL), and a fresh database per caller.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { postgresBinDir } from '../setup/postgres.js';

export const PG_URL = process.env.OGI_TEST_PG_URL;

/** Why PostgreSQL tests skip, or undefined when they run. */
export const PG_SKIP = PG_URL
  ? undefined
  : 'PostgreSQL is not installed (no /usr/lib/postgresql/N/bin/initdb) and OGI_TEST_PG_URL is not set: apt-get install postgresql';

if (PG_SKIP) process.stderr.write(`skipping PostgreSQL tests: ${PG_SKIP}\n`);

export { postgresBinDir };

/** The server URL with another database name. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates an empty database (UTF-8, C.UTF-8 collation as the docs advise) and returns its URL. */
export async function freshDatabase(prefix = 'ogi_test'): Promise<string> {
  if (!PG_URL) throw new Error(PG_SKIP);
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`);
    } catch {
      // A server without the C.UTF-8 locale: its default (results are the same; trigram search may be slower).
      await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
    }
  } finally {
    await admin.end();
  }
  return withDatabase(PG_URL, name);
}
