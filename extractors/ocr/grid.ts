/**
 * Table grids of a scanned page: long horizontal and vertical runs of ink
 * become ruling segments, and from there the vector PDF's own table finder
 * takes over (extractors/pdf/rulings.ts and grid.ts: rulings → frames → grid
 * with merged cells), with the scanned-page settings scaled to pixels.
 */
import { buildGrid, type Grid } from '../pdf/grid.js';
import { findFrames, mergeSegments } from '../pdf/rulings.js';
import { SCAN_TABLE_SETTINGS, scaleTableSettings, type TableSettings } from '../pdf/settings.js';
import type { Segment } from '../pdf/types.js';
import type { GrayImage } from './image.js';

export type { Grid };

/** A table smaller than this (inches) is a glyph or a box, not a table. */
const MIN_TABLE_INCHES: [number, number] = [1.2, 0.3];

export function pixelSettings(dpi: number): TableSettings {
  return scaleTableSettings(SCAN_TABLE_SETTINGS, dpi / 72);
}

/**
 * Horizontal and vertical runs of ink at least `minRun` long; gaps of up to
 * `gap` pixels inside a run (noise, JPEG ringing) do not end it.
 */
export function inkRuns(ink: Uint8Array, width: number, height: number, minRun: number, gap: number): Segment[] {
  const out: Segment[] = [];
  // Horizontal: row by row.
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let start = -1;
    let last = -1;
    for (let x = 0; x <= width; x++) {
      const on = x < width && ink[row + x] === 1;
      if (on) {
        if (start < 0 || x - last > gap + 1) {
          if (start >= 0 && last - start + 1 >= minRun) out.push({ orient: 'h', pos: y + 0.5, from: start, to: last + 1 });
          start = x;
        }
        last = x;
      }
    }
    if (start >= 0 && last - start + 1 >= minRun) out.push({ orient: 'h', pos: y + 0.5, from: start, to: last + 1 });
  }
  // Vertical: one running state per column, scanned row by row (cache friendly).
  const start = new Int32Array(width).fill(-1);
  const last = new Int32Array(width).fill(-1);
  for (let y = 0; y <= height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const on = y < height && ink[row + x] === 1;
      if (on) {
        if (start[x] < 0 || y - last[x] > gap + 1) {
          if (start[x] >= 0 && last[x] - start[x] + 1 >= minRun) out.push({ orient: 'v', pos: x + 0.5, from: start[x], to: last[x] + 1 });
          start[x] = y;
        }
        last[x] = y;
      } else if (y === height && start[x] >= 0 && last[x] - start[x] + 1 >= minRun) {
        out.push({ orient: 'v', pos: x + 0.5, from: start[x], to: last[x] + 1 });
      }
    }
  }
  return out;
}

/**
 * The table grids drawn on a page image (pixel coordinates), top to bottom,
 * and the runs of ink they were built from (the lines, to be erased before
 * the cells are read).
 */
export function findGrids(
  img: GrayImage,
  ink: Uint8Array,
  dpi: number,
  ts: TableSettings = pixelSettings(dpi),
): { grids: Grid[]; runs: Segment[] } {
  const gap = Math.max(1, Math.round(dpi / 150));
  const segments = inkRuns(ink, img.width, img.height, ts.minRulingLength, gap);
  const { h, v } = mergeSegments(segments, ts);
  const grids: Grid[] = [];
  for (const frame of findFrames(h, v, ts)) {
    const grid = buildGrid(frame, ts);
    if (!grid) continue;
    const w = grid.xs[grid.xs.length - 1] - grid.xs[0];
    const ht = grid.ys[grid.ys.length - 1] - grid.ys[0];
    if (w < MIN_TABLE_INCHES[0] * dpi || ht < MIN_TABLE_INCHES[1] * dpi) continue;
    grids.push(grid);
  }
  return { grids, runs: segments };
}

/**
 * Erases runs of ink (ruling lines) from the mask and the picture, so cells
 * hold only their content. Ink within `halo` pixels across a run goes too: a
 * blurred or noisy line's edge columns break into runs too short to count as
 * lines themselves, and left behind they read as a "1" in a blank cell.
 */
export function eraseRuns(img: GrayImage, ink: Uint8Array, runs: Segment[], halo = 0): void {
  const w = img.width;
  const h = img.height;
  const clear = (i: number) => {
    ink[i] = 0;
    img.data[i] = 255;
  };
  for (const r of runs) {
    const at = Math.floor(r.pos);
    if (r.orient === 'h') {
      for (let x = r.from; x < r.to; x++) {
        clear(at * w + x);
        // Outward from the line while there is ink, at most `halo` pixels.
        for (let d = 1; d <= halo && at - d >= 0 && ink[(at - d) * w + x]; d++) clear((at - d) * w + x);
        for (let d = 1; d <= halo && at + d < h && ink[(at + d) * w + x]; d++) clear((at + d) * w + x);
      }
    } else {
      for (let y = r.from; y < r.to; y++) {
        clear(y * w + at);
        for (let d = 1; d <= halo && at - d >= 0 && ink[y * w + at - d]; d++) clear(y * w + at - d);
        for (let d = 1; d <= halo && at + d < w && ink[y * w + at + d]; d++) clear(y * w + at + d);
      }
    }
  }
}
