import { getDocument, GlobalWorkerOptions, type PDFDocumentProxy } from 'pdfjs-dist';

/**
 * The pdf.js worker, bundled by Vite as a .js file of the app and loaded from
 * our own origin: the CSP allows nothing else. Started on first use.
 */
function ensureWorker(): void {
  if (GlobalWorkerOptions.workerPort) return;
  GlobalWorkerOptions.workerPort = new Worker(new URL('pdfjs-dist/build/pdf.worker.min.mjs', import.meta.url), { type: 'module' });
}

/** Opens PDF bytes for viewing: no eval, no scripts, no fetching of anything outside the app. */
export function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  ensureWorker();
  return getDocument({
    data: bytes,
    isEvalSupported: false,
    enableXfa: false,
    disableAutoFetch: true,
    cMapUrl: './pdfjs/cmaps/',
    cMapPacked: true,
    standardFontDataUrl: './pdfjs/standard_fonts/',
  }).promise;
}
