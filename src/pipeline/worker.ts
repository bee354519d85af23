/**
 * A worker thread that turns bytes into an ExtractedDocument. Runs the same
 * processBytes as the main thread; the pool can kill it when a document takes
 * too long, which no in-process timeout could do to synchronous parsing.
 */
import { parentPort } from 'node:worker_threads';
import { documentText } from '../model.js';
import { processBytes } from './process.js';
import type { WorkerJob, WorkerResult } from './pool.js';

parentPort!.on('message', async (job: WorkerJob) => {
  let result: WorkerResult;
  try {
    const { doc, model } = await processBytes(
      { bytes: new Uint8Array(job.bytes), name: job.name, contentType: job.contentType },
      job.options,
    );
    result = { id: job.id, doc, text: model ? { title: doc.report?.title ?? model.meta.title ?? '', body: documentText(model) } : null };
  } catch (e) {
    // processBytes never throws; this is a last resort so the pool always hears back.
    result = { id: job.id, error: (e as Error)?.message ?? String(e) };
  }
  parentPort!.postMessage(result);
});
