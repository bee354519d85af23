/** Abort handling: checks between steps, and a race so a slow pdf.js call cannot hold an aborted extraction. */
import { abortError } from '../../src/contract/extractor.js';

/** Settles with `p`, or rejects as soon as the signal fires (then runs `onAbort`, e.g. to destroy pdf.js work). */
export function raceAbort<T>(p: Promise<T>, signal: AbortSignal | undefined, name: string, onAbort?: () => void): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort?.();
      reject(abortError(name));
    };
    if (signal.aborted) {
      p.catch(() => undefined);
      return abort();
    }
    signal.addEventListener('abort', abort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', abort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', abort);
        reject(e);
      },
    );
  });
}
