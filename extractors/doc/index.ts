import { ExtractError, type Extractor } from '../../src/extract/types.js';

// Placeholder until the doc backend lands: every document is recorded as unsupported.
export const extractor: Extractor = {
  format: 'doc',
  async extract() {
    throw new ExtractError('unsupported-format', 'the doc extractor is not built yet');
  },
};
