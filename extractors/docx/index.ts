import { ExtractError, type Extractor } from '../../src/extract/types.js';

// Placeholder until the docx backend lands: every document is recorded as unsupported.
export const extractor: Extractor = {
  format: 'docx',
  async extract() {
    throw new ExtractError('unsupported-format', 'the docx extractor is not built yet');
  },
};
