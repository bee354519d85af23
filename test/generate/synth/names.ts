import type { SynthReport } from './types.js';
import { reportSeed } from './values.js';

/** ASCII file stem: template, year, seed and layout, so a name says how it was made. */
export function fileBase(r: SynthReport, layout: string): string {
  return `synth-${r.template}-${r.year}-${reportSeed(r).toString(16).padStart(8, '0')}-${layout}`;
}
