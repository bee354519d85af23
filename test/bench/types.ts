/**
 * What optional bench modules return (test/bench/pdf.ts → benchPdf(files),
 * docx.ts → benchDocx(files), crawl.ts → benchCrawl()). run.ts prints any
 * object or array of objects; these are the fields it knows how to lay out.
 */
export interface BenchRow {
  /** e.g. 'ogi pdf', 'pdf.js raw', 'crawl'. */
  name: string;
  docs?: number;
  /** Pages for PDF or crawl rows. */
  pages?: number;
  seconds?: number;
  docsPerSec?: number;
  pagesPerSec?: number;
  peakRssMb?: number;
  /** A stated target, e.g. '≥ 50 docs/s'. */
  target?: string;
  pass?: boolean;
  note?: string;
}
