/**
 * vitest globalSetup: a PostgreSQL server for the tests that need one.
 * - OGI_TEST_PG_URL set (e.g. postgres://postgres@127.0.0.1:5432/postgres, a
 *   role that may CREATE DATABASE): used as it is;
 * - else, when PostgreSQL's binaries are installed (Debian: /usr/lib/postgresql/N/bin),
 *   a throwaway cluster (test/bench/pg-cluster.ts) for this run, removed at its end;
 * - else nothing: the PostgreSQL tests skip and say why (test/helpers/pg.ts).
 * Each test file then creates its own databases on that server.
 */
import { postgresBinDir, startCluster } from '../bench/pg-cluster.js';

export { postgresBinDir };

export default async function setup(): Promise<(() => void) | undefined> {
  if (process.env.OGI_TEST_PG_URL || !postgresBinDir()) return undefined;
  const cluster = await startCluster();
  process.env.OGI_TEST_PG_URL = cluster.url;
  return () => {
    cluster.stop();
    delete process.env.OGI_TEST_PG_URL;
  };
}
