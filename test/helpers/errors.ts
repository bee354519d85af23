import { ExtractError } from '../../src/contract/extractor.js';

/** The ExtractError code a read ends with, or 'no error'. Any other exception fails the test. */
export async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ExtractError) return e.code;
    throw e;
  }
  return 'no error';
}
