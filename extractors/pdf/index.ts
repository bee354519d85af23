import { ExtractError, type Extractor } from '../../src/extract/types.js';

// Placeholder until the pdf backend lands: every document is recorded as unsupported.
export const extractor: Extractor = {
  format: 'pdf',
  async extract() {
    throw new ExtractError('unsupported-format', 'the pdf extractor is not built yet');
  },
};
