/** A long, valid PDF (Latin text on many pages): reading it takes seconds, so a stop or a time limit lands in the middle. */
import { text, writePdf } from '../generate/pdf-writer.js';

export function slowPdf(pages = 300, tag = ''): Buffer {
  return writePdf(
    Array.from({ length: pages }, (_, p) => {
      let c = '';
      for (let i = 0; i < 60; i++) c += text(40, 800 - i * 12, 9, `${tag} page ${p} line ${i}: 12 34 56 78 90 lorem ipsum dolor sit amet`);
      return { content: c };
    }),
    `slow ${tag}`,
  );
}
