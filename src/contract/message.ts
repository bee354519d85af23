/**
 * A diagnostic, shaped like a vfile message: a stable code (the rule id),
 * a sentence for people, the stage that raised it and the place it applies
 * to. Tools that print, filter or store messages never need to know which
 * stage raised them.
 */
import type { SourceLocation } from '../model.js';

export interface Message {
  /** Stable code, documented in the README; scripts filter on it. */
  code: string;
  message: string;
  /** The stage that raised it, e.g. 'extract:pdf', 'mapping:table3'. */
  source?: string;
  /** Where in the document it applies, when known (a table row, a page). */
  place?: SourceLocation;
}
