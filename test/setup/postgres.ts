/**
 * vitest globalSetup: a PostgreSQL server for the tests that need one.
 * - OGI_TEST_PG_URL set (e.g. postgres://postgres@127.0.0.1:5432/postgres, a
 *   role that may CREATE DATABASE): used as it is;
 * - else, when PostgreSQL's binaries are installed (Debian: /usr/lib/postgresql/N/bin),
 *   a throwaway cluster is made with initdb in a temporary directory, started
 *   with pg_ctl on a free local port, and removed when the run ends. As root
 *   (CI), the cluster runs as the `postgres` user, since initdb refuses root.
 * - else nothing: the PostgreSQL tests skip and say why (test/helpers/pg.ts).
 * Each test file then creates its own database on that server.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** The newest installed server's bin directory, if any. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export default async function setup(): Promise<(() => void) | undefined> {
  if (process.env.OGI_TEST_PG_URL) return undefined;
  const bin = postgresBinDir();
  if (!bin) return undefined;
  const asRoot = process.getuid?.() === 0;
  // As root the directory must be reachable by the postgres user: the run's TMPDIR is private, /tmp is not.
  const dir = mkdtempSync(join(asRoot ? '/tmp' : tmpdir(), 'ogi-test-pg-'));
  const run = (cmd: string, args: string[]) => {
    const full = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]] : [join(bin, cmd), args];
    execFileSync(full[0] as string, full[1] as string[], { stdio: 'pipe', timeout: 60_000 });
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const user = asRoot ? 'postgres' : userInfo().username;
  const data = join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-U', user, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  // Durability is not under test: no fsync makes the cluster several times faster.
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  process.env.OGI_TEST_PG_URL = `postgres://${user}@127.0.0.1:${port}/postgres`;
  return () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Already gone.
    }
    delete process.env.OGI_TEST_PG_URL;
    rmSync(dir, { recursive: true, force: true });
  };
}
