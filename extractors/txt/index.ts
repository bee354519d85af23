import { ExtractError, type Extractor } from '../../src/extract/types.js';

// Placeholder until the txt backend lands: every document is recorded as unsupported.
export const extractor: Extractor = {
  format: 'txt',
  async extract() {
    throw new ExtractError('unsupported-format', 'the txt extractor is not built yet');
  },
};
