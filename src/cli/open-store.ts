import { existsSync } from 'node:fs';
import { openDatabase, StoreError, type DB } from '../store/db.js';
import { CliError } from './exit.js';

/** Opens the database for a command; a database that cannot be used ends the command with exit code 1. */
export function openStore(path: string, options: { readonly?: boolean } = {}): DB {
  if (options.readonly && !existsSync(path)) {
    throw new CliError(`no database at ${path}: run \`ogi ingest\` first, or pass --db PATH`);
  }
  try {
    return openDatabase(path, options);
  } catch (e) {
    if (e instanceof StoreError) throw new CliError(e.message);
    throw e;
  }
}
