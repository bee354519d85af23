/**
 * pg-boss, set up the way ogi uses it: two queues in the `pgboss` schema of
 * the store's own database.
 * - ogi-ingest: one job per file (its bytes wait in the inbox, ./inbox.ts);
 * - ogi-crawl: one job per host (./crawl-jobs.ts), 'stately' keyed by host:
 *   at most one waiting and one running per host;
 * - ogi-finish: the cross-report step, 'stately' (at most one waiting and one
 *   running at any time, however many workers ask for it).
 * pg-boss's own expiry is only a backstop here: a job whose worker died is
 * found within seconds through its lease (./lease.ts), so the expiry can be
 * long enough for any document (OCR of a long scan) without delaying recovery.
 */
import PgBoss from 'pg-boss';

export const INGEST_QUEUE = 'ogi-ingest';
export const FINISH_QUEUE = 'ogi-finish';
export const CRAWL_QUEUE = 'ogi-crawl';
export const BOSS_SCHEMA = 'pgboss';

/** Attempts per job before it is left failed (a worker killed mid-job costs one). */
export const RETRY_LIMIT = 5;
/** Backstop expiry: pg-boss fails (and retries) an active job after this long whatever its lease says. */
export const EXPIRE_SECONDS = 6 * 3600;

export interface IngestJobData {
  /** Path as given (format hint, messages). */
  name: string;
  /** Absolute path: document_locations.location. */
  location: string;
  kind: 'file';
  size: number;
  /** sha256 of the bytes, for status lines. */
  sha256: string;
}

export interface BossOptions {
  /** Run pg-boss maintenance (expiry, archiving) from this process. Workers do; the enqueuer and status don't. */
  supervise?: boolean;
}

export async function startBoss(url: string, options: BossOptions = {}): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    schema: BOSS_SCHEMA,
    max: 3,
    application_name: 'ogi pg-boss',
    supervise: options.supervise ?? false,
    schedule: false,
    migrate: true,
    maintenanceIntervalSeconds: 60,
  });
  boss.on('error', (e: Error) => process.stderr.write(`ogi: queue: ${e.message}\n`));
  await boss.start();
  await ensureQueue(boss, INGEST_QUEUE, { policy: 'standard' });
  await ensureQueue(boss, FINISH_QUEUE, { policy: 'stately' });
  await ensureQueue(boss, CRAWL_QUEUE, { policy: 'stately' });
  return boss;
}

async function ensureQueue(boss: PgBoss, name: string, options: { policy: PgBoss.QueuePolicy }): Promise<void> {
  if (await boss.getQueue(name)) return;
  try {
    await boss.createQueue(name, {
      name,
      policy: options.policy,
      retryLimit: RETRY_LIMIT,
      retryDelay: 2,
      retryBackoff: true,
      expireInSeconds: EXPIRE_SECONDS,
    });
  } catch (e) {
    // Another process created it between the check and here.
    if (!(await boss.getQueue(name))) throw e;
  }
}

/** Runs pg-boss statements on a connection the caller holds (to send jobs inside its transaction). */
export function onClient(c: { query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> }): PgBoss.Db {
  return { executeSql: async (text, values) => ({ rows: (await c.query(text, values)).rows }) };
}
