import { createRequire } from 'node:module';
import path from 'node:path';
import { contentsAnchors, fillContentsPages, PAGE_MARK } from '../../shared/report-html';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjsModule: Promise<PdfJs> | null = null;
const requireHere = createRequire(__filename);

function loadPdfjs(): Promise<PdfJs> {
  pdfjsModule ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjsModule;
}

/** The page (from 1) each page mark of a first printing fell on, by section anchor. */
export async function sectionPages(pdf: Uint8Array): Promise<Map<string, number>> {
  const pdfjs = await loadPdfjs();
  const base = path.dirname(requireHere.resolve('pdfjs-dist/package.json'));
  const doc = await pdfjs.getDocument({
    // pdf.js takes ownership of the buffer it is given: hand it a copy.
    data: new Uint8Array(pdf),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
    standardFontDataUrl: `${path.join(base, 'standard_fonts')}${path.sep}`,
  }).promise;
  const found = new Map<string, number>();
  const mark = new RegExp(`${PAGE_MARK}([a-z0-9-]+)${PAGE_MARK}`, 'g');
  try {
    for (let n = 1; n <= doc.numPages; n += 1) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const text = content.items.map((item) => ('str' in item ? item.str : '')).join('');
      for (const m of text.matchAll(mark)) if (m[1] && !found.has(m[1])) found.set(m[1], n);
      page.cleanup();
    }
  } finally {
    await doc.destroy();
  }
  return found;
}

/**
 * Prints a briefing whose contents list the page each section starts on.
 * Chromium's printing has no target-counter(), so it prints twice: once to
 * read back where each section's page mark fell, then with the numbers filled
 * in. Filling in changes only the contents page, which ends in a page break,
 * so the second printing puts every section where the first one did.
 */
export async function printWithContentsPages(html: string, print: (html: string) => Promise<Buffer>): Promise<Buffer> {
  if (contentsAnchors(html).length === 0) return print(html);
  const first = await print(html);
  const pages = await sectionPages(first);
  return print(fillContentsPages(html, pages));
}
