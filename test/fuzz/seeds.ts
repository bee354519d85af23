/**
 * The files the fuzzer mutates: the real reports of corpus/ and the fixtures,
 * every format ogi reads. All of them are in the repository.
 */
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ROOT } from '../helpers/gold.js';

export interface Seed {
  /** Path relative to the repository root. */
  name: string;
  bytes: Uint8Array;
}

/** A few of each format: what the seeded run in `npm test` mutates. */
export const SHORT_SEEDS = [
  'corpus/000_97b5ed2afefa8716.txt',
  'corpus/kewei-2024-source.md',
  'corpus/pingtan_2019_80576_page.txt',
  'corpus/shanghai_office_2019.html',
  'test/fixtures/html/word-export.html',
  'test/fixtures/html/gbk-no-charset.html',
  'test/fixtures/docx/form2021-filled.docx',
  'test/fixtures/docx/form2019.docx',
  'test/fixtures/pdf/ruled-filled.pdf',
  'corpus/hzq2023_working.pdf',
  'test/fixtures/doc/form2021-filled.doc',
];

/** Every seed of the long run. */
export const ALL_SEEDS = [
  ...SHORT_SEEDS,
  'corpus/pingtan_2020_80595_page.txt',
  'corpus/pingtan_2022_80629_page.txt',
  'corpus/pingtan_2014_80791_page.txt',
  'test/fixtures/html/portal-layout.html',
  'test/fixtures/html/trs-portal.html',
  'test/fixtures/html/portal-density.html',
  'test/fixtures/html/grids.html',
  'test/fixtures/html/utf8-wrong-meta.html',
  'test/fixtures/docx/form2021-long.docx',
  'test/fixtures/docx/form2021-single-other.docx',
  'test/fixtures/docx/form2021-t4-error.docx',
  'test/fixtures/pdf/report-5p.pdf',
  'test/fixtures/pdf/split-header.pdf',
  'test/fixtures/pdf/continues.pdf',
  'test/fixtures/pdf/cmap-font.pdf',
  'test/fixtures/pdf-form/form2021-filled.pdf',
  'test/fixtures/pdf/truncated.pdf',
  'test/fixtures/doc/form2019.doc',
];

export function loadSeeds(names: readonly string[]): Seed[] {
  return names.map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(ROOT, name))) }));
}

/** The format a seed is, by its extension (the fuzzer keeps it in the mutated file's name as the hint). */
export function seedExtension(seed: Seed): string {
  return extname(seed.name);
}
