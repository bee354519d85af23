/**
 * Seeded mutations of seed files. A mutation is a small JSON descriptor
 * (positions are taken modulo the file's length when applied), so a failing
 * input can be written down, replayed and shrunk by fast-check.
 *
 * Byte-level: bit flips, truncation, zeroed stretches, deleted and repeated
 * ranges, splices of two files (of any two formats). Structure-level: a
 * chunk between two occurrences of a token that delimits structure (a table
 * row, a cell, a paragraph, a PDF object, a line) repeated or deleted; for
 * .docx inside word/document.xml (re-zipped, so the XML reader is reached
 * rather than the zip's checksum), where bit flips go too.
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';
import fc from 'fast-check';
import type { Seed } from './seeds.js';

export type Mutation =
  | { kind: 'flip'; seed: number; at: number[]; mask: number[] }
  | { kind: 'truncate'; seed: number; at: number }
  | { kind: 'zero'; seed: number; from: number; len: number }
  | { kind: 'delete'; seed: number; from: number; len: number }
  | { kind: 'repeat'; seed: number; from: number; len: number; times: number }
  | { kind: 'splice'; seed: number; other: number; at: number; otherAt: number }
  | { kind: 'structure'; seed: number; token: number; index: number; op: 'repeat' | 'delete'; times: number }
  | { kind: 'xml-flip'; seed: number; at: number[]; mask: number[] };

/** Tokens that delimit structure, by format (the chunk between two occurrences is one unit). */
const TOKENS: Record<string, string[]> = {
  '.html': ['<tr', '<td', '<table', '<p', '<div', '</tr>', '<br'],
  '.txt': ['\n', '\t', '  '],
  '.md': ['\n', '|'],
  '.docx': ['<w:tr', '<w:tc>', '<w:p>', '<w:p ', '<w:tbl>', '<w:r>', '<w:t>'],
  '.pdf': [' obj', 'endstream', '\n', 'BT'],
  '.doc': ['\x00\x00\x00\x00', '\r'],
};

function ext(seed: Seed): string {
  const m = seed.name.match(/\.[a-z]+$/i);
  return m ? m[0].toLowerCase() : '';
}

const u = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length);

/** The chunk from the index-th occurrence of token to the next one (or the end). */
function chunk(bytes: Uint8Array, token: string, index: number): [number, number] | undefined {
  const buf = u(bytes);
  const starts: number[] = [];
  for (let at = buf.indexOf(token, 0, 'latin1'); at >= 0 && starts.length < 5000; at = buf.indexOf(token, at + token.length, 'latin1'))
    starts.push(at);
  if (starts.length === 0) return undefined;
  const i = index % starts.length;
  return [starts[i], starts[i + 1] ?? bytes.length];
}

function structure(bytes: Uint8Array, token: string, index: number, op: 'repeat' | 'delete', times: number): Uint8Array {
  const range = chunk(bytes, token, index);
  if (!range) return bytes;
  const [a, b] = range;
  const piece = bytes.subarray(a, b);
  const middle = op === 'delete' ? [] : Array<Uint8Array>(times + 1).fill(piece);
  return new Uint8Array(Buffer.concat([bytes.subarray(0, a), ...middle, bytes.subarray(b)]));
}

function flip(bytes: Uint8Array, at: number[], mask: number[]): Uint8Array {
  const out = bytes.slice();
  if (!out.length) return out;
  at.forEach((p, i) => (out[p % out.length] ^= mask[i] || 1));
  return out;
}

/** Applies `f` to word/document.xml of a .docx and zips it again; other files unchanged. */
function inDocumentXml(bytes: Uint8Array, f: (xml: Uint8Array) => Uint8Array): Uint8Array {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch {
    return bytes;
  }
  const xml = files['word/document.xml'];
  if (!xml) return bytes;
  const out: Zippable = {};
  for (const [name, data] of Object.entries(files)) out[name] = name === 'word/document.xml' ? f(xml) : data;
  return zipSync(out, { level: 6 });
}

export function applyMutation(m: Mutation, seeds: readonly Seed[]): Uint8Array {
  const seed = seeds[m.seed % seeds.length];
  const b = seed.bytes;
  const n = Math.max(1, b.length);
  switch (m.kind) {
    case 'flip':
      return flip(b, m.at, m.mask);
    case 'truncate':
      return b.slice(0, m.at % n);
    case 'zero': {
      const out = b.slice();
      const from = m.from % n;
      out.fill(0, from, Math.min(b.length, from + m.len));
      return out;
    }
    case 'delete': {
      const from = m.from % n;
      return new Uint8Array(Buffer.concat([b.subarray(0, from), b.subarray(Math.min(b.length, from + m.len))]));
    }
    case 'repeat': {
      const from = m.from % n;
      const piece = b.subarray(from, Math.min(b.length, from + m.len));
      return new Uint8Array(
        Buffer.concat([b.subarray(0, from), ...Array<Uint8Array>(m.times + 1).fill(piece), b.subarray(from + piece.length)]),
      );
    }
    case 'splice': {
      const other = seeds[m.other % seeds.length].bytes;
      return new Uint8Array(Buffer.concat([b.subarray(0, m.at % n), other.subarray(m.otherAt % Math.max(1, other.length))]));
    }
    case 'structure': {
      const e = ext(seed);
      const tokens = TOKENS[e] ?? TOKENS['.txt'];
      const token = tokens[m.token % tokens.length];
      if (e === '.docx') return inDocumentXml(b, (xml) => structure(xml, token, m.index, m.op, m.times));
      return structure(b, token, m.index, m.op, m.times);
    }
    case 'xml-flip':
      if (ext(seed) !== '.docx') return flip(b, m.at, m.mask);
      return inDocumentXml(b, (xml) => flip(xml, m.at, m.mask));
  }
}

/** For splices, the other seed (its values are also the truth for the part that came from it). */
export function otherSeed(m: Mutation, seeds: readonly Seed[]): Seed | undefined {
  return m.kind === 'splice' ? seeds[m.other % seeds.length] : undefined;
}

/** Whether the mutation can make the file print some content twice (oracle rule 5). */
export function duplicates(m: Mutation): boolean {
  return m.kind === 'repeat' || m.kind === 'splice' || (m.kind === 'structure' && m.op === 'repeat');
}

export function mutationSeed(m: Mutation, seeds: readonly Seed[]): Seed {
  return seeds[m.seed % seeds.length];
}

/** Every kind of mutation, with positions anywhere and sizes from a byte to a large stretch. */
export function mutationArbitrary(seedCount: number): fc.Arbitrary<Mutation> {
  const seed = fc.nat({ max: seedCount - 1 });
  const pos = fc.nat({ max: 0x7fffffff });
  const len = fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 17, max: 4096 }), fc.integer({ min: 4097, max: 200_000 }));
  const flips = fc.array(fc.tuple(pos, fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 32 });
  return fc.oneof(
    fc
      .record({ kind: fc.constant('flip' as const), seed, f: flips })
      .map(({ kind, seed, f }) => ({ kind, seed, at: f.map((x) => x[0]), mask: f.map((x) => x[1]) })),
    fc.record({ kind: fc.constant('truncate' as const), seed, at: pos }),
    fc.record({ kind: fc.constant('zero' as const), seed, from: pos, len }),
    fc.record({ kind: fc.constant('delete' as const), seed, from: pos, len }),
    fc.record({ kind: fc.constant('repeat' as const), seed, from: pos, len, times: fc.integer({ min: 1, max: 50 }) }),
    fc.record({ kind: fc.constant('splice' as const), seed, other: seed, at: pos, otherAt: pos }),
    fc.record({
      kind: fc.constant('structure' as const),
      seed,
      token: fc.nat({ max: 6 }),
      index: fc.nat({ max: 5000 }),
      op: fc.constantFrom('repeat' as const, 'delete' as const),
      times: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 4, max: 2000 })),
    }),
    fc
      .record({ kind: fc.constant('xml-flip' as const), seed, f: flips })
      .map(({ kind, seed, f }) => ({ kind, seed, at: f.map((x) => x[0]), mask: f.map((x) => x[1]) })),
  );
}

export function describeMutation(m: Mutation, seeds: readonly Seed[]): string {
  const s = mutationSeed(m, seeds).name;
  return `${m.kind} of ${s}${m.kind === 'splice' ? ` with ${otherSeed(m, seeds)!.name}` : ''}: ${JSON.stringify(m)}`;
}
