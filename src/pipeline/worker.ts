/**
 * A worker thread that reads documents. Runs the same processBytes as the main
 * thread; the pool can kill it when a document takes too long, which no
 * in-process timeout could do to synchronous parsing.
 *
 * With a database path, the worker also stores what it read, on its own
 * connection: shipping ~200 fields back to the main thread and writing them
 * there cost more than the writing itself, and left one core idle.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, type DB } from '../store/db.js';
import { storeProcessed } from './ingest.js';
import { processInline } from './pool.js';
import type { WorkerData, WorkerJob, WorkerResult } from './pool.js';

const data = workerData as WorkerData;
/** 1 while this worker is inside a database transaction: the pool must not kill it then. */
const busy = new Int32Array(data.busy);
let db: DB | undefined;

parentPort!.on('message', async (job: WorkerJob) => {
  let result: WorkerResult;
  try {
    const input = { bytes: new Uint8Array(job.bytes), name: job.name, contentType: job.contentType };
    const out = await processInline(input, job.options);
    if (data.dbPath && job.store) {
      db ??= openDatabase(data.dbPath);
      Atomics.store(busy, 0, 1);
      try {
        result = { id: job.id, stored: storeProcessed(db, { ...input, ...job.store }, out) };
      } finally {
        Atomics.store(busy, 0, 0);
      }
    } else {
      result = { id: job.id, out };
    }
  } catch (e) {
    // processBytes never throws; a database error can. The pool always hears back.
    result = { id: job.id, error: (e as Error)?.message ?? String(e) };
  }
  parentPort!.postMessage(result);
});
