/**
 * Numbered, plain-SQL migrations, one file each. `PRAGMA user_version` holds the
 * last one applied. Never edit a migration that has shipped: add the next number.
 */
import { migration001 } from './001-core.js';
import { migration002 } from './002-crawl.js';
import { migration003 } from './003-messages.js';
import { migration004 } from './004-crawl-hosts.js';
import { migration005 } from './005-review.js';
import { migration006 } from './006-content-index.js';
import { migration007 } from './007-classification.js';
import { migration008 } from './008-text-pending.js';
import type { Migration } from './types.js';

export type { Migration } from './types.js';

export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
];
