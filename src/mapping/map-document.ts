import type { DocumentModel, Message } from '../model.js';
import type { Field, ReportMeta } from './types.js';

export interface MappedReport {
  report: ReportMeta;
  fields: Record<string, Field>;
  warnings: Message[];
}

// Work in progress: the real mapping replaces this.
export function mapDocument(_model: DocumentModel): MappedReport {
  return { report: { agency: null, year: null, template: 'unknown', title: null }, fields: {}, warnings: [] };
}
