/**
 * A worker thread of `ogi review --out`: builds one shard of the report and
 * agency pages with its own read-only connection to the database, and posts
 * back what it wrote (SQLite or PostgreSQL alike). The main thread builds shard 0 and the index.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildShard, type Shard, type SitePlan } from '../review/site.js';
import { openStore } from '../store/open.js';

interface Job {
  db: string;
  outDir: string;
  plan: SitePlan;
  shard: Shard;
  documents: boolean;
}

const job = workerData as Job;
const store = await openStore(job.db, { readonly: true });
try {
  const stats = await buildShard(store, job.outDir, job.plan, job.shard, { documents: job.documents });
  parentPort!.postMessage(stats);
} finally {
  await store.close();
}
