/**
 * `ogi ingest PATH… --db postgres://… --queue`: one ingest job per file. The
 * file's bytes go into the inbox in the same transaction as its job, a batch
 * of files per transaction, so a job never exists without its bytes and an
 * interrupted enqueue leaves whole batches only.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type PgBoss from 'pg-boss';
import { sha256Hex } from '../pipeline/process.js';
import { createPool, inTransaction } from '../store/pg/db.js';
import { INGEST_QUEUE, onClient, startBoss, type IngestJobData } from './boss.js';
import { ensureInbox, putBytes } from './inbox.js';

export interface EnqueueStats {
  files: number;
  enqueued: number;
  unreadable: number;
  bytes: number;
}

export interface EnqueueOptions {
  onUnreadable?: (file: string, reason: string) => void;
  onProgress?: (done: number) => void;
  signal?: AbortSignal;
}

/** Files and bytes per transaction: bounded memory, few round trips. */
const BATCH_FILES = 100;
const BATCH_BYTES = 32 * 1024 * 1024;

export async function enqueueFiles(url: string, files: readonly string[], options: EnqueueOptions = {}): Promise<EnqueueStats> {
  const stats: EnqueueStats = { files: files.length, enqueued: 0, unreadable: 0, bytes: 0 };
  const pool = createPool(url, { max: 1, applicationName: 'ogi ingest --queue' });
  let boss: PgBoss | undefined;
  try {
    const c = await pool.connect();
    try {
      await ensureInbox(c);
    } finally {
      c.release();
    }
    boss = await startBoss(url);
    const b = boss;
    let ids: string[] = [];
    let bytes: Uint8Array[] = [];
    let jobs: PgBoss.JobInsert<IngestJobData>[] = [];
    let size = 0;
    const flush = async () => {
      if (!jobs.length) return;
      await inTransaction(pool, async (tx) => {
        await putBytes(tx, ids, bytes);
        await b.insert(jobs, { db: onClient(tx) });
      });
      stats.enqueued += jobs.length;
      options.onProgress?.(stats.enqueued + stats.unreadable);
      ids = [];
      bytes = [];
      jobs = [];
      size = 0;
    };
    for (const file of files) {
      if (options.signal?.aborted) break;
      let data: Buffer;
      try {
        data = readFileSync(file);
      } catch (e) {
        stats.unreadable++;
        options.onUnreadable?.(file, (e as Error).message);
        continue;
      }
      const id = randomUUID();
      ids.push(id);
      bytes.push(data);
      jobs.push({
        id,
        name: INGEST_QUEUE,
        data: { name: file, location: resolve(file), kind: 'file', size: data.length, sha256: sha256Hex(data) },
      });
      size += data.length;
      stats.bytes += data.length;
      if (jobs.length >= BATCH_FILES || size >= BATCH_BYTES) await flush();
    }
    await flush();
    return stats;
  } finally {
    await boss?.stop({ graceful: false, wait: true }).catch(() => {});
    await pool.end().catch(() => {});
  }
}
