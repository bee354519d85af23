/**
 * The task a pool worker runs: read one document and return the result.
 * Workers never touch the database; the service's single writer stores what
 * they return. A worker the pool terminates (time limit, stop) or that runs
 * out of memory takes nothing with it.
 */
import type { ProcessOptions } from './process.js';
import { readDocument, type ReadOutput } from './read.js';

export interface WorkerTask {
  bytes: Uint8Array;
  name: string;
  contentType?: string;
  resources?: [string, Uint8Array][];
  options: ProcessOptions;
}

export default async function readTask(task: WorkerTask): Promise<ReadOutput> {
  return readDocument(
    {
      bytes: task.bytes,
      name: task.name,
      contentType: task.contentType,
      resources: task.resources ? new Map(task.resources) : undefined,
    },
    task.options,
  );
}
