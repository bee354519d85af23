import { openStore as open, StoreError, type OpenStoreOptions } from '../store/open.js';
import type { DocumentStore } from '../store/store.js';
import { CliError } from './exit.js';

/** What `--db` says in every command's help. */
export const DB_OPTION_HELP = 'database: a SQLite file, or a postgres://user@host/db URL';

/** Opens the store for a command; a store that cannot be used ends the command with exit code 1. */
export async function openStore(spec: string, options: OpenStoreOptions = {}): Promise<DocumentStore> {
  try {
    return await open(spec, options);
  } catch (e) {
    if (e instanceof StoreError) throw new CliError(e.message);
    throw e;
  }
}
