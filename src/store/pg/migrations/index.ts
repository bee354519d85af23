/**
 * The PostgreSQL migrations: one per SQLite migration, with the same number
 * and meaning (test/store/pg-migrations.test.ts checks both lists match and
 * pins each shipped file's hash). The table ogi_schema holds the last one applied.
 */
import { pgMigration001 } from './001-core.js';
import { pgMigration002 } from './002-crawl.js';
import { pgMigration003 } from './003-messages.js';
import { pgMigration004 } from './004-crawl-hosts.js';
import { pgMigration005 } from './005-review.js';
import { pgMigration006 } from './006-content-index.js';
import { pgMigration007 } from './007-classification.js';
import { pgMigration008 } from './008-text-pending.js';
import type { Migration } from './types.js';

export const PG_MIGRATIONS: readonly Migration[] = [
  pgMigration001,
  pgMigration002,
  pgMigration003,
  pgMigration004,
  pgMigration005,
  pgMigration006,
  pgMigration007,
  pgMigration008,
];
