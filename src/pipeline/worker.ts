/**
 * The task a pool worker runs: read one document and return the result.
 * Workers never touch the database; the service's single writer stores what
 * they return.
 *
 * Cancelling is cooperative first: the pool raises `cancel` (an AbortSignal
 * cannot cross threads), this task aborts its extractor, which stops at its
 * next checkpoint and kills any child process it started (LibreOffice, OCR).
 * A read stuck in synchronous code never looks; the pool terminates that
 * worker after a grace period.
 */
import type { ProcessOptions } from './process.js';
import { ReadControl } from './read-control.js';
import { readDocument, type ReadOutput } from './read.js';

export interface WorkerTask {
  bytes: Uint8Array;
  name: string;
  contentType?: string;
  resources?: [string, Uint8Array][];
  options: ProcessOptions;
  /** The read's ReadControl buffer: the pool's cancel flag, the extra time asked for. */
  control: SharedArrayBuffer;
}

const CANCEL_POLL_MS = 20;

export default async function readTask(task: WorkerTask): Promise<ReadOutput> {
  const control = new ReadControl(task.control);
  const ac = new AbortController();
  const check = () => {
    if (control.cancelled) ac.abort(new Error('cancelled'));
  };
  // A read cancelled while it waited in the queue ends at once.
  check();
  const poll = setInterval(check, CANCEL_POLL_MS);
  try {
    return await readDocument(
      {
        bytes: task.bytes,
        name: task.name,
        contentType: task.contentType,
        resources: task.resources ? new Map(task.resources) : undefined,
      },
      { ...task.options, signal: ac.signal, extendTime: (ms) => control.extend(ms) },
    );
  } finally {
    clearInterval(poll);
  }
}
