/** The font facts glyph placement needs, from the fonts pdf.js loaded for a page. */
import type { PdfPage } from './load.js';

export interface FontInfo {
  fontMatrix: number[];
  vertical: boolean;
  defaultVMetrics?: number[];
  /** pdf.js could not load the font: its glyphs carry no text. */
  broken: boolean;
}

const IDENTITY_FONT_MATRIX = [0.001, 0, 0, 0.001, 0, 0];

/** Looks the named fonts up in the page's common objects, waiting for any still being sent. */
export async function resolveFonts(page: PdfPage, names: Set<string>): Promise<Map<string, FontInfo>> {
  const fonts = new Map<string, FontInfo>();
  const objs = page.commonObjs as unknown as {
    has(id: string): boolean;
    get(id: string, cb?: (v: unknown) => void): unknown;
  };
  for (const name of names) {
    let obj: unknown;
    if (objs.has(name)) obj = objs.get(name);
    else obj = await new Promise((resolve) => objs.get(name, resolve));
    const f = obj as { fontMatrix?: number[]; vertical?: boolean; defaultVMetrics?: number[] } | null;
    // A font pdf.js failed to load resolves to its error instead of a font object.
    const ok = !!f && typeof f === 'object' && 'loadedName' in f;
    fonts.set(name, {
      fontMatrix: ok && Array.isArray(f.fontMatrix) ? f.fontMatrix : IDENTITY_FONT_MATRIX,
      vertical: ok && !!f.vertical,
      defaultVMetrics: ok ? f.defaultVMetrics : undefined,
      broken: !ok,
    });
  }
  return fonts;
}
