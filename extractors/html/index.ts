import { ExtractError, type Extractor } from '../../src/extract/types.js';

// Placeholder until the html backend lands: every document is recorded as unsupported.
export const extractor: Extractor = {
  format: 'html',
  async extract() {
    throw new ExtractError('unsupported-format', 'the html extractor is not built yet');
  },
};
