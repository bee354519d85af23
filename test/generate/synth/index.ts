/**
 * Report synthesizer: known values rendered as realistic 政府信息公开工作年度报告
 * in several HTML and text layouts. Pure functions, no I/O.
 *
 *   const r = randomReport(42);
 *   const { bytes, name } = renderHtml(r, 'word-export');
 *   expectedFields(r)   // what a correct reader must report
 *   breakIdentity(r, 't3-balance', 7)  // a report with exactly-known findings
 */
export * from './types.js';
export {
  randomReport,
  breakIdentity,
  checkIdentities,
  expectedFields,
  expectedValue,
  printedValue,
  formatNumber,
  reportSeed,
} from './values.js';
export type { RandomReportOptions, Scale } from './values.js';
export { renderHtml } from './html.js';
export { renderText, renderRunTogether, SPACES_BLANK } from './text.js';
export {
  reportKeys,
  t2Blocks,
  t3Rows,
  t4Keys,
  usesSingleOther,
  T3_APPLICANTS,
  T3_COLUMNS,
  T4_GROUPS,
  T4_PARTS,
  SECTION_HEADINGS,
} from './form.js';
export { typoSet } from './tables.js';
export { reportTitle, periodSentence } from './narrative.js';
export { withStatements, plantContradiction } from './statements.js';
export type { PlantedContradiction } from './statements.js';
export { reportSeries, chainCarryover, plantCarryoverBreak, plantCopy, carryoverTruth } from './series.js';
export type { SeriesOptions } from './series.js';
