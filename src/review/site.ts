/**
 * `ogi review --out DIR`: a static review site that opens from file:// with
 * no server and no network (zip the folder and mail it).
 *
 *   index.html        agencies × years with finding counts, filters, search, findings list
 *   r/ID.html          one page per report: the three tables as the national form,
 *                      findings with their evidence, previous/next year
 *   a/N.html           one page per agency: its years side by side, changes marked
 *   data/index.js      the index data (a <script src>: file:// forbids fetch())
 *   data/form.js       the form layouts
 *   assets/            review.js (renders every page), review.css
 *   docs/SHA.EXT       the source documents as kept in the store
 *   ev/                page-image crops of scanned reports
 *
 * The data of each page is inlined into it, so pages load without requests.
 * Everything is read through DocumentStore: no SQL here.
 */
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DocumentMessageRow, DocumentStore, FieldRow, FindingRow, ReportRow } from '../store/store.js';
import { EvidenceBuilder, type EvidenceDocument, type EvidenceItem } from './evidence.js';
import { formLayouts } from './form-layout.js';
import { evidenceLocation, describeSource } from './locate.js';

export interface SiteOptions {
  /** Copy the source documents into docs/ (default true). */
  documents?: boolean;
  log?: (line: string) => void;
}

export interface SiteStats {
  reports: number;
  findings: number;
  agencies: number;
  documents: number;
  evidence: number;
}

const UNKNOWN_AGENCY = '（未识别机关）';
/** Columns of the comparison page of reports whose agency was not recognised. */
const MAX_UNKNOWN_COMPARED = 40;

/** JSON text made safe inside a script tag: `</script>` and friends cannot end it early. */
function escapeScript(json: string): string {
  return json
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A script tag's JSON. */
export function scriptJson(value: unknown): string {
  return escapeScript(JSON.stringify(value));
}

/** Where a report's fields go in its page data (filled in as JSON text). */
const FIELDS_SLOT = '\u0000fields\u0000';

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The folder of the browser assets: next to this file in the sources, or in src/ when running the compiled build. */
function assetsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'assets'), join(here, '..', '..', '..', 'src', 'review', 'assets')];
  const found = candidates.find((d) => existsSync(join(d, 'review.js')));
  if (!found) throw new Error(`review site assets not found (looked in ${candidates.join(', ')})`);
  return found;
}

function page(kind: string, title: string, depth: number, data: string | null, scripts: string[]): string {
  const up = depth ? '../'.repeat(depth) : '';
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="stylesheet" href="${up}assets/review.css"></head>
<body data-page="${kind}" data-root="${up}"><div id="app"><p class="loading">${escapeHtml(title)}</p>
<noscript><p>This page is drawn by JavaScript (assets/review.js); please allow scripts for local files.</p></noscript></div>
${scripts.map((s) => `<script src="${up}${s}"></script>`).join('\n')}
${data !== null ? `<script>${data}</script>` : ''}
<script src="${up}assets/review.js"></script>
</body></html>
`;
}

const EXT: Record<string, string> = { html: '.html', pdf: '.pdf', docx: '.docx', doc: '.doc', txt: '.txt' };

/** The name a document gets inside the site: its sha256 and an extension browsers open. */
function docFileName(r: ReportRow): string {
  const fromName = r.file ? extname(r.file.replace(/[?#].*$/, '')).toLowerCase() : '';
  const ext = /^\.(html?|pdf|docx?|txt|md|wps)$/.test(fromName) ? fromName : (EXT[r.format ?? ''] ?? '.bin');
  return `docs/${r.sha256}${ext}`;
}

interface AgencyEntry {
  index: number;
  name: string;
  reports: ReportRow[];
}

/** Report → previous and next report of the same agency (by year; the latest report of a year stands for it). */
function neighbours(agency: AgencyEntry): Map<number, { prev?: ReportRow; next?: ReportRow; sameYear: ReportRow[] }> {
  const byYear = new Map<number, ReportRow>();
  for (const r of agency.reports) if (r.year !== null) byYear.set(r.year, r); // sorted by id: the last one wins
  const years = [...byYear.keys()].sort((a, b) => a - b);
  const out = new Map<number, { prev?: ReportRow; next?: ReportRow; sameYear: ReportRow[] }>();
  for (const r of agency.reports) {
    const i = r.year === null ? -1 : years.indexOf(r.year);
    out.set(r.report_id, {
      prev: i > 0 ? byYear.get(years[i - 1]) : undefined,
      next: i >= 0 && i < years.length - 1 ? byYear.get(years[i + 1]) : undefined,
      sameYear: agency.reports.filter((o) => o.year === r.year && o.report_id !== r.report_id),
    });
  }
  return out;
}

/**
 * A report's fields as the page carries them, key → [value, raw, confidence, flags, source],
 * built from the stored JSON text without parsing it (the biggest part of every page).
 */
function pageFieldsJson(rows: FieldRow[]): string {
  const parts = rows.map(
    (r) =>
      `${JSON.stringify(r.key)}:[${r.value === null ? 'null' : r.value},${JSON.stringify(r.raw)},${r.confidence},${r.flags},${r.source}]`,
  );
  return `{${parts.join(',')}}`;
}

/** Writes files with a few in flight at once: thousands of small pages, the disk stays busy, memory stays flat. */
class Writer {
  private readonly inFlight = new Set<Promise<void>>();
  constructor(private readonly limit = 16) {}
  async write(path: string, data: string | Uint8Array): Promise<void> {
    while (this.inFlight.size >= this.limit) await Promise.race(this.inFlight);
    const p: Promise<void> = writeFile(path, data).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }
  async drain(): Promise<void> {
    await Promise.all(this.inFlight);
  }
}

function reportLabel(r: ReportRow | undefined): string {
  return r ? `${r.agency ?? UNKNOWN_AGENCY} ${r.year ?? '?'}` : '';
}

/** What every part of a build needs: the reports and findings, listed once (plain data: it crosses to worker threads). */
export interface SitePlan {
  source: string;
  reports: ReportRow[];
  findings: FindingRow[];
}

/** One part of the pages: the agencies whose index is `index` modulo `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** Agencies in name order (their index names their page), with their reports, and the findings by report. */
function organise(plan: SitePlan) {
  const byId = new Map(plan.reports.map((r) => [r.report_id, r]));
  const findingsOf = new Map<number, FindingRow[]>();
  for (const f of plan.findings) {
    const list = findingsOf.get(f.reportId) ?? [];
    list.push(f);
    findingsOf.set(f.reportId, list);
  }
  const agencies = new Map<string, AgencyEntry>();
  for (const r of plan.reports) {
    const name = r.agency ?? UNKNOWN_AGENCY;
    let a = agencies.get(name);
    if (!a) agencies.set(name, (a = { index: 0, name, reports: [] }));
    a.reports.push(r);
  }
  const agencyList = [...agencies.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  agencyList.forEach((a, i) => (a.index = i));
  return { byId, findingsOf, agencies, agencyList };
}

const MARKER = 'README.txt';
const MARKER_TEXT = 'ogi review site';

/** Thrown when --out names a folder that holds something else: a build replaces its subfolders. */
export class SiteFolderError extends Error {}

/** A build may write into an empty or missing folder, or over an earlier build; never over anything else. */
export function checkSiteFolder(outDir: string): void {
  if (!existsSync(outDir)) return;
  const entries = readdirSync(outDir);
  if (!entries.length) return;
  const marker = join(outDir, MARKER);
  if (existsSync(marker) && readFileSync(marker, 'utf8').startsWith(MARKER_TEXT)) return;
  throw new SiteFolderError(
    `${outDir} is not empty and holds no earlier review site (${entries.slice(0, 3).join(', ')}…): choose an empty or new folder`,
  );
}

/** Empties the site's folders, copies the assets and lists what the pages need. */
export async function prepareSite(store: DocumentStore, outDir: string): Promise<SitePlan> {
  checkSiteFolder(outDir);
  await mkdir(outDir, { recursive: true });
  // The marker first: a build that stops halfway can be run again over its own leftovers.
  await writeFile(join(outDir, MARKER), `${MARKER_TEXT} (being built)\n`);
  for (const d of ['r', 'a', 'data', 'assets', 'docs', 'ev']) {
    await rm(join(outDir, d), { recursive: true, force: true });
    await mkdir(join(outDir, d), { recursive: true });
  }
  const assets = assetsDir();
  for (const f of ['review.js', 'review.css']) await copyFile(join(assets, f), join(outDir, 'assets', f));
  return { source: store.name, reports: await collect(store.reports()), findings: await store.listFindings() };
}

/** The report and agency pages of one shard, with their evidence and documents. */
export async function buildShard(
  store: DocumentStore,
  outDir: string,
  plan: SitePlan,
  shard: Shard,
  options: SiteOptions = {},
): Promise<Pick<SiteStats, 'documents' | 'evidence'>> {
  const log = options.log ?? (() => undefined);
  const copyDocs = options.documents ?? true;
  const { byId, findingsOf, agencyList } = organise(plan);
  const evidenceDoc = (reportId: number): EvidenceDocument | undefined => {
    const r = byId.get(reportId);
    if (!r) return undefined;
    return {
      reportId,
      documentId: r.document_id,
      sha256: r.sha256,
      format: r.format as EvidenceDocument['format'],
      name: r.file ?? r.sha256,
      label: reportLabel(r),
    };
  };
  const evidence = new EvidenceBuilder({ document: evidenceDoc, bytes: (id) => store.loadBytes(id) }, outDir, `s${shard.index}`);
  const docFile = new Map<number, string | null>();
  const writer = new Writer();
  const stats = { documents: 0, evidence: 0 };

  /** Copies a report's document into docs/ once; null when its bytes were not kept. */
  const documentLink = async (r: ReportRow): Promise<string | null> => {
    if (!copyDocs) return null;
    if (docFile.has(r.document_id)) return docFile.get(r.document_id)!;
    const bytes = await store.loadBytes(r.document_id);
    const name = bytes ? docFileName(r) : null;
    if (bytes && name) {
      await writer.write(join(outDir, name), bytes);
      stats.documents++;
    }
    docFile.set(r.document_id, name);
    return name;
  };

  let done = 0;
  for (const agency of agencyList) {
    if (agency.index % shard.count !== shard.index) continue;
    const near = neighbours(agency);
    const compare: {
      id: number;
      year: number | null;
      template: string;
      fields: Record<string, [number | null, number]>;
      findings: Record<string, number>;
    }[] = [];
    for (const r of agency.reports) {
      const fieldRows = await store.reportFields(r.report_id);
      const messages = await store.documentMessages(r.document_id);
      const own = findingsOf.get(r.report_id) ?? [];
      const items: { row: FindingRow; items: EvidenceItem[] }[] = [];
      for (const f of own) {
        const ev = await evidence.build(f);
        stats.evidence += ev.length;
        items.push({ row: f, items: ev });
      }
      const n = near.get(r.report_id)!;
      const link = await documentLink(r);
      const otherDocs: Record<number, { label: string; doc: string | null }> = {};
      for (const f of own) {
        if (f.otherReportId !== null && byId.has(f.otherReportId)) {
          const o = byId.get(f.otherReportId)!;
          otherDocs[o.report_id] = { label: reportLabel(o), doc: await documentLink(o) };
        }
      }
      await writer.write(join(outDir, 'r', `${r.report_id}.html`), reportPage(r, fieldRows, messages, items, n, agency, link, otherDocs));
      const counts: Record<string, number> = {};
      for (const f of own) counts[f.rule] = (counts[f.rule] ?? 0) + 1;
      // Reports without a recognised agency are not one agency's years: their page only lists them.
      if (agency.name !== UNKNOWN_AGENCY || compare.length < MAX_UNKNOWN_COMPARED)
        compare.push({
          id: r.report_id,
          year: r.year,
          template: r.template,
          fields: Object.fromEntries(fieldRows.map((f) => [f.key, [f.value, f.confidence]])),
          findings: counts,
        });
      if (++done % 1000 === 0) log(`review: ${done} report pages${shard.count > 1 ? ` in part ${shard.index + 1} of ${shard.count}` : ''}`);
    }
    compare.sort((a, b) => (a.year ?? 0) - (b.year ?? 0) || a.id - b.id);
    await writer.write(
      join(outDir, 'a', `${agency.index}.html`),
      page(
        'agency',
        `${agency.name}: years compared`,
        1,
        `window.OGI_AGENCY=${scriptJson({ agency: agency.name, index: agency.index, reports: compare })}`,
        ['data/form.js'],
      ),
    );
  }
  await writer.drain();
  return stats;
}

/** The index (data/index.js, index.html), the form layouts and a README: written once the pages are. */
export async function finishSite(outDir: string, plan: SitePlan): Promise<Pick<SiteStats, 'reports' | 'findings' | 'agencies'>> {
  const { findingsOf, agencies, agencyList } = organise(plan);
  const index = {
    generated: new Date().toISOString(),
    source: plan.source,
    agencies: agencyList.map((a) => a.name),
    reports: plan.reports.map((r) => {
      const own = findingsOf.get(r.report_id) ?? [];
      const n: Record<string, number> = {};
      for (const f of own) n[f.rule] = (n[f.rule] ?? 0) + 1;
      return {
        i: r.report_id,
        a: agencies.get(r.agency ?? UNKNOWN_AGENCY)!.index,
        y: r.year,
        t: r.template,
        f: r.format,
        ti: r.title ?? '',
        n,
      };
    }),
    findings: plan.findings.map((f) => ({
      id: f.id,
      r: f.reportId,
      o: f.otherReportId,
      rule: f.rule,
      s: f.severity,
      m: f.message,
      v: f.review?.decision ?? null,
      nt: f.review?.note ?? null,
    })),
  };
  await writeFile(join(outDir, 'data', 'index.js'), `window.OGI_INDEX=${scriptJson(index)};\n`);
  await writeFile(join(outDir, 'data', 'form.js'), `window.OGI_FORM=${scriptJson(formLayouts())};\n`);
  await writeFile(join(outDir, 'index.html'), page('index', 'ogi review: findings by agency and year', 0, null, ['data/index.js']));
  // A folder of unrelated files is not the site: say what this one is.
  await writeFile(
    join(outDir, MARKER),
    `${MARKER_TEXT}, built ${index.generated} from ${plan.source}.\nOpen index.html in a browser (no server needed). ${plan.reports.length} reports, ${plan.findings.length} findings.\n`,
  );
  return { reports: plan.reports.length, findings: plan.findings.length, agencies: agencyList.length };
}

/**
 * Builds the whole site on this thread. `parts` runs the other shards
 * elsewhere (the CLI's worker threads, each with its own store connection)
 * while this thread builds shard 0.
 */
export async function buildSite(
  store: DocumentStore,
  outDir: string,
  options: SiteOptions & {
    parts?: number;
    runPart?: (plan: SitePlan, shard: Shard) => Promise<Pick<SiteStats, 'documents' | 'evidence'>>;
  } = {},
): Promise<SiteStats> {
  const plan = await prepareSite(store, outDir);
  options.log?.(`review: ${plan.reports.length} reports, ${plan.findings.length} findings`);
  const count = options.runPart ? Math.max(1, options.parts ?? 1) : 1;
  const parts = await Promise.all(
    Array.from({ length: count }, (_, index) =>
      index === 0 ? buildShard(store, outDir, plan, { index, count }, options) : options.runPart!(plan, { index, count }),
    ),
  );
  const head = await finishSite(outDir, plan);
  return { ...head, documents: parts.reduce((a, p) => a + p.documents, 0), evidence: parts.reduce((a, p) => a + p.evidence, 0) };
}

function reportPage(
  r: ReportRow,
  fieldRows: FieldRow[],
  messages: DocumentMessageRow[],
  findings: { row: FindingRow; items: EvidenceItem[] }[],
  near: { prev?: ReportRow; next?: ReportRow; sameYear: ReportRow[] },
  agency: AgencyEntry,
  docLink: string | null,
  others: Record<number, { label: string; doc: string | null }>,
): string {
  const link = (o?: ReportRow) => (o ? { id: o.report_id, year: o.year, label: reportLabel(o) } : null);
  const data = {
    id: r.report_id,
    agency: r.agency ?? UNKNOWN_AGENCY,
    agencyIndex: agency.index,
    year: r.year,
    template: r.template,
    title: r.title,
    format: r.format,
    extractor: r.extractor,
    file: r.file,
    sourceUrl: r.source_url,
    sha256: r.sha256,
    doc: docLink,
    prev: link(near.prev),
    next: link(near.next),
    sameYear: near.sameYear.map((o) => link(o)),
    fields: FIELDS_SLOT,
    others,
    findings: findings.map(({ row: f, items }) => ({
      id: f.id,
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      keys: f.keys,
      expected: f.expected,
      actual: f.actual,
      other: f.otherReportId,
      evidence: f.evidence,
      cells: f.cells.map((c) => ({
        side: c.report,
        key: c.key,
        value: c.value,
        raw: c.raw,
        confidence: c.confidence,
        where: describeSource(c.source),
      })),
      location: evidenceLocation(f),
      review: f.review,
      items,
    })),
    warnings: messages.filter((m) => m.level === 'warning').map((w) => ({ code: w.code, message: w.message })),
    errors: messages.filter((m) => m.level === 'error').map((w) => ({ code: w.code, message: w.message })),
  };
  const json = scriptJson(data).replace(JSON.stringify(FIELDS_SLOT), () => escapeScript(pageFieldsJson(fieldRows)));
  return page('report', `${data.agency} ${r.year ?? ''} · ogi review`, 1, `window.OGI_REPORT=${json}`, ['data/form.js']);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}
