/**
 * Just enough of the OLE2 compound-file format to list stream names, so a
 * truncated file, a non-Word OLE file and an encrypted Office file are told
 * apart before any converter runs.
 */
import { ExtractError } from '../../src/contract/extractor.js';

const SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const END_OF_CHAIN = 0xfffffffe;
const MAX_SECTORS = 1 << 22;

export function isOle(bytes: Uint8Array): boolean {
  return bytes.length >= 512 && SIGNATURE.every((b, i) => bytes[i] === b);
}

const corrupt = (why: string) => new ExtractError('doc-corrupt', `the Word 97-2003 file is damaged: ${why}`);

/** Names of the entries in the compound file's directory. Throws doc-corrupt when the structure is cut or broken. */
export function oleEntryNames(b: Uint8Array): string[] {
  if (!isOle(b)) throw corrupt('no OLE2 compound-file header');
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const shift = view.getUint16(0x1e, true);
  if (shift !== 9 && shift !== 12) throw corrupt(`sector size 2^${shift} is not valid`);
  const size = 1 << shift;
  const sectorAt = (sid: number) => {
    const off = (sid + 1) * size;
    if (off + size > b.length) throw corrupt(`sector ${sid} lies past the end of the file (truncated or damaged)`);
    return off;
  };

  // FAT sector ids: 109 in the header, the rest in a chain of DIFAT sectors.
  const fatCount = view.getUint32(0x2c, true);
  if (fatCount > MAX_SECTORS) throw corrupt('absurd FAT size');
  const fatSectors: number[] = [];
  for (let i = 0; i < 109 && fatSectors.length < fatCount; i++) fatSectors.push(view.getUint32(0x4c + i * 4, true));
  let difat = view.getUint32(0x44, true);
  for (let guard = 0; fatSectors.length < fatCount && difat !== END_OF_CHAIN && guard < MAX_SECTORS; guard++) {
    const off = sectorAt(difat);
    for (let i = 0; i < size / 4 - 1 && fatSectors.length < fatCount; i++) fatSectors.push(view.getUint32(off + i * 4, true));
    difat = view.getUint32(off + size - 4, true);
  }
  const next = (sid: number) => {
    const per = size / 4;
    const fs = fatSectors[Math.floor(sid / per)];
    if (fs === undefined) throw corrupt(`sector ${sid} is not in the FAT`);
    return view.getUint32(sectorAt(fs) + (sid % per) * 4, true);
  };

  const names: string[] = [];
  const seen = new Set<number>();
  for (let sid = view.getUint32(0x30, true); sid !== END_OF_CHAIN; sid = next(sid)) {
    if (seen.has(sid) || seen.size > MAX_SECTORS) throw corrupt('the directory chain loops');
    seen.add(sid);
    const off = sectorAt(sid);
    for (let e = off; e < off + size; e += 128) {
      const len = view.getUint16(e + 0x40, true);
      const type = b[e + 0x42];
      if (type === 0 || len < 2 || len > 64) continue;
      names.push(Buffer.from(b.buffer, b.byteOffset + e, len - 2).toString('utf16le'));
    }
  }
  return names;
}
