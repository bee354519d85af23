/**
 * Document model → report metadata and canonical fields. Knows the templates,
 * nothing about file formats.
 */
import type { DocumentModel, Message } from '../model.js';
import { mapDigitRuns } from './digit-runs.js';
import { solveReadings } from './identity-solver.js';
import { agencyFromTitle, publishingUnit } from './agency.js';
import { classifyDocument } from './classify.js';
import { findTitle, yearFromText, yearFromTitle } from './report-meta.js';
import { rowStream } from './rows.js';
import { splitSections } from './sections.js';
import { mapTable2, type T2Form } from './table2.js';
import { mapTable3 } from './table3.js';
import { mapTable4 } from './table4.js';
import type { Classification, Field, ReportMeta, Template } from '../contract/document.js';

export interface MappedReport {
  /** The report as read; whether the document is one is `classification.kind` (the pipeline stores only reports). */
  report: ReportMeta;
  classification: Classification;
  fields: Record<string, Field>;
  warnings: Message[];
}

/** The first national form was used for the 2019 reports. */
const FIRST_FORM_YEAR = 2019;

function formForYear(year: number | null): T2Form | undefined {
  if (year === null || year < FIRST_FORM_YEAR) return undefined;
  return year >= 2021 ? '2021' : '2019';
}

export function mapDocument(doc: DocumentModel): MappedReport {
  const title = findTitle(doc);
  const year = yearFromTitle(title) ?? yearFromText(doc);
  const warnings: Message[] = [];

  const sections = splitSections(rowStream(doc));
  const t2 = mapTable2(sections.t2, formForYear(year));
  const t3 = mapTable3(sections.t3);
  const t4 = mapTable4(sections.t4);
  let fields: Record<string, Field> = { ...t2.fields, ...t3.fields, ...t4.fields };
  warnings.push(...t2.warnings, ...t3.warnings, ...t4.warnings);

  // Cells run together by a crawler ("行政规范性文件6233440"): split only where one reading is possible.
  let runForm: T2Form | undefined;
  if (Object.keys(fields).length === 0) {
    const runs = mapDigitRuns(doc, formForYear(year));
    fields = runs.fields;
    runForm = runs.form;
    warnings.push(...runs.warnings);
  }

  // Recognised (OCR) values: trusted, corrected or doubted by the form's sums.
  warnings.push(...solveReadings(fields));

  let template: Template;
  const mapped = Object.keys(fields).length > 0;
  if (year !== null && year < FIRST_FORM_YEAR) {
    template = 'legacy';
    if (mapped) {
      warnings.push({
        code: 'legacy-tables-ignored',
        message: `a ${year} report predates the national form; ${Object.keys(fields).length} cell(s) that looked like its tables were not kept`,
      });
      fields = {};
    }
  } else if (!mapped) {
    template = 'unknown';
  } else {
    const form = t2.form ?? runForm;
    if (form) template = form;
    else if (t3.variant === 'triple') template = '2021';
    else template = formForYear(year) ?? (t3.variant === 'single' ? '2019' : 'unknown');
  }
  if (template === 'unknown' && !mapped) {
    warnings.push({ code: 'no-tables', message: 'no table of the national form (tables 2, 3, 4) was found' });
  }
  const classification = classifyDocument(doc, title, fields);
  let agency: string | null = null;
  if (classification.kind === 'report') {
    agency = agencyFromTitle(title) ?? publishingUnit(doc);
    if (!agency) {
      warnings.push({
        code: 'agency-unknown',
        message: title
          ? `the title (${title}) names no agency, and the report names no publishing unit`
          : 'no report title, and the report names no publishing unit',
      });
    }
  }
  return { report: { agency, year, template, title }, classification, fields, warnings };
}
