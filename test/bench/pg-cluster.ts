/**
 * A throwaway PostgreSQL cluster: initdb in a temporary directory, pg_ctl
 * start on a free local port, removed on stop. Used by the test run
 * (test/setup/postgres.ts) and the benchmark (test/bench/postgres.ts). As
 * root the cluster runs as the `postgres` user, since initdb refuses root.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** The newest installed server's bin directory (Debian: /usr/lib/postgresql/N/bin), if any. */
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

export interface Cluster {
  /** postgres://USER@127.0.0.1:PORT/postgres (trust authentication, local only). */
  url: string;
  dataDir: string;
  /** The postmaster's pid (its children are the server's backends). */
  pid(): number;
  stop(): void;
}

export async function startCluster(): Promise<Cluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/N/bin/initdb)');
  const asRoot = process.getuid?.() === 0;
  // As root the directory must be reachable by the postgres user: a test run's TMPDIR is private, /tmp is not.
  const dir = mkdtempSync(join(asRoot ? '/tmp' : tmpdir(), 'ogi-pg-'));
  const run = (cmd: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]] : [join(bin, cmd), args];
    execFileSync(file, argv, { stdio: 'pipe', timeout: 60_000 });
  };
  if (asRoot) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  const user = asRoot ? 'postgres' : userInfo().username;
  const data = join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-U', user, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  // Durability is not under test: without fsync the cluster is several times faster.
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  return {
    url: `postgres://${user}@127.0.0.1:${port}/postgres`,
    dataDir: data,
    pid: () => Number(readFileSync(join(data, 'postmaster.pid'), 'latin1').split('\n')[0]),
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already gone.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
