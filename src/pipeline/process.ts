/**
 * Bytes → ExtractedDocument: sniff, extract, map, validate. Never throws: any
 * failure becomes an entry in `errors` with a stable code, so one bad file
 * never stops a batch.
 */
import { createHash } from 'node:crypto';
import type { DocumentModel, Format, Message } from '../model.js';
import { ExtractError, type ExtractOptions } from '../contract/extractor.js';
import { limitsOf, overLimit } from '../contract/limits.js';
import { getExtractor } from '../extract/registry.js';
import { describeZip, formatFromName, sniff } from '../extract/sniff.js';
import { mapDocument } from '../mapping/map-document.js';
import { validateReport } from '../validate/rules.js';
import { textVsTable } from '../validate/text-vs-table.js';
import { PIPELINE_VERSION } from '../version.js';
import type { ExtractedDocument } from '../contract/document.js';

export interface ProcessInput {
  bytes: Uint8Array;
  /** Path or URL, used in messages and as `file` in the output. */
  name: string;
  contentType?: string;
  /** Referenced files (page images), when the source supplied them. */
  resources?: ReadonlyMap<string, Uint8Array>;
}

export interface ProcessOptions extends ExtractOptions {}

export interface Processed {
  doc: ExtractedDocument;
  /** The document model, when extraction succeeded (for text indexing and debugging). */
  model?: DocumentModel;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function emptyResult(input: ProcessInput, sha256: string, format: Format | null): ExtractedDocument {
  return {
    file: input.name,
    sha256,
    format,
    size: input.bytes.length,
    report: null,
    fields: {},
    findings: [],
    errors: [],
    warnings: [],
    extractor: null,
    pipeline_version: PIPELINE_VERSION,
  };
}

/** Decides the format to extract with, or the error that stops extraction. */
export function resolveFormat(bytes: Uint8Array, name: string): { format: Format | null; error?: Message; warning?: Message } {
  const byName = formatFromName(name);
  const sniffed = sniff(bytes);
  switch (sniffed) {
    case 'empty':
      return { format: byName ?? null, error: { code: 'empty-file', message: 'the file is empty or blank' } };
    case 'binary':
      return {
        format: byName ?? null,
        error: { code: 'binary-content', message: `the content is binary data, not ${byName ?? 'a known document format'}` },
      };
    case 'zip':
      return {
        format: byName ?? null,
        error: { code: 'unsupported-format', message: `${describeZip(bytes).what}, not a Word document (no word/document.xml)` },
      };
  }
  if (byName && byName !== sniffed) {
    // Text and HTML blur: a .txt holding markup is still read as text unless it looks like a page.
    if (byName === 'txt' && sniffed === 'html') return { format: 'html' };
    return {
      format: sniffed,
      warning: { code: 'format-mismatch', message: `named as ${byName} but the content is ${sniffed}; read as ${sniffed}` },
    };
  }
  return { format: sniffed };
}

/** Messages keep the stage that raised them (vfile's `source`). */
function from(source: string, messages: readonly Message[]): Message[] {
  return messages.map((m) => (m.source ? m : { ...m, source }));
}

export async function processBytes(input: ProcessInput, options: ProcessOptions = {}): Promise<Processed> {
  const sha256 = sha256Hex(input.bytes);
  const limits = limitsOf(options);
  if (input.bytes.length > limits.fileBytes) {
    const doc = emptyResult(input, sha256, formatFromName(input.name) ?? null);
    const over = overLimit('file-too-large', 'fileBytes', limits, `the file has ${input.bytes.length.toLocaleString('en')} bytes`);
    doc.errors.push({ code: over.code, message: over.message, source: 'pipeline' });
    return { doc };
  }
  const { format, error, warning } = resolveFormat(input.bytes, input.name);
  const doc = emptyResult(input, sha256, format);
  if (warning) doc.errors.push(...from('pipeline', [warning]));
  if (error || !format) {
    doc.errors.push(...from('pipeline', [error ?? { code: 'unsupported-format', message: 'unknown document format' }]));
    return { doc };
  }

  const stage = `extract:${format}`;
  let model: DocumentModel;
  try {
    const extractor = await getExtractor(format);
    model = await extractor.extract(
      { bytes: input.bytes, name: input.name, contentType: input.contentType, resources: input.resources },
      options,
    );
  } catch (e) {
    if (e instanceof ExtractError) doc.errors.push({ code: e.code, message: e.message, source: stage });
    else
      doc.errors.push({
        code: 'extract-failed',
        message: `unexpected ${(e as Error)?.name ?? 'error'} while reading: ${(e as Error)?.message ?? String(e)}`,
        source: stage,
      });
    return { doc };
  }
  doc.extractor = model.meta.extractor;
  if (model.meta.encoding) doc.encoding = model.meta.encoding;
  if (model.meta.pages !== undefined) doc.pages = model.meta.pages;
  doc.warnings.push(...from(stage, model.meta.warnings));

  try {
    const mapped = mapDocument(model);
    doc.classification = mapped.classification;
    // Only a report gets a report, fields and findings: a notice's or a 法治政府 report's small table is not the form.
    if (mapped.classification.kind === 'report') {
      doc.report = mapped.report;
      doc.fields = mapped.fields;
      doc.warnings.push(...from('mapping', mapped.warnings));
      // Identities first: they lower the confidence of unsure operands, which the text check then leaves alone.
      doc.findings = validateReport(doc.fields);
      doc.findings.push(...textVsTable(model, doc.fields, doc.report));
    }
  } catch (e) {
    doc.errors.push({
      code: 'mapping-failed',
      message: `unexpected error while mapping: ${(e as Error)?.message ?? String(e)}`,
      source: 'mapping',
    });
  }
  return { doc, model };
}
